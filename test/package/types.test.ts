// Type-level tests: compiled by `tsc -p tsconfig.json` (part of npm test). Each
// `@ts-expect-error` line fails the build if the mistake it shows ever type-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CorsOptions } from '../../src/index.js';
import { withCors as withCorsFetch } from '../../src/fetch/index.js';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import { cors as fastifyCors } from '../../src/fastify/index.js';
import { cors as honoCors } from '../../src/hono/index.js';
import { corsMiddleware, withCors as withCorsNode } from '../../src/node/index.js';
import { withCors as withCorsLambda } from '../../src/lambda/index.js';

test('option types accept the documented forms and refuse the common mistakes', () => {
  const ok: CorsOptions[] = [
    { allowOrigins: '*' },
    { allowOrigins: ['https://a.com', 'https://*.a.com', 'http://localhost:*', 'null'], dangerouslyAllowNullOrigin: true },
    { allowOriginRegex: /^https:\/\/[a-z]+\.a\.com$/ },
    { allowOriginRegex: 'https://[a-z]+\\.a\\.com' },
    { allowOriginPredicate: async (origin: string) => origin.endsWith('.a.com') },
    {
      allowOrigins: ['https://a.com'],
      allowCredentials: true,
      allowMethods: ['PUT'],
      allowHeaders: '*',
      exposeHeaders: ['X-A'],
      maxAge: 600,
    },
  ];
  // @ts-expect-error allowCredentials is a boolean
  const badCredentials: CorsOptions = { allowOrigins: ['https://a.com'], allowCredentials: 'true' };
  // @ts-expect-error a risk is accepted with true, not the text of an environment variable
  const badOptIn: CorsOptions = { allowOrigins: ['null'], dangerouslyAllowNullOrigin: 'true' };
  // @ts-expect-error maxAge is a number of seconds
  const badMaxAge: CorsOptions = { allowOrigins: ['https://a.com'], maxAge: '600' };
  // @ts-expect-error Starlette's snake_case names are not options
  const snake: CorsOptions = { allow_origins: ['https://a.com'] };
  // @ts-expect-error the predicate receives the origin string and answers a boolean
  const badPredicate: CorsOptions = { allowOriginPredicate: (origin: number) => origin > 0 };
  // @ts-expect-error one of allowOrigins, allowOriginRegex, allowOriginPredicate is required
  const noOrigin: CorsOptions = { allowCredentials: true, allowMethods: ['PUT'] };
  // @ts-expect-error an empty object allows no origin
  const empty: CorsOptions = {};
  assert.equal(ok.length + [badCredentials, badOptIn, badMaxAge, snake, badPredicate, noOrigin, empty].length, 13);
});

test("fetch withCors keeps the handler's extra parameter types", () => {
  const handler = withCorsFetch((_request: Request, env: { KV: string }) => new Response(env.KV), { allowOrigins: '*' });
  // @ts-expect-error env must have the handler's type
  const call = () => handler(new Request('http://x/'), { other: 1 });
  assert.equal(typeof call, 'function');
});

test('every adapter refuses options without an origin option, and the factory passed uncalled', () => {
  // Never called: these lines are here for tsc, which must refuse each marked one.
  const mistakes = () => {
    const app = express();
    // @ts-expect-error cors({}) allows no origin
    app.use(expressCors({}));
    // `app.use(expressCors)` (uncalled) still compiles: Express's ErrorRequestHandler overload takes
    // `err: any`, so any one-parameter function fits. It is refused at runtime (a 500 that says why).
    const koa = new Koa();
    // @ts-expect-error cors({}) allows no origin
    koa.use(koaCors({}));
    // `koa.use(koaCors)` (uncalled) still compiles: Koa's context has an `any` index signature, so it
    // fits any options type. It is refused at runtime (a 500 that says why).
    const hono = new Hono();
    // @ts-expect-error cors({}) allows no origin
    hono.use(honoCors({}));
    // @ts-expect-error the factory, not the middleware it makes
    hono.use(honoCors);
    // @ts-expect-error register options must name the allowed origins
    void Fastify().register(fastifyCors, {});
    // @ts-expect-error withCors without an origin option
    withCorsNode((_req, res) => res.end(), {});
    // @ts-expect-error the factory, not the middleware it makes
    corsMiddleware({ allowCredentials: true });
    // @ts-expect-error withCors without an origin option
    withCorsFetch(() => new Response(), {});
    // @ts-expect-error withCors without an origin option
    withCorsLambda(async () => ({ statusCode: 200 }), { allowMethods: ['PUT'] });
    // Each call above compiles once an origin option is added:
    app.use(expressCors({ allowOrigins: ['https://a.com'] }));
    koa.use(koaCors({ allowOriginRegex: 'https://[a-z]+\\.a\\.com' }));
    hono.use(honoCors({ allowOriginPredicate: () => true }));
    void Fastify().register(fastifyCors, { allowOrigins: '*' });
  };
  assert.equal(typeof mistakes, 'function');
});
