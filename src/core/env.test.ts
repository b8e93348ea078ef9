import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorsConfigError, CorsPolicy, corsOptionsFromEnv } from '../index.js';

test('reads every variable, trimming list entries', () => {
  const options = corsOptionsFromEnv({
    CORS_ALLOW_ORIGINS: ' https://a.example , https://*.b.example ',
    CORS_ALLOW_CREDENTIALS: 'true',
    CORS_ALLOW_METHODS: 'PUT,DELETE',
    CORS_ALLOW_HEADERS: 'Content-Type, Authorization',
    CORS_EXPOSE_HEADERS: 'X-Total-Count',
    CORS_MAX_AGE: '600',
    UNRELATED: 'x',
  });
  assert.deepEqual(options, {
    allowOrigins: ['https://a.example', 'https://*.b.example'],
    allowCredentials: true,
    allowMethods: ['PUT', 'DELETE'],
    allowHeaders: ['Content-Type', 'Authorization'],
    exposeHeaders: ['X-Total-Count'],
    maxAge: 600,
  });
  assert.doesNotThrow(() => new CorsPolicy(options));
});

test('variables replace the defaults given in code; a prefix selects other names', () => {
  const options = corsOptionsFromEnv(
    { API_CORS_ALLOW_ORIGINS: '*', CORS_ALLOW_ORIGINS: 'https://ignored.example' },
    { prefix: 'API_CORS_', defaults: { allowOrigins: ['https://default.example'], allowMethods: ['PUT'] } },
  );
  assert.deepEqual(options, { allowOrigins: '*', allowMethods: ['PUT'] });
});

test('every problem at once, each naming its variable', () => {
  assert.throws(
    () =>
      corsOptionsFromEnv({
        CORS_ALLOW_ORIGINS: 'https://a.example,,https://b.example',
        CORS_ALLOW_CREDENTIALS: 'yes',
        CORS_MAX_AGE: '10m',
        CORS_ALLOW_METHODS: 'PUT',
        CORS_ALLOW_ORIGIN_REGEX: 'https://a.example',
      }),
    (error: unknown) => {
      assert.ok(error instanceof CorsConfigError);
      const options = error.problems.map((p) => p.option);
      assert.ok(options.includes('CORS_ALLOW_ORIGINS'), options.join());
      assert.ok(options.includes('CORS_ALLOW_CREDENTIALS'), options.join());
      assert.ok(options.includes('CORS_MAX_AGE'), options.join());
      assert.ok(options.includes('CORS_ALLOW_ORIGIN_REGEX'), options.join());
      assert.match(error.message, /CORS_MAX_AGE: '10m' is not a whole number of seconds/);
      assert.match(error.message, /CORS_ALLOW_CREDENTIALS: 'yes' is neither true nor false/);
      return true;
    },
  );
});

test('the options validation applies, under the variable name', () => {
  assert.throws(
    () => corsOptionsFromEnv({ CORS_ALLOW_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' }),
    (error: unknown) =>
      error instanceof CorsConfigError &&
      error.problems.some((p) => p.code === 'wildcard-origin-with-credentials' && p.option.startsWith('CORS_')),
  );
  assert.throws(() => corsOptionsFromEnv({ CORS_MAX_AGE: '100000', CORS_ALLOW_ORIGINS: 'https://a.example' }), /CORS_MAX_AGE/);
  assert.throws(() => corsOptionsFromEnv({}), /CORS_ALLOW_ORIGINS: undefined allows no origin/);
});
