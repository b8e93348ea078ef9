import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENGINE_SAFELIST_RULES,
  corsUnsafeRequestHeaders,
  isCorsUnsafeRequestHeaderByte,
  parseSingleRange,
  requestHeaderUnsafeReason,
} from './request-safelist.js';
import { mimeTypeEssence } from './mime-type.js';

const safe = (name: string, value: string): boolean => requestHeaderUnsafeReason(name, value) === undefined;

test('CORS-unsafe request-header bytes are exactly the ones the standard lists', () => {
  const expected = new Set([
    ...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== 0x09),
    ...'"():<>?@[\\]{}'.split('').map((c) => c.charCodeAt(0)),
    0x7f,
  ]);
  for (let b = 0; b < 256; b++) assert.equal(isCorsUnsafeRequestHeaderByte(b), expected.has(b), `byte 0x${b.toString(16)}`);
});

test('accept: any value without unsafe bytes, up to 128 bytes', () => {
  assert.ok(safe('Accept', 'application/json, text/*;q=0.8'));
  assert.ok(safe('accept', 'a'.repeat(128)));
  assert.ok(!safe('accept', 'a'.repeat(129)));
  assert.ok(!safe('accept', 'text/html (x)'));
  assert.ok(!safe('accept', 'a@b'));
});

test('accept-language and content-language: letters, digits, space and *,-.;= only', () => {
  assert.ok(safe('Accept-Language', 'en-US,en;q=0.9, *'));
  assert.ok(safe('Content-Language', 'AZaz09 *,-.;='), 'the ends of each range are letters and digits too');
  assert.ok(safe('content-language', 'de-DE'));
  assert.ok(!safe('accept-language', 'en_US'));
  assert.ok(!safe('content-language', 'en/US'));
  assert.ok(!safe('accept-language', 'é'));
});

test('content-type: the three essences, parameters ignored, unsafe bytes refused', () => {
  assert.ok(safe('Content-Type', 'text/plain'));
  assert.ok(safe('Content-Type', 'TEXT/Plain ; charset=utf-8'));
  assert.ok(safe('content-type', 'multipart/form-data; boundary=x'));
  assert.ok(safe('content-type', 'application/x-www-form-urlencoded'));
  assert.ok(!safe('content-type', 'application/json'));
  assert.ok(!safe('content-type', 'text/plain; charset="utf-8"'), 'a quote is a CORS-unsafe byte');
  assert.ok(!safe('content-type', 'text/plain, application/json'), 'a joined value is no MIME type essence of the three');
  assert.ok(!safe('content-type', 'text'));
  assert.ok(!safe('content-type', '/plain'));
});

test('range: a single bytes=N- or bytes=N-M range', () => {
  assert.ok(safe('Range', 'bytes=0-'));
  assert.ok(safe('range', 'bytes=5-10'));
  assert.ok(!safe('range', 'bytes=-500'), 'suffix ranges are not safelisted');
  assert.ok(!safe('range', 'bytes=10-5'));
  assert.ok(!safe('range', 'bytes=0-1,3-4'));
  assert.ok(!safe('range', 'bytes = 0-'));
  assert.ok(!safe('range', 'Bytes=0-'));
  assert.deepEqual(parseSingleRange('bytes=7-'), [7, null]);
  assert.equal(parseSingleRange('bytes=-'), undefined);
});

test('range: boundaries of the simple range', () => {
  assert.ok(safe('Range', 'bytes=5-5'), 'a one-byte range: start equal to end');
  assert.ok(safe('Range', 'bytes=9-19'), '9 is a digit');
  assert.ok(!safe('Range', 'bytes=5x6'), 'start and end are separated by a hyphen, nothing else');
  assert.ok(!safe('Range', 'bytes=5'));
  assert.deepEqual(parseSingleRange('bytes=-5'), [null, 5]);
  assert.deepEqual(parseSingleRange('bytes=90-99'), [90, 99]);
});

test('range: the unit is read case-sensitively, unless an engine reads it in any case (WebKit)', () => {
  assert.equal(parseSingleRange('BYTES=0-'), undefined);
  assert.deepEqual(parseSingleRange('BYTES=0-', true), [0, null]);
  assert.equal(parseSingleRange('items=0-', true), undefined);
  const webkit = ENGINE_SAFELIST_RULES.webkit;
  assert.equal(requestHeaderUnsafeReason('Range', 'BYTES=0-', webkit), undefined);
  assert.equal(requestHeaderUnsafeReason('Range', 'Bytes=0-100', webkit), undefined);
  assert.notEqual(requestHeaderUnsafeReason('Range', 'items=0-', webkit), undefined);
  assert.notEqual(requestHeaderUnsafeReason('Range', 'BYTES=0-', ENGINE_SAFELIST_RULES.chromium), undefined);
  assert.notEqual(requestHeaderUnsafeReason('Range', 'BYTES=0-', ENGINE_SAFELIST_RULES.firefox), undefined);
});

test('other names are never safelisted', () => {
  assert.ok(!safe('Authorization', 'x'));
  assert.ok(!safe('X-Requested-With', 'XMLHttpRequest'));
});

test('unsafe names: lower-cased, de-duplicated, sorted; over 1024 bytes of safelisted values makes them all unsafe', () => {
  assert.deepEqual(
    corsUnsafeRequestHeaders([
      ['X-B', '1'],
      ['Authorization', 'x'],
      ['x-b', '2'],
      ['Accept', 'text/html'],
    ]).map((h) => h.name),
    ['authorization', 'x-b'],
  );
  // Each name keeps the reason of its first unsafe entry.
  assert.deepEqual(
    corsUnsafeRequestHeaders([
      ['Accept', 'a@b'],
      ['accept', 'a(b'],
    ]),
    [{ name: 'accept', reason: "its value contains '@', a CORS-unsafe byte" }],
  );
  const big = 'a'.repeat(128);
  const many: [string, string][] = [];
  for (let i = 0; i < 8; i++) many.push(['Accept', big]);
  assert.deepEqual(corsUnsafeRequestHeaders(many), []);
  many.push(['Accept-Language', 'en']);
  assert.deepEqual(
    corsUnsafeRequestHeaders(many).map((h) => h.name),
    ['accept', 'accept-language'],
  );
});

test('MIME type essence per "parse a MIME type"', () => {
  assert.equal(mimeTypeEssence(' Text/HTML ;x=y'), 'text/html');
  assert.equal(mimeTypeEssence('text/html;'), 'text/html');
  assert.equal(mimeTypeEssence('text /html'), undefined);
  assert.equal(mimeTypeEssence('text/'), undefined);
  assert.equal(mimeTypeEssence('te(xt/html'), undefined);
  assert.equal(mimeTypeEssence(''), undefined);
});
