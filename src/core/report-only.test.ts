// The reportOnly option's validation: at construction, with every problem of the enforced options and
// of the candidate's at once, the candidate's named under reportOnly.options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, type CorsOptions, type CorsVerdictChange, type CorsWarning } from '../index.js';
import { corsRequest } from '../../test/support/drive-policy.js';

function problemsOf(options: unknown): Array<[string, string]> {
  try {
    new CorsPolicy(options as CorsOptions);
  } catch (error) {
    assert.ok(error instanceof CorsConfigError);
    return error.problems.map((p) => [p.option, p.code]);
  }
  assert.fail('expected a CorsConfigError');
}

test("reportOnly: the enforced options' problems and the candidate's are reported together, the candidate's under reportOnly.options", () => {
  assert.deepEqual(
    problemsOf({
      allowOrigins: ['https://app.example.com/'],
      reportOnly: { options: { allowOrigins: ['*'], allowCredentials: true, maxAge: -1, onError: () => {} }, onChange: () => {} },
    }),
    [
      ['allowOrigins', 'invalid-origin'],
      ['reportOnly.options.onError', 'report-only-hook'],
      ['reportOnly.options.allowOrigins', 'wildcard-origin-with-credentials'],
      ['reportOnly.options.maxAge', 'invalid-max-age'],
    ],
  );
});

test('reportOnly: a shape that cannot work is refused with a fix', () => {
  assert.deepEqual(problemsOf({ allowOrigins: ['https://a.example'], reportOnly: true }), [['reportOnly', 'invalid-type']]);
  assert.deepEqual(problemsOf({ allowOrigins: ['https://a.example'], reportOnly: { options: { allowOrigins: ['https://a.example'] } } }), [
    ['reportOnly.onChange', 'invalid-type'],
  ]);
  assert.deepEqual(problemsOf({ allowOrigins: ['https://a.example'], reportOnly: { onChange: () => {}, policy: {} } }), [
    ['reportOnly.policy', 'unknown-option'],
    ['reportOnly.options', 'invalid-type'],
  ]);
  assert.deepEqual(
    problemsOf({
      allowOrigins: ['https://a.example'],
      reportOnly: { options: { allowOrigins: ['https://a.example'], reportOnly: {} }, onChange: () => {} },
    }),
    [['reportOnly.options.reportOnly', 'report-only-hook']],
  );
});

test("reportOnly: the candidate's warnings reach onWarning under reportOnly.options, once", () => {
  const warnings: CorsWarning[] = [];
  new CorsPolicy({
    allowOrigins: ['https://a.example'],
    onWarning: (warning) => warnings.push(warning),
    reportOnly: { options: { allowOrigins: ['https://a.example'], allowMethods: ['patch'] }, onChange: () => {} },
  });
  assert.deepEqual(
    warnings.map((w) => [w.option, w.code]),
    [['reportOnly.options.allowMethods', 'lower-case-method']],
  );
});

/** Decides each request (method, url, headers) with a policy and its candidate; returns the changes reported. */
async function changesFor(
  enforced: CorsOptions,
  candidate: CorsOptions,
  requests: ReadonlyArray<readonly [string, string | undefined, Record<string, string>]>,
): Promise<CorsVerdictChange[]> {
  const changes: CorsVerdictChange[] = [];
  const policy = new CorsPolicy({ ...enforced, reportOnly: { options: candidate, onChange: (change) => changes.push(change) } });
  for (const [method, url, headers] of requests) {
    await policy.decide(corsRequest(method, headers, url));
  }
  // An asynchronous candidate answers after the enforced decision: let it.
  await new Promise((resolve) => setImmediate(resolve));
  return changes;
}

const APP = 'https://app.example';
const LEGACY = 'https://legacy.example';

test('reportOnly: each request the candidate answers otherwise is reported, with the method a preflight asks for and the path', async () => {
  const changes = await changesFor(
    { allowOrigins: [APP, LEGACY], allowMethods: ['PUT', 'DELETE'] },
    { allowOrigins: [APP, 'https://new.example'], allowMethods: ['PUT'] },
    [
      ['GET', '/items?token=secret', { origin: LEGACY }],
      ['GET', '/items', { origin: APP }],
      ['OPTIONS', '/items/7', { origin: APP, 'access-control-request-method': 'DELETE' }],
      ['OPTIONS', '/items/7', { origin: APP, 'access-control-request-method': 'PUT' }],
      ['POST', undefined, { origin: 'https://new.example' }],
      ['OPTIONS', undefined, { origin: 'https://new.example', 'access-control-request-method': 'PUT' }],
      ['GET', '/health', {}],
    ],
  );
  assert.deepEqual(changes, [
    {
      kind: 'actual',
      origin: LEGACY,
      method: 'GET',
      path: '/items',
      enforced: { allowed: true, reason: 'origin allowed' },
      candidate: { allowed: false, reason: 'origin not allowed' },
    },
    {
      kind: 'preflight',
      origin: APP,
      method: 'DELETE',
      path: '/items/7',
      enforced: { allowed: true, reason: 'allowed', status: 204 },
      candidate: { allowed: false, reason: 'method DELETE is not allowed', status: 200 },
    },
    // Without a URL, no path.
    {
      kind: 'actual',
      origin: 'https://new.example',
      method: 'POST',
      enforced: { allowed: false, reason: 'origin not allowed' },
      candidate: { allowed: true, reason: 'origin allowed' },
    },
    {
      kind: 'preflight',
      origin: 'https://new.example',
      method: 'PUT',
      enforced: { allowed: false, reason: 'origin not allowed', status: 403 },
      candidate: { allowed: true, reason: 'allowed', status: 204 },
    },
  ]);
  for (const change of changes) assert.ok(Object.isFrozen(change) && Object.isFrozen(change.enforced) && Object.isFrozen(change.candidate));
});

test('reportOnly: an asynchronous candidate predicate is answered after the enforced decision, and reported', async () => {
  const changes = await changesFor({ allowOrigins: [APP] }, { allowOriginPredicate: async (origin) => origin === LEGACY }, [
    ['GET', '/a', { origin: LEGACY }],
    ['GET', '/b', { origin: APP }],
    ['GET', '/c', { origin: 'https://other.example' }],
  ]);
  assert.deepEqual(
    changes.map((c) => [c.origin, c.path, c.enforced.allowed, c.candidate.allowed]),
    [
      [LEGACY, '/a', false, true],
      [APP, '/b', true, false],
    ],
  );
});
