/**
 * The request side of the Fetch standard's "CORS-safelisted request-header": which header
 * values keep a request simple, and the "CORS-unsafe request-header names" a preflight lists
 * in `Access-Control-Request-Headers`. Names and limits come from fetch-standard.ts; this file
 * adds the value rules. Every check is one bounded pass over the value.
 */
import {
  SAFELISTABLE_REQUEST_HEADERS,
  SAFELISTED_CONTENT_TYPES,
  SAFELISTED_TOTAL_MAX_BYTES,
  SAFELISTED_VALUE_MAX_BYTES,
} from './fetch-standard.js';
import type { EngineName } from './engine-differences.js';
import { mimeTypeEssence } from './mime-type.js';

/**
 * How a reader of the safelist departs from the standard (measured in Chromium 156, Firefox ESR
 * 153 and WebKitGTK 2.50 by the browser suite; docs/browsers.md).
 */
export interface SafelistRules {
  /**
   * Same-name headers are joined into one `a, b` value before the check (Chromium, WebKit), so
   * two short `Accept` headers can add up to an unsafe one; the standard and Firefox check each.
   */
  readonly joinsSameName: boolean;
  /** The 1024-byte total of safelisted values applies (the standard, Chromium, WebKit; not Firefox). */
  readonly totalLimit: boolean;
  /** The `Range` unit is read case-insensitively, so `BYTES=0-` stays safe (WebKit). */
  readonly rangeUnitAnyCase: boolean;
  /** Chromium also safelists the client hints `DPR`, `Device-Memory`, `Width`, `Viewport-Width` and `Save-Data`. */
  readonly clientHints: boolean;
}

export const STANDARD_SAFELIST_RULES: SafelistRules = {
  joinsSameName: false,
  totalLimit: true,
  rangeUnitAnyCase: false,
  clientHints: false,
};

export const ENGINE_SAFELIST_RULES: Readonly<Record<EngineName, SafelistRules>> = {
  chromium: { joinsSameName: true, totalLimit: true, rangeUnitAnyCase: false, clientHints: true },
  firefox: { joinsSameName: false, totalLimit: false, rangeUnitAnyCase: false, clientHints: false },
  webkit: { joinsSameName: true, totalLimit: true, rangeUnitAnyCase: true, clientHints: false },
};

/**
 * "CORS-unsafe request-header byte": controls other than HT, DEL, and the delimiters
 * `"():<>?@[\]{}`. (`,`, `/`, `;` and `=` are delimiters too, but stay safe.)
 */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  if (code < 0x20) return code !== 0x09;
  switch (code) {
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x3a:
    case 0x3c:
    case 0x3e:
    case 0x3f:
    case 0x40:
    case 0x5b:
    case 0x5c:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x7f:
      return true;
    default:
      return false;
  }
}

function firstUnsafeByte(value: string): number {
  for (let i = 0; i < value.length; i++) {
    if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return i;
  }
  return -1;
}

/** The bytes `Accept-Language` and `Content-Language` may use: alphanumerics, SP and `*,-.;=`. */
function isLanguageByte(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x20 ||
    code === 0x2a ||
    code === 0x2c ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x3b ||
    code === 0x3d
  );
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * "parse a single range header value" without white space, as the safelist uses it.
 * Returns the (start, end) pair, either of which may be null, or undefined on failure.
 */
export function parseSingleRange(value: string, unitAnyCase = false): [number | null, number | null] | undefined {
  const unit = value.slice(0, 6);
  if (unit !== 'bytes=' && !(unitAnyCase && unit.toLowerCase() === 'bytes=')) return undefined;
  let i = 6;
  const startBegin = i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  const start = i > startBegin ? Number(value.slice(startBegin, i)) : null;
  if (value.charCodeAt(i) !== 0x2d) return undefined;
  i++;
  const endBegin = i;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  const end = i > endBegin ? Number(value.slice(endBegin, i)) : null;
  if (i !== value.length) return undefined;
  if (start === null && end === null) return undefined;
  if (start !== null && end !== null && start > end) return undefined;
  return [start, end];
}

function show(code: number): string {
  return code >= 0x21 && code <= 0x7e ? `'${String.fromCharCode(code)}'` : `byte 0x${code.toString(16).padStart(2, '0')}`;
}

/** Chromium's value rules for the client hints it safelists (digits, a decimal number, or `on`). */
function clientHintUnsafeReason(lower: string, value: string): string | undefined {
  if (lower === 'save-data') return value.toLowerCase() === 'on' ? undefined : "its value is not 'on'";
  const decimal = lower === 'dpr' || lower === 'device-memory';
  let digitsBefore = 0;
  let digitsAfter = 0;
  let point = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isDigit(code)) {
      if (point) digitsAfter++;
      else digitsBefore++;
    } else if (code === 0x2e && decimal && !point && digitsBefore > 0) {
      point = true;
    } else {
      return decimal ? 'its value is not a decimal number' : 'its value is not a whole number';
    }
  }
  if (digitsBefore === 0 || (point && digitsAfter === 0))
    return decimal ? 'its value is not a decimal number' : 'its value is not a whole number';
  return undefined;
}

const CLIENT_HINTS: ReadonlySet<string> = new Set(['dpr', 'device-memory', 'width', 'viewport-width', 'save-data']);

/**
 * Why a request header (name, value) is not a "CORS-safelisted request-header", in plain
 * words, or undefined when it is one. `value` is a byte string (one char per byte), as
 * fetch() requires of header values. `rules` gives an engine's departures from the standard.
 */
export function requestHeaderUnsafeReason(name: string, value: string, rules: SafelistRules = STANDARD_SAFELIST_RULES): string | undefined {
  const lower = name.toLowerCase();
  const clientHint = rules.clientHints && CLIENT_HINTS.has(lower);
  if (!SAFELISTABLE_REQUEST_HEADERS.has(lower) && !clientHint) return `${lower} is not a CORS-safelisted request header`;
  if (value.length > SAFELISTED_VALUE_MAX_BYTES) {
    return `its value is ${value.length} bytes, above the ${SAFELISTED_VALUE_MAX_BYTES}-byte limit for safelisted values`;
  }
  if (clientHint) return clientHintUnsafeReason(lower, value);
  switch (lower) {
    case 'accept': {
      const at = firstUnsafeByte(value);
      return at === -1 ? undefined : `its value contains ${show(value.charCodeAt(at))}, a CORS-unsafe byte`;
    }
    case 'accept-language':
    case 'content-language':
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (!isLanguageByte(code)) return `its value contains ${show(code)}; only letters, digits, space and *,-.;= are safelisted`;
      }
      return undefined;
    case 'content-type': {
      const at = firstUnsafeByte(value);
      if (at !== -1) return `its value contains ${show(value.charCodeAt(at))}, a CORS-unsafe byte`;
      const essence = mimeTypeEssence(value);
      if (essence === undefined) return 'its value is not a valid MIME type';
      if (!SAFELISTED_CONTENT_TYPES.has(essence)) {
        return `${essence} is not one of ${[...SAFELISTED_CONTENT_TYPES].join(', ')}`;
      }
      return undefined;
    }
    default: {
      // range
      const range = parseSingleRange(value, rules.rangeUnitAnyCase);
      if (range === undefined) {
        return value.slice(0, 6).toLowerCase() === 'bytes='
          ? "its unit is not written 'bytes' in lower case, or its value is not a single 'bytes=N-' or 'bytes=N-M' range"
          : "its value is not a single 'bytes=N-' or 'bytes=N-M' range";
      }
      if (range[0] === null) return "a suffix range ('bytes=-N') is not safelisted";
      return undefined;
    }
  }
}

/** A CORS-unsafe request header, with why it is unsafe. */
export interface UnsafeRequestHeader {
  /** Lower case. */
  readonly name: string;
  readonly reason: string;
}

/** Same-name headers joined into one `a, b` value, at the place of the first (as Chromium and WebKit do). */
export function joinSameNameHeaders(headers: readonly (readonly [string, string])[]): [string, string][] {
  const joined = new Map<string, [string, string]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const previous = joined.get(lower);
    joined.set(lower, previous === undefined ? [name, value] : [previous[0], `${previous[1]}, ${value}`]);
  }
  return [...joined.values()];
}

/**
 * "CORS-unsafe request-header names" of a header list: lower-cased, de-duplicated and sorted
 * (byte order), each with the reason for the first entry that made it unsafe. `rules` gives an
 * engine's departures from the standard (joined same-name headers, no total, ...).
 */
export function corsUnsafeRequestHeaders(
  headers: readonly (readonly [string, string])[],
  rules: SafelistRules = STANDARD_SAFELIST_RULES,
): UnsafeRequestHeader[] {
  const unsafe = new Map<string, string>();
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of rules.joinsSameName ? joinSameNameHeaders(headers) : headers) {
    const lower = name.toLowerCase();
    const reason = requestHeaderUnsafeReason(lower, value, rules);
    if (reason !== undefined) {
      if (!unsafe.has(lower)) unsafe.set(lower, reason);
    } else {
      potentiallyUnsafe.push(lower);
      safelistValueSize += value.length;
    }
  }
  if (rules.totalLimit && safelistValueSize > SAFELISTED_TOTAL_MAX_BYTES) {
    for (const lower of potentiallyUnsafe) {
      if (!unsafe.has(lower)) {
        unsafe.set(
          lower,
          `the safelisted header values add up to ${safelistValueSize} bytes, above the ${SAFELISTED_TOTAL_MAX_BYTES}-byte total`,
        );
      }
    }
  }
  return [...unsafe.keys()].sort().map((name) => ({ name, reason: unsafe.get(name)! }));
}
