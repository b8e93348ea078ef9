/**
 * The part of the WHATWG MIME Sniffing standard's "parse a MIME type" that decides whether a
 * `Content-Type` keeps a request simple: the type and subtype must be tokens, and parameters
 * can never make parsing fail. One bounded pass, no regular expression.
 */
import { isTokenChar } from './fetch-standard.js';

/** HTTP whitespace of the MIME Sniffing standard: TAB, LF, CR, SP. */
function isHttpWhitespace(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || code === 0x20;
}

/**
 * The essence (`type/subtype`, lower case) of a MIME type string, or undefined when
 * "parse a MIME type" returns failure.
 */
export function mimeTypeEssence(value: string): string | undefined {
  // Past the end of the value charCodeAt gives NaN, which is neither HTTP whitespace nor a token
  // byte, so each scan below stops at the end without a bound of its own.
  let start = 0;
  while (isHttpWhitespace(value.charCodeAt(start))) start++;
  let slash = start;
  for (let code = value.charCodeAt(slash); code !== 0x2f; code = value.charCodeAt(++slash)) {
    // Also the end of the value: a type without a "/" is a failure.
    if (!isTokenChar(code)) return undefined;
  }
  if (slash === start) return undefined;
  const semicolon = value.indexOf(';', slash);
  let subtypeEnd = semicolon === -1 ? value.length : semicolon;
  // Trailing whitespace of the subtype (and of the whole value): the scan stops at the "/" at the latest.
  while (isHttpWhitespace(value.charCodeAt(subtypeEnd - 1))) subtypeEnd--;
  if (subtypeEnd === slash + 1) return undefined;
  for (let j = slash + 1; j < subtypeEnd; j++) {
    if (!isTokenChar(value.charCodeAt(j))) return undefined;
  }
  return value.slice(start, subtypeEnd).toLowerCase();
}
