/**
 * The words `corsguard check` and `explain` print after "header <name>: " when a request header
 * needs a preflight. Each refusal reason is asserted in full: a user reads these to learn what to
 * change in the request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_SAFELIST_RULES, requestHeaderUnsafeReason, type SafelistRules } from './request-safelist.js';

type Case = readonly [name: string, value: string, reason: string | undefined];

function assertReasons(cases: readonly Case[], rules?: SafelistRules): void {
  for (const [name, value, reason] of cases) {
    assert.equal(requestHeaderUnsafeReason(name, value, rules), reason, `${name}: ${JSON.stringify(value)}`);
  }
}

const RANGE_NOT_SINGLE = "its value is not a single 'bytes=N-' or 'bytes=N-M' range";
const RANGE_UNIT_OR_NOT_SINGLE =
  "its unit is not written 'bytes' in lower case, or its value is not a single 'bytes=N-' or 'bytes=N-M' range";
const LANGUAGE_BYTES = 'only letters, digits, space and *,-.;= are safelisted';

test('reasons: a name outside the safelist, and a value over 128 bytes', () => {
  assertReasons([
    ['X-Requested-With', 'XMLHttpRequest', 'x-requested-with is not a CORS-safelisted request header'],
    ['Accept', 'a'.repeat(129), 'its value is 129 bytes, above the 128-byte limit for safelisted values'],
  ]);
});

test('reasons: a CORS-unsafe byte in Accept or Content-Type is named, printable or as hex', () => {
  assertReasons([
    ['Accept', 'a@b', "its value contains '@', a CORS-unsafe byte"],
    ['Accept', 'text/html\x7f', 'its value contains byte 0x7f, a CORS-unsafe byte'],
    ['Accept', 'a\x01b', 'its value contains byte 0x01, a CORS-unsafe byte'],
    ['Content-Type', 'text/plain; charset="utf-8"', `its value contains '"', a CORS-unsafe byte`],
    ['Content-Type', 'text/plain\x1f', 'its value contains byte 0x1f, a CORS-unsafe byte'],
  ]);
});

test('reasons: Content-Type that is no MIME type, or not one of the three', () => {
  assertReasons([
    ['Content-Type', 'text', 'its value is not a valid MIME type'],
    ['Content-Type', '', 'its value is not a valid MIME type'],
    [
      'Content-Type',
      'Application/JSON; charset=utf-8',
      'application/json is not one of application/x-www-form-urlencoded, multipart/form-data, text/plain',
    ],
  ]);
});

test('reasons: Accept-Language and Content-Language name the first byte outside their set', () => {
  assertReasons([
    ['Accept-Language', 'en_US', `its value contains '_'; ${LANGUAGE_BYTES}`],
    // The printable range is 0x21-0x7e: its two ends are shown as characters, the bytes just outside as hex.
    ['Content-Language', 'en!', `its value contains '!'; ${LANGUAGE_BYTES}`],
    ['Content-Language', 'en~', `its value contains '~'; ${LANGUAGE_BYTES}`],
    ['Accept-Language', 'en\x7f', `its value contains byte 0x7f; ${LANGUAGE_BYTES}`],
    ['Accept-Language', 'en,\tde', `its value contains byte 0x09; ${LANGUAGE_BYTES}`],
    ['Accept-Language', 'fran\xe7ais', `its value contains byte 0xe7; ${LANGUAGE_BYTES}`],
  ]);
});

test('reasons: Range that is not one simple range, written in another case, or a suffix range', () => {
  assertReasons([
    ['Range', 'Bytes=0-', RANGE_UNIT_OR_NOT_SINGLE],
    ['Range', 'bytes=10-5', RANGE_UNIT_OR_NOT_SINGLE],
    ['Range', 'bytes=5x6', RANGE_UNIT_OR_NOT_SINGLE],
    ['Range', 'bytes=0-1,3-4', RANGE_UNIT_OR_NOT_SINGLE],
    ['Range', 'items=0-', RANGE_NOT_SINGLE],
    ['Range', 'bytes', RANGE_NOT_SINGLE],
    ['Range', 'bytes=-500', "a suffix range ('bytes=-N') is not safelisted"],
  ]);
});

test('reasons: the client hints Chromium safelists, with its value rules', () => {
  const chromium = ENGINE_SAFELIST_RULES.chromium;
  assertReasons(
    [
      ['DPR', '1.5', undefined],
      ['DPR', '2', undefined],
      ['Device-Memory', '0.25', undefined],
      ['Width', '1280', undefined],
      ['Viewport-Width', '800', undefined],
      ['Save-Data', 'on', undefined],
      ['Save-Data', 'ON', undefined],
      ['Save-Data', 'off', "its value is not 'on'"],
      ['DPR', 'x', 'its value is not a decimal number'],
      ['DPR', '1x5', 'its value is not a decimal number'],
      ['DPR', '.5', 'its value is not a decimal number'],
      ['DPR', '1.', 'its value is not a decimal number'],
      ['DPR', '1.5.5', 'its value is not a decimal number'],
      ['Device-Memory', '', 'its value is not a decimal number'],
      ['Width', '1.5', 'its value is not a whole number'],
      ['Width', 'x', 'its value is not a whole number'],
      ['Viewport-Width', '', 'its value is not a whole number'],
    ],
    chromium,
  );
});

test('reasons: the standard, Firefox and WebKit safelist no client hint', () => {
  for (const rules of [undefined, ENGINE_SAFELIST_RULES.firefox, ENGINE_SAFELIST_RULES.webkit]) {
    assertReasons(
      [
        ['DPR', '2', 'dpr is not a CORS-safelisted request header'],
        ['Save-Data', 'on', 'save-data is not a CORS-safelisted request header'],
      ],
      rules,
    );
  }
});
