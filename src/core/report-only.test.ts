// The reportOnly option's validation: at construction, with every problem of the enforced options and
// of the candidate's at once, the candidate's named under reportOnly.options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, type CorsOptions, type CorsWarning } from '../index.js';

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
