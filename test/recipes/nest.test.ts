// NestJS on both of its platforms with corsguard, booted for real (the app in ./nest, compiled
// with the decorator settings Nest needs, see ./nest/tsconfig.json) and asked over loopback
// HTTP: a preflight, an allowed GET, exceptions answered by Nest's own exception filter, a 404,
// and what happens when Nest's own `cors: true` is left on beside corsguard (docs/frameworks.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const compiled = new URL('../../recipes/nest/', import.meta.url);
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

type CreateApp = (nestOptions?: NestApplicationOptions) => Promise<INestApplication>;
const platforms: Record<string, CreateApp> = {};

before(async () => {
  // The sources import `corsguard/express` and `corsguard/fastify` as a user's app does (the
  // package resolves itself by name), so dist/ must be built, as `npm test` does first.
  await promisify(execFile)(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'test/recipes/nest/tsconfig.json'], {
    cwd: root,
  });
  const { createExpressApp } = (await import(new URL('main-express.js', compiled).href)) as { createExpressApp: CreateApp };
  const { createFastifyApp } = (await import(new URL('main-fastify.js', compiled).href)) as { createFastifyApp: CreateApp };
  const { CorsAppModule } = (await import(new URL('middleware.module.js', compiled).href)) as { CorsAppModule: new () => object };
  const { NestFactory } = await import('@nestjs/core');
  platforms['express, app.use(cors(options))'] = createExpressApp;
  platforms['fastify, app.register(cors, options)'] = createFastifyApp;
  platforms['express, MiddlewareConsumer'] = (nestOptions) => NestFactory.create(CorsAppModule, nestOptions);
});

const running: INestApplication[] = [];
after(() => Promise.all(running.map((app) => app.close())));

async function start(create: CreateApp, nestOptions: NestApplicationOptions = {}): Promise<string> {
  const app = await create({ logger: false, ...nestOptions });
  running.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
});

test('NestJS with corsguard, on each platform and in each form: preflights, GETs, exceptions and 404s', async () => {
  for (const [name, create] of Object.entries(platforms)) {
    const base = await start(create);
    const allowed = await fetch(`${base}/items`, preflight(APP));
    assert.equal(allowed.status, 204, name);
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP, name);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'DELETE, PUT', name);
    assert.equal(allowed.headers.get('access-control-allow-headers'), 'authorization, content-type', name);
    // A path no controller has: still corsguard's answer, not Nest's 404.
    const unrouted = await fetch(`${base}/nothing`, preflight(APP));
    assert.equal(unrouted.status, 204, name);
    assert.equal(unrouted.headers.get('access-control-allow-origin'), APP, name);
    const refused = await fetch(`${base}/items`, preflight(EVIL));
    assert.equal(refused.status, 403, name);
    assert.equal(refused.headers.get('access-control-allow-origin'), null, name);

    const get = await fetch(`${base}/items`, { headers: { Origin: APP } });
    assert.deepEqual(await get.json(), [1, 2, 3], name);
    assert.equal(get.headers.get('access-control-allow-origin'), APP, name);
    assert.equal(get.headers.get('access-control-allow-credentials'), 'true', name);
    assert.equal(get.headers.get('vary'), 'Origin', name);
    const put = await fetch(`${base}/items`, { method: 'PUT', headers: { Origin: APP } });
    assert.deepEqual(await put.json(), { saved: true }, name);
    assert.equal(put.headers.get('access-control-allow-origin'), APP, name);
    const denied = await fetch(`${base}/items`, { headers: { Origin: EVIL } });
    assert.equal(denied.headers.get('access-control-allow-origin'), null, name);

    // Nest's exception filter writes these answers; the browser must still be let read them.
    for (const [path, status] of [
      ['/items/forbidden', 403],
      ['/items/boom', 500],
      ['/nothing', 404],
    ] as const) {
      const response = await fetch(base + path, { headers: { Origin: APP } });
      assert.equal(response.status, status, `${name} ${path}`);
      assert.equal(((await response.json()) as { statusCode: number }).statusCode, status, `${name} ${path}`);
      assert.equal(response.headers.get('access-control-allow-origin'), APP, `${name} ${path}`);
      assert.equal(response.headers.get('vary'), 'Origin', `${name} ${path}`);
    }
  }
});

test("NestJS: leaving Nest's `cors: true` on beside corsguard sends Access-Control-Allow-Origin: * to any origin", async () => {
  for (const [name, create] of Object.entries(platforms)) {
    const base = await start(create, { cors: true });
    // Express: the `cors` package overwrites corsguard's header on actual responses, beside
    // corsguard's Allow-Credentials. Fastify, and the module form: Nest's CORS layer answers
    // preflights before corsguard sees them.
    const [get, options] = await Promise.all([
      fetch(`${base}/items`, { headers: { Origin: EVIL } }),
      fetch(`${base}/items`, preflight(EVIL)),
    ]);
    const leaked = [get, options].some((response) => response.headers.get('access-control-allow-origin') === '*');
    assert.ok(leaked, `${name}: expected Nest's own CORS layer to answer '*' to ${EVIL}`);
  }
});
