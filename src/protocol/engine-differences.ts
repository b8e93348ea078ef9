/**
 * Where the browser engines depart from the Fetch standard in the CORS protocol, as measured by
 * the browser suite (test/browsers) on Chromium 156, Firefox ESR 153 and WebKitGTK 2.50. The
 * request-header safelist's departures are in request-safelist.ts; docs/browsers.md lists each
 * with the scenario that proves it.
 */
import { DEFAULT_MAX_AGE_SECONDS, type MAX_AGE_CAP_SECONDS } from './fetch-standard.js';

export type EngineName = keyof typeof MAX_AGE_CAP_SECONDS;

/** How an engine reads `Access-Control-Max-Age`. */
export interface MaxAgeRules {
  /** A leading `+` or `-` is read as a sign (Chromium, WebKit); the standard and Firefox allow digits only. */
  readonly signed: boolean;
  /** Seconds cached when the value cannot be parsed (two lines, `600s`): the standard's 5, or Firefox's 0. */
  readonly unparseableSeconds: number;
}

export const STANDARD_MAX_AGE_RULES: MaxAgeRules = { signed: false, unparseableSeconds: DEFAULT_MAX_AGE_SECONDS };

export const ENGINE_MAX_AGE_RULES: Readonly<Record<EngineName, MaxAgeRules>> = {
  chromium: { signed: true, unparseableSeconds: DEFAULT_MAX_AGE_SECONDS },
  firefox: { signed: false, unparseableSeconds: 0 },
  webkit: { signed: true, unparseableSeconds: DEFAULT_MAX_AGE_SECONDS },
};

/** What an `Access-Control-Max-Age` value means to one reader. */
export type MaxAgeReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unparseable' }
  /** A number; negative when the reader takes a sign, which every engine reads as "do not cache". */
  | { readonly kind: 'seconds'; readonly seconds: number };

/**
 * Reads a joined `Access-Control-Max-Age` value (several lines joined with `, ` never parse).
 * One bounded pass; more than 12 digits is unparseable (no engine caches that long anyway).
 */
export function readMaxAge(value: string | undefined, rules: MaxAgeRules): MaxAgeReading {
  if (value === undefined) return { kind: 'absent' };
  let start = 0;
  const first = value.charCodeAt(0);
  if (rules.signed && (first === 0x2b || first === 0x2d)) start = 1;
  const digits = value.length - start;
  if (digits === 0 || digits > 12) return { kind: 'unparseable' };
  for (let i = start; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return { kind: 'unparseable' };
  }
  const magnitude = Number(value.slice(start));
  // A leading '-' got this far only as a sign: without rules.signed it failed the digit scan.
  return { kind: 'seconds', seconds: first === 0x2d ? -magnitude : magnitude };
}

/** Seconds a reading keeps the preflight in the cache, before the engine's cap. */
export function maxAgeSeconds(reading: MaxAgeReading, rules: MaxAgeRules): number {
  switch (reading.kind) {
    case 'absent':
      return DEFAULT_MAX_AGE_SECONDS;
    case 'unparseable':
      return rules.unparseableSeconds;
    case 'seconds':
      return Math.max(0, reading.seconds);
  }
}

/**
 * A response header line whose name is not a token, such as `Access-Control-Allow-Origin :`
 * (white space before the colon). Chromium strips trailing white space from the name and uses
 * the line; Firefox and WebKit ignore it (the standard's HTTP parsing fails the response).
 */
export const ENGINE_TRIMS_HEADER_NAME: Readonly<Record<EngineName, boolean>> = {
  chromium: true,
  firefox: false,
  webkit: false,
};

/** A header name as an engine that trims trailing white space reads it. */
export function trimmedHeaderName(name: string): string {
  let end = name.length;
  // Before the start charCodeAt is NaN, which is neither: the scan stops there on its own.
  while (name.charCodeAt(end - 1) === 0x20 || name.charCodeAt(end - 1) === 0x09) end--;
  return name.slice(0, end);
}

/**
 * The standard's CORS-preflight fetch: when `Access-Control-Allow-Methods` is absent (a null
 * list, not an empty one) and the request has the use-CORS-preflight flag (an XMLHttpRequest with
 * upload listeners, a ReadableStream body), the request's own method counts as allowed. No
 * engine does this: all three block a PUT whose preflight answer has no Allow-Methods.
 */
export const ENGINE_GRANTS_NULL_METHODS_LIST: Readonly<Record<EngineName, boolean>> = {
  chromium: false,
  firefox: false,
  webkit: false,
};
