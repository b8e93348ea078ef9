import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  corsUnsafeRequestHeaders,
  isCorsUnsafeRequestHeaderByte,
  parseSingleRange,
  requestHeaderUnsafeReason,
} from './request-safelist.js';
import { mimeTypeEssence } from './mime-type.js';

const safe = (name: string, value: string): boolean => requestHeaderUnsafeReason(name, value) === undefined;

test('CORS-unsafe request-header bytes are exactly the ones the standard lists', () => {
  const unsafe: number[] = [];
  for (let b = 0; b < 256; b++) if (isCorsUnsafeRequestHeaderByte(b)) unsafe.push(b);
  const expected = [
    ...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== 0x09),
    ...'"():<>?@[\\]{}'.split('').map((c) => c.charCodeAt(0)),
    0x7f,
  ].sort((a, b) => a - b);
  assert.deepEqual(unsafe, expected);
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
