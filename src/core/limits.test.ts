/**
 * The policy's limits, tested at the edge: a value exactly at a limit is read and answered
 * like any other, one byte more is refused unread. (Tests that jump from "small" to "1 MiB"
 * pass whether the comparison is `>` or `>=`.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, type PreflightAnswer } from './policy.js';
import { MAX_ORIGIN_LENGTH } from '../protocol/fetch-standard.js';
import { parseSerializedOrigin } from '../protocol/origin.js';
import { mapHeaderWriter } from '../../test/support/map-header-writer.js';
import { drive } from '../../test/support/drive-policy.js';

const quiet = { onWarning: () => undefined, onError: () => undefined };
const ORIGIN = 'https://app.example.com';

function preflight(policy: CorsPolicy, requestHeaders: string): { result: PreflightAnswer; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  const result = drive(policy, headers, mapHeaderWriter, 'OPTIONS', ORIGIN, 'PUT', requestHeaders) as PreflightAnswer;
  return { result, headers };
}

/** `atLimit` is read and allowed (answered with `allowHeaders`); one more space is refused unread. */
function assertEdge(policy: CorsPolicy, atLimit: string, limit: number, allowHeaders: string): void {
  assert.equal(atLimit.length, limit);
  const allowed = preflight(policy, atLimit);
  assert.equal(allowed.result.allowed, true);
  assert.equal(allowed.headers.get('access-control-allow-headers'), allowHeaders);
  const over = preflight(policy, `${atLimit} `);
  assert.equal(over.result.allowed, false);
  assert.match(over.result.reason, /not a valid list of header names, or is too long/);
}

test('Access-Control-Request-Headers with listed names: read at exactly the limit, refused unread one byte over', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: [ORIGIN], allowMethods: ['PUT'], allowHeaders: ['X-Api-Key'] });
  // The limit is what the longest sensible list of the allowed names takes: each name with ", "
  // and room for stray separators, plus 32 (src/core/config.ts): 'x-api-key' gives 9 + 4 + 32.
  const limit = 'x-api-key'.length + 4 + 32;
  assertEdge(policy, `x-api-key${' '.repeat(limit - 'x-api-key'.length)}`, limit, 'x-api-key');
});

test("Access-Control-Request-Headers under allowHeaders '*': 4,096 characters are read, 4,097 refused", () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: [ORIGIN], allowMethods: ['PUT'], allowHeaders: ['*'] });
  const names: string[] = [];
  let value = '';
  for (let i = 0; value.length < 4096 - 16; i++) {
    names.push(`x-h${i}`);
    value = names.join(',');
  }
  assertEdge(policy, value + ' '.repeat(4096 - value.length), 4096, '*');
});

/** A well-formed origin of `length` characters: a long scheme, a 253-character host, the largest port. */
function originOfLength(length: number): string {
  const host = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(61)}`;
  assert.equal(host.length, 253);
  const rest = `://${host}:65535`;
  return `${'a'.repeat(length - rest.length)}${rest}`;
}

test('an origin of exactly the longest length a browser can send is matched; one character more is refused', () => {
  const longest = originOfLength(MAX_ORIGIN_LENGTH);
  const tooLong = originOfLength(MAX_ORIGIN_LENGTH + 1);
  assert.equal(longest.length, 64 + 3 + 253 + 1 + 5);
  assert.deepEqual(parseSerializedOrigin(longest), { scheme: 'a'.repeat(64), host: longest.slice(67, 67 + 253), port: '65535' });
  assert.equal(parseSerializedOrigin(tooLong), undefined);
  const policy = new CorsPolicy({ ...quiet, allowOriginRegex: /a+:\/\/[b-e.]+:65535/ });
  assert.equal(policy.allowsOrigin(longest), true);
  assert.equal(policy.allowsOrigin(tooLong), false);
  // The same through a whole actual request: the longest origin is echoed, the longer one gets nothing.
  const headers = new Map<string, string>();
  drive(policy, headers, mapHeaderWriter, 'GET', longest, undefined, undefined);
  assert.equal(headers.get('access-control-allow-origin'), longest);
  const refused = new Map<string, string>();
  drive(policy, refused, mapHeaderWriter, 'GET', tooLong, undefined, undefined);
  assert.equal(refused.has('access-control-allow-origin'), false);
});
