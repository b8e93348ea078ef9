/**
 * Why the browser model says a request needs a preflight: `corsguard check` prints these
 * reasons, so each is asserted word for word, including the edge of the 1,024-byte total of
 * safelisted values (a preflight the standard requires at 1,025 bytes must not be skipped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRequest, type PageRequest } from './browser-model.js';

const ORIGIN = 'https://app.example.com';

function plan(method: string, headers: PageRequest['headers'] = [], body?: string) {
  return planRequest({ origin: ORIGIN, method, headers, credentials: false, body });
}

test('method reasons: what fetch() upper-cased is named, what it sent as written is not', () => {
  const put = plan('put');
  assert.equal(put.preflight, true);
  assert.deepEqual(put.preflightReasons, ["method PUT (fetch() upper-cased 'put') is not GET, HEAD or POST"]);
  assert.deepEqual(plan('Delete').preflightReasons, ["method DELETE (fetch() upper-cased 'Delete') is not GET, HEAD or POST"]);
  assert.deepEqual(plan('PUT').preflightReasons, ['method PUT is not GET, HEAD or POST']);
  // fetch() does not normalize PATCH or unknown methods: sent as written.
  assert.deepEqual(plan('patch').preflightReasons, ['method patch is not GET, HEAD or POST']);
  assert.deepEqual(plan('Purge').preflightReasons, ['method Purge is not GET, HEAD or POST']);
  // 'post' becomes POST, a simple method: no preflight, no reason.
  const post = plan('post');
  assert.equal(post.preflight, false);
  assert.deepEqual(post.preflightReasons, []);
});

test('header reasons: one line per unsafe header, with why it is unsafe', () => {
  const request = plan('POST', [
    ['X-Api-Key', 'k'],
    ['Content-Type', 'application/json'],
    ['Accept-Language', 'en-US'],
  ]);
  assert.equal(request.preflight, true);
  assert.deepEqual(request.preflightReasons, [
    'header content-type: application/json is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain',
    'header x-api-key: x-api-key is not a CORS-safelisted request header',
  ]);
  assert.deepEqual(request.preflightHeaders, [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', 'POST'],
    ['Access-Control-Request-Headers', 'content-type,x-api-key'],
    ['Origin', ORIGIN],
  ]);
  const both = plan('put', [['X-Api-Key', 'k']]);
  assert.deepEqual(both.preflightReasons, [
    "method PUT (fetch() upper-cased 'put') is not GET, HEAD or POST",
    'header x-api-key: x-api-key is not a CORS-safelisted request header',
  ]);
});

/** Accept headers whose values add up to `total` bytes (each at most the 128 a safelisted value may have). */
function acceptHeadersOfTotal(total: number): [string, string][] {
  const headers: [string, string][] = [];
  for (let left = total; left > 0; left -= 128) headers.push(['Accept', 'a'.repeat(Math.min(128, left))]);
  return headers;
}

test('safelisted values adding up to 1,024 bytes need no preflight; 1,025 bytes do', () => {
  const atLimit = plan('GET', acceptHeadersOfTotal(1024));
  assert.equal(atLimit.preflight, false);
  assert.deepEqual(atLimit.preflightReasons, []);
  const over = plan('GET', acceptHeadersOfTotal(1025));
  assert.equal(over.preflight, true);
  assert.deepEqual(over.preflightReasons, ['header accept: the safelisted header values add up to 1025 bytes, above the 1024-byte total']);
  assert.deepEqual(over.preflightHeaders[2], ['Access-Control-Request-Headers', 'accept']);
});

test('a body gets the default Content-Type text/plain;charset=UTF-8 only when the page sets none, in any case', () => {
  const withBody = plan('POST', [['X-Trace', 't']], 'x');
  assert.deepEqual(withBody.headers, [
    ['X-Trace', 't'],
    ['Content-Type', 'text/plain;charset=UTF-8'],
  ]);
  assert.deepEqual(withBody.preflightReasons, ['header x-trace: x-trace is not a CORS-safelisted request header']);
  assert.deepEqual(plan('POST', [['content-type', 'text/plain']], 'x').headers, [['content-type', 'text/plain']]);
  assert.deepEqual(plan('POST', [['X-Trace', 't']]).headers, [['X-Trace', 't']]);
});

test("a request to the page's own origin has no preflight and no preflight headers; a URL that does not parse is not the page's origin", () => {
  const same = planRequest({ origin: ORIGIN, method: 'PUT', headers: [['X-Trace', 't']], credentials: false, url: `${ORIGIN}/items` });
  assert.equal(same.preflight, false);
  assert.deepEqual(same.preflightReasons, []);
  assert.deepEqual(same.preflightHeaders, []);
  const unparsable = planRequest({ origin: ORIGIN, method: 'PUT', headers: [], credentials: false, url: 'https://[::1' });
  assert.equal(unparsable.sameOrigin, false);
  assert.deepEqual(unparsable.preflightReasons, ['method PUT is not GET, HEAD or POST']);
});

test('an engine that joins same-name headers says so only when the page sent that header more than once', () => {
  const long = 'a'.repeat(129);
  const once = planRequest(
    {
      origin: ORIGIN,
      method: 'GET',
      headers: [
        ['Accept', long],
        ['Accept-Language', 'en'],
      ],
      credentials: false,
    },
    'chromium',
  );
  const tooLong = (bytes: number): string => `header accept: its value is ${bytes} bytes, above the 128-byte limit for safelisted values`;
  assert.deepEqual(once.preflightReasons, [tooLong(129)]);
  const twice = planRequest(
    {
      origin: ORIGIN,
      method: 'GET',
      headers: [
        ['Accept', long],
        ['accept', 'b'],
      ],
      credentials: false,
    },
    'chromium',
  );
  assert.deepEqual(twice.preflightReasons, [
    // 129 + ', ' + 1 bytes joined.
    `${tooLong(132)} (Chromium joins the 2 accept headers into one value before checking)`,
  ]);
});
