/**
 * Facts from the WHATWG Fetch standard that both sides of corsguard rely on: the server-side
 * policy (src/core) and the CLI's model of a browser. They live here, and only here, so that the
 * two sides can never disagree about what a browser does.
 *
 * Section names in comments refer to https://fetch.spec.whatwg.org/ (commit 586cd2a).
 */

/** "CORS-safelisted method": a request with one of these needs no preflight for its method. */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/**
 * "normalize a method": fetch() upper-cases only these six, so `put` is sent as `PUT`
 * while `patch` stays `patch`.
 */
export const NORMALIZED_METHODS: ReadonlySet<string> = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** "forbidden method": scripts cannot send these, in any case. */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** "forbidden request-header" names (lower case); scripts cannot set them. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** Prefixes that make any request-header name forbidden. */
export const FORBIDDEN_REQUEST_HEADER_PREFIXES: readonly string[] = ['proxy-', 'sec-'];

/** "forbidden response-header name": never exposed to scripts. */
export const FORBIDDEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set(['set-cookie', 'set-cookie2']);

/** "CORS-safelisted response-header name" (without a list): always readable by scripts. */
export const SAFELISTED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** Request-header names that may be CORS-safelisted, depending on their value. */
export const SAFELISTABLE_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  'range',
]);

/** The `Content-Type` essences that keep a request simple. */
export const SAFELISTED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * Names of the CORS protocol's own headers, in the case we emit them. Header names are
 * case-insensitive (and lower-case on HTTP/2), so the response headers the policy writes are
 * spelled lower-case: node:http's `setHeader` lower-cases the name it is given on every call,
 * which for a lower-case name costs nothing (BENCHMARKS.md: about 0.25 µs per allowed request
 * over four headers). Request headers keep the spelling the CLI prints in a preflight.
 */
export const HEADER = {
  origin: 'Origin',
  vary: 'vary',
  requestMethod: 'Access-Control-Request-Method',
  requestHeaders: 'Access-Control-Request-Headers',
  allowOrigin: 'access-control-allow-origin',
  allowCredentials: 'access-control-allow-credentials',
  allowMethods: 'access-control-allow-methods',
  allowHeaders: 'access-control-allow-headers',
  exposeHeaders: 'access-control-expose-headers',
  maxAge: 'access-control-max-age',
} as const;

/** Response headers of the CORS protocol: meaningless as allowed request headers. */
export const CORS_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
]);

/** Request-only headers of the protocol: meaningless as exposed response headers. */
export const CORS_REQUEST_ONLY_HEADERS: ReadonlySet<string> = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
]);

/** A safelisted request header's value may be at most this long. */
export const SAFELISTED_VALUE_MAX_BYTES = 128;
/** Above this total, all safelisted request headers become unsafe. */
export const SAFELISTED_TOTAL_MAX_BYTES = 1024;

/** Preflight-cache ceilings: a longer max-age is clamped by each browser engine. */
export const MAX_AGE_CAP_SECONDS = {
  chromium: 7200,
  firefox: 86400,
  webkit: 600,
} as const;
/** Used when `Access-Control-Max-Age` is absent or cannot be parsed. */
export const DEFAULT_MAX_AGE_SECONDS = 5;
/** The largest cap any engine applies: a longer max-age is never honoured. */
export const LARGEST_MAX_AGE_SECONDS = 86400;

/**
 * The longest origin a browser can send: a 64-byte scheme (longer schemes do not exist in
 * practice), `://`, a 253-byte DNS name, and `:65535`. Anything longer is refused unread.
 */
export const MAX_ORIGIN_LENGTH = 64 + 3 + 253 + 1 + 5;

/** Longest header name we accept in configuration or from a request. */
export const MAX_HEADER_NAME_LENGTH = 256;

// --- token grammar (RFC 9110 §5.6.2) ---------------------------------------------------------

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** Whether `code` is a `tchar` (a byte allowed in methods and header names). */
export function isTokenChar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}

/** Whether `value` is a non-empty `token` (method or header-name grammar). */
export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    if (!isTokenChar(value.charCodeAt(i))) return false;
  }
  return true;
}

export function isForbiddenMethod(method: string): boolean {
  return FORBIDDEN_METHODS.has(method.toUpperCase());
}

/** "forbidden request-header" by name alone (lower-case input). */
export function isForbiddenRequestHeaderName(lowerName: string): boolean {
  if (FORBIDDEN_REQUEST_HEADERS.has(lowerName)) return true;
  for (const prefix of FORBIDDEN_REQUEST_HEADER_PREFIXES) {
    if (lowerName.startsWith(prefix)) return true;
  }
  return false;
}

/** "normalize a method", as fetch() does before sending. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** Optional white space of HTTP: SP or HTAB. */
export function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
