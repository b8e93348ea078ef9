/**
 * The policy remembers verdicts on origins and on Access-Control-Request-Headers values, and
 * starts over when a memo is full. What a server operator would notice if it did not: an
 * attacker who sends endless distinct values grows the process's memory without limit. These
 * tests send far more distinct values than either memo holds and measure the heap after a
 * full garbage collection: an unbounded memo would keep every value (tens of MB), the bounded
 * one keeps at most its limit (well under 1 MB). The margin is large on both sides, so the
 * measurement does not depend on the machine or on what else runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CorsPolicy, type PreflightAnswer } from './policy.js';
import { mapHeaderWriter } from '../../test/support/map-header-writer.js';
import { drive } from '../../test/support/drive-policy.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterFullGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A string of its own (not a slice or a concatenation sharing another string's memory). */
function ownString(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

const quiet = { onWarning: () => undefined, onError: () => undefined };
const MB = 1024 * 1024;

/**
 * Sends `count` distinct values through `ask` and returns how much the heap grew, keeping `keep`
 * alive. `warmUp` values go first, so the measurement starts from a memo at its bound.
 */
function heapGrowth(count: number, value: (i: number) => string, ask: (value: string) => void, keep: unknown, warmUp = 5_000): number {
  for (let i = 0; i < warmUp; i++) ask(value(count + i));
  const before = heapAfterFullGc();
  for (let i = 0; i < count; i++) ask(value(i));
  const after = heapAfterFullGc();
  assert.ok(keep !== undefined);
  return after - before;
}

test('endless distinct origins do not grow memory: the origin memo starts over when full', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: ['https://*.example.com'], allowOriginRegex: /https:\/\/[a-z]+\.example\.org/ });
  const padding = 'p'.repeat(200);
  const count = 100_000;
  const keyBytes = 250;
  const growth = heapGrowth(
    count,
    (i) => ownString(`https://${padding}${i.toString(36).padStart(8, '0')}.example.com`),
    (origin) => assert.equal(policy.allowsOrigin(origin), true),
    policy,
  );
  // Keeping every origin would hold at least count x keyBytes (about 24 MB) of strings alone.
  assert.ok(count * keyBytes > 20 * MB);
  assert.ok(growth < 4 * MB, `the heap grew by ${(growth / MB).toFixed(1)} MB after ${count} distinct origins`);
});

test('endless distinct Access-Control-Request-Headers values do not grow memory: that memo starts over too', () => {
  const policy = new CorsPolicy({ ...quiet, allowOrigins: ['https://app.example.com'], allowMethods: ['PUT'], allowHeaders: ['*'] });
  const names = Array.from({ length: 200 }, (_, i) => `x-header-${i}`).join(',');
  const count = 20_000;
  const growth = heapGrowth(
    count,
    (i) => ownString(`${names},x-${i.toString(36)}`),
    (value) => {
      const result = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', 'https://app.example.com', 'PUT', value) as PreflightAnswer;
      assert.equal(result.allowed, true);
    },
    policy,
  );
  // Keeping every value would hold count x names.length (about 50 MB) of strings alone.
  assert.ok(count * names.length > 40 * MB);
  assert.ok(growth < 4 * MB, `the heap grew by ${(growth / MB).toFixed(1)} MB after ${count} distinct values`);
});

test('over-long values are refused unread and never remembered', () => {
  // Over HTTP a header is at most what the server accepts (node:http: 16 KiB for all of them by
  // default; other runtimes allow more); each of these is 20,000 characters or more.
  const policy = new CorsPolicy({ ...quiet, allowOrigins: ['https://*.example.com'], allowMethods: ['PUT'], allowHeaders: ['*'] });
  const longLabel = 'a'.repeat(20_000);
  const origins = heapGrowth(
    1_000,
    (i) => ownString(`https://${longLabel}${i}.example.com`),
    (origin) => assert.equal(policy.allowsOrigin(origin), false),
    policy,
    0,
  );
  assert.ok(origins < 4 * MB, `the heap grew by ${(origins / MB).toFixed(1)} MB after 1,000 over-long origins (20 MB in all)`);
  const longList = 'x-a,'.repeat(20_000);
  const lists = heapGrowth(
    250,
    (i) => ownString(`${longList}x-${i}`),
    (value) => {
      const result = drive(policy, new Map(), mapHeaderWriter, 'OPTIONS', 'https://app.example.com', 'PUT', value) as PreflightAnswer;
      assert.match(result.reason, /or is too long/);
    },
    policy,
    0,
  );
  assert.ok(lists < 4 * MB, `the heap grew by ${(lists / MB).toFixed(1)} MB after 250 over-long request-header lists (20 MB in all)`);
});
