/**
 * Header-list grammar (RFC 9110 §5.6.1 `#element` lists of tokens) as the CORS headers use
 * it: `Access-Control-Request-Headers` on the server side, and `Access-Control-Allow-Methods`,
 * `-Allow-Headers` and `-Expose-Headers` on the browser side. Every parser here makes one
 * bounded pass over its input and never splits or runs a regular expression on it.
 */
import { isOws, isTokenChar } from './fetch-standard.js';

/** Empty list elements (`a,,b`) tolerated per header, for proxies that mangle lists. */
export const MAX_EMPTY_ELEMENTS = 16;

/** The outcome of checking requested header names against what a policy allows. */
export type HeaderListVerdict =
  /** Every name is allowed. */
  | { readonly ok: true }
  /** `name` (lower case) is not allowed. */
  | { readonly ok: false; readonly name: string }
  /** The value is not a list of tokens, or is longer than any allowed list could be. */
  | { readonly ok: false; readonly name: undefined };

export const LIST_OK: HeaderListVerdict = Object.freeze({ ok: true });
export const LIST_MALFORMED: HeaderListVerdict = Object.freeze({ ok: false, name: undefined });

/**
 * Checks an `Access-Control-Request-Headers` value in one pass.
 *
 * @param allowed lower-case names that are allowed, or `undefined` when any token is.
 * @param maxLength the longest value worth reading; anything longer is refused unread.
 * @param denied a lower-case name refused even when `allowed` is undefined (`authorization`
 *   under a wildcard), or undefined.
 */
export function checkRequestHeaderList(
  value: string,
  allowed: ReadonlySet<string> | undefined,
  maxLength: number,
  denied: string | undefined,
): HeaderListVerdict {
  const length = value.length;
  if (length > maxLength) return LIST_MALFORMED;
  let empty = 0;
  let i = 0;
  while (i <= length) {
    // Leading white space of an element. Past the end charCodeAt is NaN, neither white space nor a
    // token byte, so these scans stop at the end without a bound of their own.
    while (isOws(value.charCodeAt(i))) i++;
    const start = i;
    while (isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    while (isOws(value.charCodeAt(i))) i++;
    if (i < length && value.charCodeAt(i) !== 0x2c) return LIST_MALFORMED;
    if (end === start) {
      if (++empty > MAX_EMPTY_ELEMENTS) return LIST_MALFORMED;
    } else {
      const name = value.slice(start, end).toLowerCase();
      if (name === denied || (allowed !== undefined && !allowed.has(name))) return { ok: false, name };
    }
    i++; // past the comma (or past the end)
  }
  return LIST_OK;
}

/**
 * Parses a response's list header the way a browser does before a CORS check: elements are
 * separated by commas, trimmed of white space, and empty elements are skipped. Returns
 * undefined when an element is not a token, which makes a browser fail the preflight.
 * Values longer than `maxLength` are refused unread.
 */
export function parseTokenList(value: string, maxLength = 65536): string[] | undefined {
  const length = value.length;
  if (length > maxLength) return undefined;
  const out: string[] = [];
  let i = 0;
  // Empty elements are skipped, so the one after a trailing comma needs no visit (`i < length`).
  while (i < length) {
    // As in checkRequestHeaderList, the scans stop at the end (NaN) on their own.
    while (isOws(value.charCodeAt(i))) i++;
    const start = i;
    while (isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    while (isOws(value.charCodeAt(i))) i++;
    if (i < length && value.charCodeAt(i) !== 0x2c) return undefined;
    if (end > start) out.push(value.slice(start, end));
    i++;
  }
  return out;
}

/** Tokens of a `Vary` value, lower-cased, in one pass; non-token bytes end an element. */
export function varyTokens(value: string): string[] {
  const out: string[] = [];
  const length = value.length;
  let i = 0;
  while (i < length) {
    while (i < length && !isTokenChar(value.charCodeAt(i))) i++;
    const start = i;
    while (isTokenChar(value.charCodeAt(i))) i++;
    if (i > start) out.push(value.slice(start, i).toLowerCase());
  }
  return out;
}
