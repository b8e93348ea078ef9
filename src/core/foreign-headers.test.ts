/**
 * CORS headers another layer put on a response (a handler, Nest's `cors: true`, the `cors`
 * package), as the policy settles them through a writer that can read: its own answer wins, and
 * each foreign header is reported once per name through onWarning, with the option that decides it
 * and what corsguard did instead. A writer that cannot read gets the policy's headers written or
 * removed, and nothing reported. (test/conformance/foreign-headers.test.ts does the same over HTTP
 * on every adapter.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsPolicy, type CorsOptions, type CorsWarning, type HeaderWriter } from '../index.js';
import { mapHeaderWriter } from '../../test/support/map-header-writer.js';
import { corsRequest, drive } from '../../test/support/drive-policy.js';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';

/** mapHeaderWriter with `get`, counting its reads. */
function readingWriter(): HeaderWriter<Map<string, string>> & { reads: number } {
  const writer = {
    ...mapHeaderWriter,
    reads: 0,
    get(map: Map<string, string>, name: string): string | undefined {
      writer.reads++;
      return map.get(name);
    },
  };
  return writer;
}

function policyWithWarnings(options: CorsOptions): { policy: CorsPolicy; warnings: CorsWarning[] } {
  const warnings: CorsWarning[] = [];
  return { policy: new CorsPolicy({ ...options, onWarning: (w) => warnings.push(w) }), warnings };
}

/** What another layer set: every CORS response header, none of them the policy's value. */
const EVERY_FOREIGN: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-credentials': 'false',
  'access-control-expose-headers': 'X-Foreign',
  'access-control-allow-methods': 'TRACE',
  'access-control-allow-headers': 'X-Foreign',
  'access-control-max-age': '86400',
};

/** Writes one actual response (written before the handler, settled at the head, as node:http does). */
function actual(policy: CorsPolicy, writer: HeaderWriter<Map<string, string>>, origin: string | undefined, existing = EVERY_FOREIGN) {
  const headers = new Map(Object.entries(existing));
  const request = corsRequest('GET', { origin });
  const answer = policy.decide(request);
  assert.ok(!(answer instanceof Promise) && answer.kind === 'actual');
  policy.writeActual(headers, writer, request, answer);
  return Object.fromEntries(headers);
}

/** The option that decides each header, as the warnings name it. */
const OPTION_OF: Readonly<Record<string, string>> = {
  'access-control-allow-origin': 'allowOrigins',
  'access-control-allow-credentials': 'allowCredentials',
  'access-control-expose-headers': 'exposeHeaders',
  'access-control-allow-methods': 'allowMethods',
  'access-control-allow-headers': 'allowHeaders',
  'access-control-max-age': 'maxAge',
};

/** What an actual response's answer never touches. */
const LEFT_ALONE = {
  'access-control-allow-methods': 'TRACE',
  'access-control-allow-headers': 'X-Foreign',
  'access-control-max-age': '86400',
};

function advice(name: string, found: string, to: string, outcome: string): string {
  return (
    `another CORS layer set ${name}: ${found} on a response to ${to}; corsguard ${outcome}. ` +
    "Remove the other layer (Nest's cors: true or enableCors(), the cors package, CORS headers set in a handler, " +
    "a proxy's add_header) and configure CORS in corsguard's options only."
  );
}

test("an allowed origin's actual response: the policy's three headers replace another layer's, each reported once with its option", () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['X-Total'] });
  const writer = readingWriter();
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(actual(policy, writer, APP), {
      ...LEFT_ALONE,
      vary: 'Origin',
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total',
    });
  }
  assert.deepEqual(
    warnings.map((w) => ({ ...w })),
    [
      ['access-control-allow-origin', 'allowOrigins', '*', APP],
      ['access-control-allow-credentials', 'allowCredentials', 'false', 'true'],
      ['access-control-expose-headers', 'exposeHeaders', 'X-Foreign', 'X-Total'],
    ].map(([header, option, value, ours]) => ({
      code: 'foreign-cors-header',
      option,
      value,
      header,
      message: advice(header!, value!, `origin ${APP}`, `sent ${header}: ${ours} instead`),
    })),
  );
  assert.ok(warnings.every((w) => Object.isFrozen(w)));
});

test("a denied origin's and an Origin-less request's actual response: another layer's CORS headers removed and reported", () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['X-Total'] });
  assert.deepEqual(actual(policy, readingWriter(), EVIL), { ...LEFT_ALONE, vary: 'Origin' });
  assert.deepEqual(
    warnings.map((w) => [w.option, w.message]),
    [
      ['allowOrigins', advice('access-control-allow-origin', '*', `origin ${EVIL}`, 'removed it')],
      ['allowCredentials', advice('access-control-allow-credentials', 'false', `origin ${EVIL}`, 'removed it')],
      ['exposeHeaders', advice('access-control-expose-headers', 'X-Foreign', `origin ${EVIL}`, 'removed it')],
    ],
  );
  const fresh = policyWithWarnings({ allowOrigins: [APP] });
  assert.deepEqual(actual(fresh.policy, readingWriter(), undefined), { ...LEFT_ALONE, vary: 'Origin' });
  assert.equal(fresh.warnings[0]?.message, advice('access-control-allow-origin', '*', 'a request without Origin', 'removed it'));
});

test("a public policy's actual response: '*' and its exposed headers replace another layer's, credentials removed", () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: '*', exposeHeaders: ['X-Total'] });
  const foreign = { ...EVERY_FOREIGN, 'access-control-allow-origin': EVIL };
  assert.deepEqual(actual(policy, readingWriter(), APP, foreign), {
    ...LEFT_ALONE,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'X-Total',
  });
  assert.deepEqual(
    warnings.map((w) => [w.header, w.value, w.message.split('; corsguard ')[1]?.split('. Remove')[0]]),
    [
      ['access-control-allow-origin', EVIL, 'sent access-control-allow-origin: * instead'],
      ['access-control-allow-credentials', 'false', 'removed it'],
      ['access-control-expose-headers', 'X-Foreign', 'sent access-control-expose-headers: X-Total instead'],
    ],
  );
  // Without exposed headers, another layer's Expose-Headers is removed.
  const bare = policyWithWarnings({ allowOrigins: '*' });
  assert.deepEqual(actual(bare.policy, readingWriter(), APP), { ...LEFT_ALONE, 'access-control-allow-origin': '*' });
});

test("headers already holding the policy's values are read, not rewritten, and not reported", () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowCredentials: true });
  const own = { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' };
  const writes: string[] = [];
  const writer = {
    ...readingWriter(),
    set(map: Map<string, string>, name: string, value: string): void {
      writes.push(name);
      map.set(name, value);
    },
  };
  assert.deepEqual(actual(policy, writer, APP, own), { ...own, vary: 'Origin' });
  assert.deepEqual(writes, []);
  assert.deepEqual(warnings, []);
});

test('written before the handler (settledLater), an allowed origin gets its headers unread; a denied one is settled at once', () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowCredentials: true });
  for (const [origin, reads, expected] of [
    [APP, 0, { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' }],
    [EVIL, 3, {}],
  ] as const) {
    const writer = readingWriter();
    const headers = new Map(Object.entries({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'false' }));
    const request = corsRequest('GET', { origin });
    const answer = policy.decide(request);
    assert.ok(!(answer instanceof Promise) && answer.kind === 'actual');
    policy.writeActual(headers, writer, request, answer, true);
    assert.equal(writer.reads, reads, origin);
    assert.deepEqual(Object.fromEntries(headers), { vary: 'Origin', ...expected });
  }
  // Only the denied origin's response was read, so only its foreign headers were reported.
  assert.deepEqual(
    warnings.map((w) => [w.header, w.message.includes(EVIL)]),
    [
      ['access-control-allow-origin', true],
      ['access-control-allow-credentials', true],
    ],
  );
});

test("a denied origin's preflight loses every CORS header another layer set, reported with the option that decides each", () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowMethods: ['PUT'] });
  for (const writer of [readingWriter(), mapHeaderWriter]) {
    const headers = new Map(Object.entries(EVERY_FOREIGN));
    const answer = drive(policy, headers, writer, 'OPTIONS', EVIL, 'PUT', undefined);
    assert.equal((answer as { status: number }).status, 403);
    assert.deepEqual(Object.fromEntries(headers), { vary: 'Origin' });
  }
  assert.deepEqual(
    warnings.map((w) => [w.header, w.option, w.value]),
    Object.entries(EVERY_FOREIGN).map(([header, value]) => [header, OPTION_OF[header], value]),
  );
});

test('a writer that cannot read: an allowed origin gets the headers set, a denied one gets all three removed, nothing reported', () => {
  const { policy, warnings } = policyWithWarnings({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: ['X-Total'] });
  assert.deepEqual(actual(policy, mapHeaderWriter, EVIL), { ...LEFT_ALONE, vary: 'Origin' });
  assert.deepEqual(actual(policy, mapHeaderWriter, APP), {
    ...LEFT_ALONE,
    vary: 'Origin',
    'access-control-allow-origin': APP,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Total',
  });
  assert.deepEqual(warnings, []);
});
