import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EMPTY_ELEMENTS, checkRequestHeaderList, parseTokenList, varyTokens } from './header-list.js';

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

test('checkRequestHeaderList tolerates exactly MAX_EMPTY_ELEMENTS empty elements, the one after a trailing comma included', () => {
  // A name then 16 commas: 16 empty elements (15 between commas, 1 after the last).
  assert.deepEqual(checkRequestHeaderList(`authorization${','.repeat(MAX_EMPTY_ELEMENTS)}`, allowed, 100, undefined), { ok: true });
  // One more, and the last one only exists after the trailing comma.
  assert.deepEqual(checkRequestHeaderList(`authorization${','.repeat(MAX_EMPTY_ELEMENTS + 1)}`, allowed, 100, undefined), {
    ok: false,
    name: undefined,
  });
  assert.deepEqual(checkRequestHeaderList('', allowed, 100, undefined), { ok: true });
});

test('checkRequestHeaderList and parseTokenList read a value of exactly maxLength, and refuse one byte more', () => {
  const exact = `authorization,${' '.repeat(86)}`; // 100 characters
  assert.equal(exact.length, 100);
  assert.deepEqual(checkRequestHeaderList(exact, allowed, 100, undefined), { ok: true });
  assert.deepEqual(checkRequestHeaderList(`${exact} `, allowed, 100, undefined), { ok: false, name: undefined });
  assert.deepEqual(parseTokenList('GET, PUT', 8), ['GET', 'PUT']);
  assert.equal(parseTokenList('GET, PUT ', 8), undefined);
});

test('parseTokenList: white space and commas at the ends add no element; white space inside one is malformed', () => {
  assert.deepEqual(parseTokenList(' GET ,\tPUT\t,'), ['GET', 'PUT']);
  assert.deepEqual(parseTokenList(', ,'), []);
  assert.equal(parseTokenList('GET PUT'), undefined);
});

test('varyTokens: separators at the end add no empty token', () => {
  assert.deepEqual(varyTokens('Origin, '), ['origin']);
  assert.deepEqual(varyTokens('Origin,'), ['origin']);
  assert.deepEqual(varyTokens(', Origin ,, Accept ;'), ['origin', 'accept']);
  assert.deepEqual(varyTokens(''), []);
});
