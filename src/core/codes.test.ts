import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CODES_DOC_PATH, renderCodesDoc } from '../../test/support/codes-doc.js';
import { CORS_PROBLEM_CODES, CORS_WARNING_CODES, type CorsProblemCode, type CorsWarningCode } from './codes.js';
import { corsOptionsFromEnv } from './env.js';
import { CorsConfigError } from './errors.js';
import type { CorsOptions, CorsWarning } from './options.js';
import { CorsPolicy, type ActualAnswer } from './policy.js';
import { corsRequest } from '../../test/support/drive-policy.js';

const APP = 'https://app.example.com';

/** The codes of the problems building a policy from `options` throws (none when it builds). */
function problemCodes(build: () => unknown): string[] {
  try {
    build();
    return [];
  } catch (error) {
    assert.ok(error instanceof CorsConfigError, String(error));
    return error.problems.map((problem) => problem.code);
  }
}

const policy = (options: Record<string, unknown>) => () => new CorsPolicy({ onWarning: () => {}, ...options } as unknown as CorsOptions);

/** For each problem code, a configuration that produces it. A Record, so a code without a case does not compile. */
const PROBLEM_CASES: Record<CorsProblemCode, () => unknown> = {
  'invalid-type': policy({ allowOrigins: [APP], allowCredentials: 'yes' }),
  'unknown-option': policy({ allowOrigins: [APP], origin: true }),
  'no-origins': policy({ allowOrigins: [] }),
  'unset-value': policy({ allowOrigins: [undefined] }),
  'comma-separated-list': policy({ allowOrigins: [`${APP},https://admin.example.com`] }),
  'regex-in-allow-origins': policy({ allowOrigins: [/example\.com$/] }),
  'invalid-origin': policy({ allowOrigins: [`${APP}/`] }),
  'invalid-origin-wildcard': policy({ allowOrigins: ['https://app*.example.com'] }),
  'wildcard-origin-mixed': policy({ allowOrigins: ['*', APP] }),
  'wildcard-origin-with-credentials': policy({ allowOrigins: '*', allowCredentials: true }),
  'invalid-origin-regex': policy({ allowOriginRegex: 'a)|(.*' }),
  'stateful-origin-regex': policy({ allowOriginRegex: /^https:\/\/app\.example\.com$/g }),
  'unescaped-dot-in-origin-regex': policy({ allowOriginRegex: '^https://app.example.com$' }),
  'origin-regex-never-matches': policy({ allowOriginRegex: /\.example\.com$/ }),
  'slow-origin-regex': policy({ allowOriginRegex: '^https://([a-z0-9]+-?)+\\.example\\.com$' }),
  'invalid-timeout': policy({ allowOriginPredicate: () => true, originPredicateTimeout: 0 }),
  'invalid-method': policy({ allowOrigins: [APP], allowMethods: ['PUT ME'] }),
  'forbidden-method': policy({ allowOrigins: [APP], allowMethods: ['TRACE'] }),
  'invalid-header': policy({ allowOrigins: [APP], allowHeaders: ['X Api Key'] }),
  'forbidden-header': policy({ allowOrigins: [APP], allowHeaders: ['Cookie'] }),
  'response-header-as-request-header': policy({ allowOrigins: [APP], allowHeaders: ['Access-Control-Allow-Origin'] }),
  'invalid-exposed-header': policy({ allowOrigins: [APP], exposeHeaders: ['X Total'] }),
  'forbidden-exposed-header': policy({ allowOrigins: [APP], exposeHeaders: ['Set-Cookie'] }),
  'request-header-as-exposed-header': policy({ allowOrigins: [APP], exposeHeaders: ['Origin'] }),
  'wildcard-expose-with-credentials': policy({ allowOrigins: [APP], allowCredentials: true, exposeHeaders: '*' }),
  'invalid-max-age': policy({ allowOrigins: [APP], maxAge: -1 }),
  'invalid-preflight-status': policy({ allowOrigins: [APP], preflightStatus: 301 }),
  'empty-list-entry': () => corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: `${APP},,https://admin.example.com` }),
  'null-origin': policy({ allowOrigins: ['null'] }),
  'insecure-origin-with-credentials': policy({ allowOrigins: ['http://app.example.com'], allowCredentials: true }),
  'public-suffix-wildcard': policy({ allowOrigins: ['https://*.github.io'] }),
  'report-only-hook': policy({
    allowOrigins: [APP],
    reportOnly: { options: { allowOrigins: [APP], onWarning: () => {} }, onChange: () => {} },
  }),
};

/** For each warning code given at startup, options that produce it. */
const WARNING_CASES: Record<Exclude<CorsWarningCode, 'foreign-cors-header'>, Record<string, unknown>> = {
  'lower-case-method': { allowOrigins: [APP], allowMethods: ['patch'] },
};

for (const [code, build] of Object.entries(PROBLEM_CASES)) {
  test(`problem code ${code}: produced by its configuration, and listed`, () => {
    assert.ok(Object.hasOwn(CORS_PROBLEM_CODES, code));
    assert.ok(problemCodes(build).includes(code), `codes: ${problemCodes(build).join(', ')}`);
  });
}

for (const [code, options] of Object.entries(WARNING_CASES)) {
  test(`warning code ${code}: passed to onWarning, and a problem with the same code under strict`, () => {
    assert.ok(Object.hasOwn(CORS_WARNING_CODES, code));
    const warnings: CorsWarning[] = [];
    new CorsPolicy({ ...options, onWarning: (warning: CorsWarning) => warnings.push(warning) } as unknown as CorsOptions);
    assert.deepEqual(
      warnings.map((warning) => warning.code),
      [code],
    );
    assert.deepEqual(problemCodes(policy({ ...options, strict: true })), [code]);
  });
}

test('warning code foreign-cors-header: passed to onWarning at run time, once per header name, naming header and value', () => {
  assert.ok(Object.hasOwn(CORS_WARNING_CODES, 'foreign-cors-header'));
  const warnings: CorsWarning[] = [];
  const cors = new CorsPolicy({ allowOrigins: [APP], onWarning: (warning: CorsWarning) => warnings.push(warning) });
  const headers = new Map<string, string>();
  const writer = {
    set: (target: Map<string, string>, name: string, value: string) => void target.set(name.toLowerCase(), value),
    remove: (target: Map<string, string>, name: string) => void target.delete(name.toLowerCase()),
    appendVary: () => {},
    get: (target: Map<string, string>, name: string) => target.get(name.toLowerCase()),
  };
  const request = corsRequest('GET', { origin: 'https://evil.example' });
  const answer = cors.decide(request) as ActualAnswer;
  for (let i = 0; i < 2; i++) {
    headers.set('access-control-allow-origin', '*');
    cors.settleActual(headers, writer, request, answer);
    assert.equal(headers.has('access-control-allow-origin'), false);
  }
  assert.deepEqual(
    warnings.map((warning) => [warning.code, warning.header, warning.value]),
    [['foreign-cors-header', 'access-control-allow-origin', '*']],
  );
});

test('no code is both a problem code and a warning code', () => {
  const both = Object.keys(CORS_PROBLEM_CODES).filter((code) => Object.hasOwn(CORS_WARNING_CODES, code));
  assert.deepEqual(both, []);
});

test('docs/codes.md is generated from src/core/codes.ts (npm run docs:codes)', () => {
  assert.ok(readFileSync(CODES_DOC_PATH, 'utf8') === renderCodesDoc(), 'docs/codes.md is stale: run npm run docs:codes');
});
