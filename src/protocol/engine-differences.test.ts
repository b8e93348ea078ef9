/**
 * How each engine reads Access-Control-Max-Age and header names, next to the standard: the
 * figures the browser model caches preflights with, at each boundary of the reader.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENGINE_MAX_AGE_RULES, STANDARD_MAX_AGE_RULES, maxAgeSeconds, readMaxAge, trimmedHeaderName } from './engine-differences.js';

const chromium = ENGINE_MAX_AGE_RULES.chromium;
const firefox = ENGINE_MAX_AGE_RULES.firefox;

test('the standard reads digits only: a sign is unparseable, which caches for the default 5 seconds', () => {
  for (const value of ['+600', '-1', '6O0', '600s', '', '1, 2']) {
    assert.deepEqual(readMaxAge(value, STANDARD_MAX_AGE_RULES), { kind: 'unparseable' }, value);
    assert.equal(maxAgeSeconds(readMaxAge(value, STANDARD_MAX_AGE_RULES), STANDARD_MAX_AGE_RULES), 5, value);
  }
  assert.deepEqual(readMaxAge('600', STANDARD_MAX_AGE_RULES), { kind: 'seconds', seconds: 600 });
  assert.equal(maxAgeSeconds(readMaxAge(undefined, STANDARD_MAX_AGE_RULES), STANDARD_MAX_AGE_RULES), 5);
});

test('every digit from 0 to 9 is a digit, and the characters either side of them are not', () => {
  assert.deepEqual(readMaxAge('0123456789', STANDARD_MAX_AGE_RULES), { kind: 'seconds', seconds: 123456789 });
  assert.deepEqual(readMaxAge('9', STANDARD_MAX_AGE_RULES), { kind: 'seconds', seconds: 9 });
  assert.deepEqual(readMaxAge('0', STANDARD_MAX_AGE_RULES), { kind: 'seconds', seconds: 0 });
  // '/' and ':' are the code points just below '0' and just above '9'.
  assert.deepEqual(readMaxAge('6/', STANDARD_MAX_AGE_RULES), { kind: 'unparseable' });
  assert.deepEqual(readMaxAge('6:', STANDARD_MAX_AGE_RULES), { kind: 'unparseable' });
});

test('Chromium and WebKit read a sign: + is positive, - is negative (no caching); Firefox reads neither', () => {
  assert.deepEqual(readMaxAge('+600', chromium), { kind: 'seconds', seconds: 600 });
  assert.deepEqual(readMaxAge('-600', chromium), { kind: 'seconds', seconds: -600 });
  assert.equal(maxAgeSeconds(readMaxAge('-600', chromium), chromium), 0);
  assert.deepEqual(readMaxAge('+', chromium), { kind: 'unparseable' });
  assert.deepEqual(readMaxAge('-600', firefox), { kind: 'unparseable' });
  assert.equal(maxAgeSeconds(readMaxAge('-600', firefox), firefox), 0);
});

test('up to 12 digits are read, after a sign too; 13 are unparseable', () => {
  assert.deepEqual(readMaxAge('123456789012', STANDARD_MAX_AGE_RULES), { kind: 'seconds', seconds: 123456789012 });
  assert.deepEqual(readMaxAge('+123456789012', chromium), { kind: 'seconds', seconds: 123456789012 });
  assert.deepEqual(readMaxAge('1234567890123', STANDARD_MAX_AGE_RULES), { kind: 'unparseable' });
  assert.deepEqual(readMaxAge('+1234567890123', chromium), { kind: 'unparseable' });
});

test('trimmedHeaderName removes trailing spaces and tabs only, down to an empty name', () => {
  assert.equal(trimmedHeaderName('Access-Control-Allow-Origin \t '), 'Access-Control-Allow-Origin');
  assert.equal(trimmedHeaderName(' \t'), '');
  assert.equal(trimmedHeaderName(''), '');
  assert.equal(trimmedHeaderName(' Vary'), ' Vary');
});
