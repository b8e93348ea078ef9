// Type-level tests: compiled by `tsc -p tsconfig.json` (part of npm test). Each
// `@ts-expect-error` line fails the build if the mistake it shows ever type-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorsOptions } from '../../src/index.js';
import { withCors as withCorsFetch } from '../../src/fetch/index.js';

test('option types accept the documented forms and refuse the common mistakes', () => {
  const ok: CorsOptions[] = [
    { allowOrigins: '*' },
    { allowOrigins: ['https://a.com', 'https://*.a.com', 'http://localhost:*', 'null'] },
    { allowOriginRegex: /^https:\/\/[a-z]+\.a\.com$/ },
    { allowOriginRegex: 'https://[a-z]+\\.a\\.com' },
    { allowOriginPredicate: async (origin: string) => origin.endsWith('.a.com') },
    { allowOrigins: ['https://a.com'], allowCredentials: true, allowMethods: ['PUT'], allowHeaders: '*', exposeHeaders: ['X-A'], maxAge: 600 },
  ];
  // @ts-expect-error allowCredentials is a boolean
  const badCredentials: CorsOptions = { allowOrigins: ['https://a.com'], allowCredentials: 'true' };
  // @ts-expect-error maxAge is a number of seconds
  const badMaxAge: CorsOptions = { allowOrigins: ['https://a.com'], maxAge: '600' };
  // @ts-expect-error Starlette's snake_case names are not options
  const snake: CorsOptions = { allow_origins: ['https://a.com'] };
  // @ts-expect-error the predicate receives the origin string and answers a boolean
  const badPredicate: CorsOptions = { allowOriginPredicate: (origin: number) => origin > 0 };
  assert.equal(ok.length + [badCredentials, badMaxAge, snake, badPredicate].length, 10);
});

test('fetch withCors keeps the handler\'s extra parameter types', () => {
  const handler = withCorsFetch((_request: Request, env: { KV: string }) => new Response(env.KV), { allowOrigins: '*' });
  // @ts-expect-error env must have the handler's type
  const call = () => handler(new Request('http://x/'), { other: 1 });
  assert.equal(typeof call, 'function');
});
