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
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  let i = start;
  while (i < end && value.charCodeAt(i) !== 0x2f) {
    if (!isTokenChar(value.charCodeAt(i))) return undefined;
    i++;
  }
  if (i === start || i === end) return undefined;
  const slash = i;
  i++;
  while (i < end && value.charCodeAt(i) !== 0x3b) i++;
  let subtypeEnd = i;
  while (subtypeEnd > slash + 1 && isHttpWhitespace(value.charCodeAt(subtypeEnd - 1))) subtypeEnd--;
  if (subtypeEnd === slash + 1) return undefined;
  for (let j = slash + 1; j < subtypeEnd; j++) {
    if (!isTokenChar(value.charCodeAt(j))) return undefined;
  }
  return value.slice(start, subtypeEnd).toLowerCase();
}
