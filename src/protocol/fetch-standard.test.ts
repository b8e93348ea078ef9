/**
 * The Fetch standard's lists, as the standard gives them (https://fetch.spec.whatwg.org/, the
 * sections named in each test), against what src/protocol/fetch-standard.ts holds and what its
 * predicates answer. The lists are written out here on purpose: a name dropped from, or added to,
 * the module's copy changes what the policy refuses and what `check` predicts, and must fail here
 * first, by name, before any slower suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CORS_REQUEST_ONLY_HEADERS,
  CORS_RESPONSE_HEADERS,
  DEFAULT_MAX_AGE_SECONDS,
  FORBIDDEN_METHODS,
  FORBIDDEN_REQUEST_HEADERS,
  FORBIDDEN_RESPONSE_HEADERS,
  HEADER,
  LARGEST_MAX_AGE_SECONDS,
  MAX_AGE_CAP_SECONDS,
  MAX_HEADER_NAME_LENGTH,
  MAX_ORIGIN_LENGTH,
  NORMALIZED_METHODS,
  SAFELISTABLE_REQUEST_HEADERS,
  SAFELISTED_CONTENT_TYPES,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  SAFELISTED_TOTAL_MAX_BYTES,
  SAFELISTED_VALUE_MAX_BYTES,
  isForbiddenMethod,
  isForbiddenRequestHeaderName,
  isOws,
  isToken,
  isTokenChar,
  normalizeMethod,
} from './fetch-standard.js';

const sorted = (set: Iterable<string>): string[] => [...set].sort();

test('"CORS-safelisted method": GET, HEAD and POST, and nothing else', () => {
  assert.deepEqual(sorted(SAFELISTED_METHODS), ['GET', 'HEAD', 'POST']);
});

test('"normalize a method": fetch() upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT only', () => {
  assert.deepEqual(sorted(NORMALIZED_METHODS), ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  for (const method of NORMALIZED_METHODS) assert.equal(normalizeMethod(method.toLowerCase()), method);
  assert.equal(normalizeMethod('pUt'), 'PUT');
  // Any other method is sent exactly as written.
  for (const method of ['patch', 'Patch', 'PATCH', 'propfind', 'x-custom']) assert.equal(normalizeMethod(method), method);
});

test('"forbidden method": CONNECT, TRACE and TRACK, in any case', () => {
  assert.deepEqual(sorted(FORBIDDEN_METHODS), ['CONNECT', 'TRACE', 'TRACK']);
  for (const method of ['connect', 'Trace', 'TRACK']) assert.equal(isForbiddenMethod(method), true, method);
  for (const method of ['GET', 'OPTIONS', 'PATCH', 'TRACKS', 'CONNECTS']) assert.equal(isForbiddenMethod(method), false, method);
});

test('"forbidden request-header": the standard\'s 21 names and the proxy- and sec- prefixes', () => {
  const standard = [
    'Accept-Charset',
    'Accept-Encoding',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Connection',
    'Content-Length',
    'Cookie',
    'Cookie2',
    'Date',
    'DNT',
    'Expect',
    'Host',
    'Keep-Alive',
    'Origin',
    'Referer',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
  ].map((name) => name.toLowerCase());
  assert.deepEqual(sorted(FORBIDDEN_REQUEST_HEADERS), standard.sort());
  for (const name of standard) assert.equal(isForbiddenRequestHeaderName(name), true, name);
  for (const name of ['proxy-authorization', 'proxy-', 'sec-fetch-mode', 'sec-']) {
    assert.equal(isForbiddenRequestHeaderName(name), true, name);
  }
  // A prefix counts only at the start; near-misses of listed names are ordinary headers.
  for (const name of ['x-proxy-id', 'x-sec-token', 'proxy', 'sec', 'accept', 'cookies', 'x-origin', 'authorization']) {
    assert.equal(isForbiddenRequestHeaderName(name), false, name);
  }
});

test('"forbidden response-header name": Set-Cookie and Set-Cookie2', () => {
  assert.deepEqual(sorted(FORBIDDEN_RESPONSE_HEADERS), ['set-cookie', 'set-cookie2']);
});

test('"CORS-safelisted response-header name": the seven names every script may read', () => {
  assert.deepEqual(sorted(SAFELISTED_RESPONSE_HEADERS), [
    'cache-control',
    'content-language',
    'content-length',
    'content-type',
    'expires',
    'last-modified',
    'pragma',
  ]);
});

test('"CORS-safelisted request-header": the five names whose value may keep a request simple, and the three content types', () => {
  assert.deepEqual(sorted(SAFELISTABLE_REQUEST_HEADERS), ['accept', 'accept-language', 'content-language', 'content-type', 'range']);
  assert.deepEqual(sorted(SAFELISTED_CONTENT_TYPES), ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
  assert.equal(SAFELISTED_VALUE_MAX_BYTES, 128);
  assert.equal(SAFELISTED_TOTAL_MAX_BYTES, 1024);
});

test("the CORS protocol's own headers: six response headers, four request-only ones", () => {
  assert.deepEqual(sorted(CORS_RESPONSE_HEADERS), [
    'access-control-allow-credentials',
    'access-control-allow-headers',
    'access-control-allow-methods',
    'access-control-allow-origin',
    'access-control-expose-headers',
    'access-control-max-age',
  ]);
  assert.deepEqual(sorted(CORS_REQUEST_ONLY_HEADERS), [
    'access-control-request-headers',
    'access-control-request-method',
    'access-control-request-private-network',
    'origin',
  ]);
  // The names the policy writes are the protocol's names (lower case: see HEADER's comment), and the
  // request headers keep the spelling `check` prints.
  assert.deepEqual(HEADER, {
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
  });
});

test("preflight cache: each engine's cap, the 5-second default, and the largest cap", () => {
  assert.deepEqual({ ...MAX_AGE_CAP_SECONDS }, { chromium: 7200, firefox: 86400, webkit: 600 });
  assert.equal(DEFAULT_MAX_AGE_SECONDS, 5);
  assert.equal(LARGEST_MAX_AGE_SECONDS, Math.max(...Object.values(MAX_AGE_CAP_SECONDS)));
});

test('length limits: an origin of a 64-byte scheme, a 253-byte name and a 5-digit port; 256-byte header names', () => {
  assert.equal(MAX_ORIGIN_LENGTH, `${'s'.repeat(64)}://${'h'.repeat(253)}:65535`.length);
  assert.equal(MAX_ORIGIN_LENGTH, 326);
  assert.equal(MAX_HEADER_NAME_LENGTH, 256);
});

test("token (RFC 9110): letters, digits and !#$%&'*+-.^_`|~; nothing else, and not empty", () => {
  const tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (let code = 0; code < 256; code++) {
    assert.equal(isTokenChar(code), tchar.includes(String.fromCharCode(code)), `char code ${code}`);
  }
  // Code units past Latin-1 are never token characters, whatever their low byte.
  assert.equal(isTokenChar(0x100 + 0x41), false);
  assert.equal(isToken(''), false);
  assert.equal(isToken(tchar), true);
  for (const value of ['X Custom', 'X,Custom', 'X-Custom\t', '"quoted"', 'naïve', 'a/b', 'a@b', 'a:b']) {
    assert.equal(isToken(value), false, value);
  }
  // Every position is checked, not only the first or the last.
  assert.equal(isToken('a b'), false);
  assert.equal(isToken('ab '), false);
  assert.equal(isToken(' ab'), false);
});

test('optional white space: a space and a horizontal tab only', () => {
  for (let code = 0; code < 256; code++) assert.equal(isOws(code), code === 0x20 || code === 0x09, `char code ${code}`);
});
