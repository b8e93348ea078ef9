import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequestHeaderList, parseTokenList, varyTokens } from './header-list.js';

const allowed = new Set(['authorization', 'content-type', 'x-api-key']);

test("checkRequestHeaderList accepts the lists browsers send, and proxies' white space", () => {
  assert.deepEqual(checkRequestHeaderList('authorization,content-type', allowed, 100, undefined), { ok: true });
  assert.deepEqual(checkRequestHeaderList('content-type', allowed, 100, undefined), { ok: true });
  assert.deepEqual(checkRequestHeaderList(' authorization , X-Api-Key\t', allowed, 100, undefined), { ok: true });
  assert.deepEqual(checkRequestHeaderList('authorization,,content-type,', allowed, 100, undefined), { ok: true });
});

test('checkRequestHeaderList names the first header that is not allowed', () => {
  assert.deepEqual(checkRequestHeaderList('authorization,x-other', allowed, 100, undefined), { ok: false, name: 'x-other' });
  assert.deepEqual(checkRequestHeaderList('authorization', undefined, 100, 'authorization'), { ok: false, name: 'authorization' });
  assert.deepEqual(checkRequestHeaderList('x-anything,x-else', undefined, 100, 'authorization'), { ok: true });
});

test('checkRequestHeaderList refuses malformed and oversized lists without reading them', () => {
  assert.equal(checkRequestHeaderList('x-api-key;', allowed, 100, undefined).ok, false);
  assert.equal(checkRequestHeaderList('x api', allowed, 100, undefined).ok, false);
  assert.equal(checkRequestHeaderList('content-type\r\nx: y', allowed, 100, undefined).ok, false);
  assert.equal(checkRequestHeaderList(','.repeat(17), allowed, 100, undefined).ok, false);
  const commas = ','.repeat(1024 * 1024);
  const spaces = ' '.repeat(1024 * 1024);
  assert.deepEqual(checkRequestHeaderList(commas, allowed, 100, undefined), { ok: false, name: undefined });
  assert.deepEqual(checkRequestHeaderList(spaces, undefined, 4096, 'authorization'), { ok: false, name: undefined });
});

test('parseTokenList reads browser-side list headers', () => {
  assert.deepEqual(parseTokenList('GET, PUT ,DELETE'), ['GET', 'PUT', 'DELETE']);
  assert.deepEqual(parseTokenList(''), []);
  assert.deepEqual(parseTokenList('a,,b'), ['a', 'b']);
  assert.equal(parseTokenList('GET;PUT'), undefined);
  assert.equal(parseTokenList('x'.repeat(10), 5), undefined);
});

test('varyTokens lower-cases and ignores separators', () => {
  assert.deepEqual(varyTokens('Accept-Encoding, Origin'), ['accept-encoding', 'origin']);
  assert.deepEqual(varyTokens(' ,*'), ['*']);
});
