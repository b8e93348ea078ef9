/**
 * Secure by default: each risky setting is refused with a CorsConfigError that says what the risk is and
 * names the one option that accepts it; with that option the setting works (and says nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, corsOptionsFromEnv, type CorsOptions, type CorsWarning } from '../index.js';
import { CORS_RISK_OPT_INS, type CorsRiskCode } from './risks.js';

function refusal(options: Record<string, unknown>): CorsConfigError {
  try {
    new CorsPolicy({ onWarning: () => {}, ...options } as unknown as CorsOptions);
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    return error;
  }
  assert.fail(`expected a CorsConfigError for ${JSON.stringify(options)}`);
}

function warningsOf(options: Record<string, unknown>): CorsWarning[] {
  const seen: CorsWarning[] = [];
  new CorsPolicy({ ...options, onWarning: (w: CorsWarning) => seen.push(w) } as unknown as CorsOptions);
  return seen;
}

/** Each risk: configurations that take it, and the words its refusal must say. */
const RISKS: Record<CorsRiskCode, { configs: Record<string, unknown>[]; says: RegExp }> = {
  'null-origin': {
    configs: [
      { allowOrigins: ['null'] },
      { allowOrigins: ['https://app.example.com', 'null'] },
      { allowOriginRegex: 'null|https://x\\.test' },
    ],
    says: /sandboxed iframe/,
  },
  'insecure-origin-with-credentials': {
    configs: [
      { allowOrigins: ['http://app.example.com'], allowCredentials: true },
      { allowOrigins: ['http://*.example.com'], allowCredentials: true },
      { allowOrigins: ['http://192.168.1.10:8080'], allowCredentials: true },
      { allowOriginRegex: '^https?://app\\.example\\.com$', allowCredentials: true },
      { allowOriginRegex: /^http:\/\/[a-z]+\.example\.com(:[0-9]+)?$/, allowCredentials: true },
    ],
    says: /network path/,
  },
  'public-suffix-wildcard': {
    configs: [
      { allowOrigins: ['https://*.com'] },
      { allowOrigins: ['https://*.github.io'] },
      { allowOriginRegex: /^https:\/\/[a-z0-9-]+\.github\.io$/ },
      { allowOriginRegex: '^https://[a-z0-9-]+\\.vercel\\.app(:[0-9]+)?$' },
      { allowOriginRegex: 'https://[a-z]+\\.(com|net)' },
    ],
    says: /public suffix/,
  },
};

for (const [code, { configs, says }] of Object.entries(RISKS) as [CorsRiskCode, (typeof RISKS)[CorsRiskCode]][]) {
  const optIn = CORS_RISK_OPT_INS[code];
  for (const config of configs) {
    const label = JSON.stringify(config, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
    test(`${code}: ${label} is refused, naming the risk and ${optIn}`, () => {
      const error = refusal(config);
      assert.deepEqual(
        error.problems.map((p) => p.code),
        [code],
      );
      assert.match(error.problems[0]!.reason, says);
      assert.match(error.problems[0]!.fix, new RegExp(`${optIn}: true`));
      assert.match(error.message, new RegExp(optIn));
    });
    test(`${code}: ${label} is accepted, silently, with ${optIn}: true`, () => {
      assert.deepEqual(warningsOf({ ...config, [optIn]: true }), []);
    });
  }
  test(`${code}: ${optIn}: false refuses the risk as leaving it out does`, () => {
    assert.deepEqual(
      refusal({ ...configs[0], [optIn]: false }).problems.map((p) => p.code),
      [code],
    );
  });
}

test('an opt-in accepts its own risk only', () => {
  const both = { allowOrigins: ['null', 'http://app.example.com'], allowCredentials: true };
  assert.deepEqual(
    refusal({ ...both, dangerouslyAllowNullOrigin: true }).problems.map((p) => p.code),
    ['insecure-origin-with-credentials'],
  );
  assert.deepEqual(
    refusal({ ...both, dangerouslyAllowInsecureOriginsWithCredentials: true }).problems.map((p) => p.code),
    ['null-origin'],
  );
});

test('an opt-in that is not a boolean is refused, as the string from an environment variable often is', () => {
  for (const value of ['true', 1, null, {}]) {
    const error = refusal({ allowOrigins: ['null'], dangerouslyAllowNullOrigin: value });
    assert.deepEqual(
      error.problems.map((p) => [p.code, p.option]),
      [
        ['invalid-type', 'dangerouslyAllowNullOrigin'],
        ['null-origin', 'allowOrigins'],
      ],
      String(value),
    );
  }
});

test('a misspelt opt-in is an unknown option whose fix names the opt-in it resembles', () => {
  const error = refusal({ allowOrigins: ['null'], dangerouslyAllowNullOrigins: true });
  assert.deepEqual(
    error.problems.map((p) => [p.code, p.option]),
    [
      ['unknown-option', 'dangerouslyAllowNullOrigins'],
      ['null-origin', 'allowOrigins'],
    ],
  );
  assert.match(error.problems[0]!.fix, /^use dangerouslyAllowNullOrigin \(/);
  const far = refusal({ allowOrigins: ['https://app.example.com'], dangerouslyAllowEverything: true });
  assert.match(
    far.problems[0]!.fix,
    /dangerouslyAllowNullOrigin, dangerouslyAllowInsecureOriginsWithCredentials, dangerouslyAllowPublicSuffixWildcards/,
  );
  // Other near misses get the same did-you-mean.
  assert.equal(refusal({ allowOrigins: ['https://app.example.com'], maxAgee: 5 }).problems[0]!.fix, 'use maxAge');
});

test('localhost and loopback origins are potentially trustworthy: allowed with credentials, no opt-in, no warning', () => {
  for (const origin of [
    'http://localhost:3000',
    'http://localhost',
    'http://127.0.0.1:8080',
    'http://127.1.2.3',
    'http://[::1]:5173',
    'http://app.localhost:3000',
    'http://*.localhost',
    'http://localhost:*',
  ]) {
    assert.deepEqual(warningsOf({ allowOrigins: [origin], allowCredentials: true }), [], origin);
  }
  for (const allowOriginRegex of ['^http://localhost:[0-9]+$', 'https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?', '^http://localhost:3000$']) {
    assert.deepEqual(warningsOf({ allowOriginRegex, allowCredentials: true }), [], allowOriginRegex);
  }
});

test('every problem is reported at once: each risk, a bad opt-in and an ordinary problem together', () => {
  const error = refusal({
    allowOrigins: ['null', 'http://app.example.com', 'https://*.github.io'],
    allowCredentials: true,
    dangerouslyAllowPublicSuffixWildcards: 'yes',
    maxAge: -1,
  });
  assert.deepEqual(error.problems.map((p) => p.code).sort(), [
    'insecure-origin-with-credentials',
    'invalid-max-age',
    'invalid-type',
    'null-origin',
    'public-suffix-wildcard',
  ]);
});

test('a sound allowOriginRegex is not probed into a refusal', () => {
  for (const allowOriginRegex of [
    /^https:\/\/[a-z0-9-]+\.example\.com$/,
    'https://(app|admin)\\.github\\.io',
    'https://[a-z0-9-]+\\.example\\.co\\.uk(:[0-9]+)?',
    'https?://(localhost|127\\.0\\.0\\.1)(:\\d+)?',
  ]) {
    assert.deepEqual(warningsOf({ allowOriginRegex }), [], String(allowOriginRegex));
    assert.deepEqual(warningsOf({ allowOriginRegex, allowCredentials: true }), [], String(allowOriginRegex));
  }
});

test('a report-only candidate that takes a risk is refused under its own name, unless it opts in itself', () => {
  const candidate = (options: Record<string, unknown>) => ({
    allowOrigins: ['https://app.example.com'],
    reportOnly: { options: { allowOrigins: ['null'], ...options }, onChange: () => {} },
  });
  assert.deepEqual(
    refusal(candidate({})).problems.map((p) => [p.option, p.code]),
    [['reportOnly.options.allowOrigins', 'null-origin']],
  );
  assert.deepEqual(warningsOf(candidate({ dangerouslyAllowNullOrigin: true })), []);
});

test('corsOptionsFromEnv: each opt-in has a variable, true or false only', () => {
  const env = { CORS_ALLOW_ORIGINS: 'null,http://app.example.com', CORS_ALLOW_CREDENTIALS: 'true' };
  assert.throws(
    () => corsOptionsFromEnv(env),
    (error: unknown) => {
      assert.ok(error instanceof CorsConfigError);
      assert.deepEqual(
        error.problems.map((p) => [p.code, p.option]),
        [
          ['null-origin', 'CORS_ALLOW_ORIGINS'],
          ['insecure-origin-with-credentials', 'CORS_ALLOW_ORIGINS'],
        ],
      );
      assert.match(error.message, /CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN=true/);
      return true;
    },
  );
  const options = corsOptionsFromEnv({
    ...env,
    CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN: 'true',
    CORS_DANGEROUSLY_ALLOW_INSECURE_ORIGINS_WITH_CREDENTIALS: 'true',
    CORS_DANGEROUSLY_ALLOW_PUBLIC_SUFFIX_WILDCARDS: 'false',
  });
  assert.equal(options.dangerouslyAllowNullOrigin, true);
  assert.equal(options.dangerouslyAllowInsecureOriginsWithCredentials, true);
  assert.equal(options.dangerouslyAllowPublicSuffixWildcards, false);
  assert.equal(new CorsPolicy({ ...options, onWarning: () => assert.fail('no warning expected') }).allowsOrigin('null'), true);
  assert.throws(
    () => corsOptionsFromEnv({ ...env, CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN: 'yes' }),
    (error: unknown) =>
      error instanceof CorsConfigError &&
      error.problems.some((p) => p.code === 'invalid-type' && p.option === 'CORS_DANGEROUSLY_ALLOW_NULL_ORIGIN'),
  );
});
