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
