/**
 * "CORS-unsafe request-header names": once the safelisted values add up to more than 1,024
 * bytes, every one of them needs a preflight. Tested at exactly 1,024 and at 1,025.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corsUnsafeRequestHeaders } from './request-safelist.js';

/** Safelisted headers whose values add up to `total` bytes (each value at most 128 bytes). */
function safelistedHeadersOfTotal(total: number): [string, string][] {
  const headers: [string, string][] = [];
  for (let left = total; left > 0; left -= 128) headers.push(['Accept', 'a'.repeat(Math.min(128, left))]);
  return headers;
}

test('safelisted values of 1,024 bytes in all stay safelisted; 1,025 bytes make every one unsafe', () => {
  assert.deepEqual(corsUnsafeRequestHeaders(safelistedHeadersOfTotal(1024)), []);
  assert.deepEqual(corsUnsafeRequestHeaders(safelistedHeadersOfTotal(1025)), [
    { name: 'accept', reason: 'the safelisted header values add up to 1025 bytes, above the 1024-byte total' },
  ]);
  // Every safelisted header becomes unsafe, not only the one that crossed the line.
  const over = [...safelistedHeadersOfTotal(1023), ['Content-Language', 'en'] as [string, string]];
  assert.deepEqual(
    corsUnsafeRequestHeaders(over).map((h) => h.name),
    ['accept', 'content-language'],
  );
});

test('a name already unsafe for one of its values keeps that reason when the total is also exceeded', () => {
  const headers: [string, string][] = [['Accept', 'a@b'], ...safelistedHeadersOfTotal(1023), ['Content-Language', 'en']];
  assert.deepEqual(corsUnsafeRequestHeaders(headers), [
    { name: 'accept', reason: "its value contains '@', a CORS-unsafe byte" },
    { name: 'content-language', reason: 'the safelisted header values add up to 1025 bytes, above the 1024-byte total' },
  ]);
});
