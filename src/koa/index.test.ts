import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import Koa from 'koa';
import { CorsConfigError } from '../core/errors.js';
import { send } from '../../test/support/http.js';
import { NOT_OPTIONS } from '../../test/support/not-options.js';
import { withServer } from '../../test/support/server.js';
import { VARY_ALLOWED_ORIGIN, assertVaryKeepsOrigin } from '../../test/support/vary.js';
import { cors } from './index.js';

const APP = 'https://app.example';

function quietApp(): Koa {
  const app = new Koa();
  app.silent = true;
  return app;
}

describe('corsguard/koa', () => {
  it('app.use(cors) without calling it answers 500 at once and names the fix', async () => {
    const app = quietApp();
    const messages: string[] = [];
    app.on('error', (error: Error) => messages.push(error.message));
    app.use(cors as never);
    await withServer(app.callback(), async (url) => {
      assert.equal((await send(`${url}/`, { headers: { origin: APP } })).status, 500);
    });
    assert.match(messages[0] ?? '', /app\.use\(cors\(options\)\)/);
  });

  it('anything but options, even what looks partly like a request or context, is refused as bad options', () => {
    for (const value of NOT_OPTIONS) assert.throws(() => cors(value as never), CorsConfigError, String(value));
  });

  it('throws a CorsConfigError when the app is built', () => {
    // @ts-expect-error TypeScript refuses options without an origin option; JavaScript gets the runtime error.
    assert.throws(() => cors({}), CorsConfigError);
  });

  it("keeps the error's own headers next to the CORS headers (ctx.throw with WWW-Authenticate)", async () => {
    const app = quietApp();
    app.use(cors({ allowOrigins: [APP], allowCredentials: true }));
    app.use((ctx) => ctx.throw(401, 'sign in first', { headers: { 'WWW-Authenticate': 'Bearer', vary: 'Authorization' } }));
    await withServer(app.callback(), async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], 'Bearer');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.equal(res.headers.vary, 'Authorization, Origin');
    });
  });

  it('Vary keeps Origin however a handler sets its own (ctx.set, ctx.append, ctx.vary, ctx.res.writeHead)', async () => {
    const app = quietApp();
    app.use(cors({ allowOrigins: [VARY_ALLOWED_ORIGIN] }));
    app.use((ctx) => {
      switch (ctx.path) {
        case '/set':
          ctx.set('Vary', 'Accept-Encoding');
          break;
        case '/set-object':
          ctx.set({ Vary: 'Accept-Encoding', 'Cache-Control': 'public, max-age=60' });
          break;
        case '/append':
          ctx.append('Vary', 'Accept-Encoding');
          break;
        case '/vary':
          ctx.vary('Accept-Encoding');
          break;
        case '/remove-then-set':
          ctx.remove('Vary');
          ctx.set('vary', 'Accept-Encoding');
          break;
        case '/raw':
          // Koa lets a handler answer on the raw response (ctx.respond = false).
          ctx.respond = false;
          ctx.res.writeHead(200, { Vary: 'Accept-Encoding' }).end('ok');
          return;
      }
      ctx.body = { ok: true };
    });
    await withServer(app.callback(), async (url) => {
      for (const path of ['/set', '/set-object', '/append', '/vary', '/remove-then-set', '/raw']) {
        await assertVaryKeepsOrigin(`${url}${path}`, ['Accept-Encoding']);
      }
    });
  });

  it('a denied origin gets no CORS header back from an error, even one another layer put there', async () => {
    const app = quietApp();
    app.use(cors({ allowOrigins: [APP] }));
    app.use((ctx) => ctx.throw(500, 'boom', { headers: { 'Access-Control-Allow-Origin': '*' } }));
    await withServer(app.callback(), async (url) => {
      const res = await send(`${url}/`, { headers: { origin: 'https://evil.example' } });
      assert.equal(res.status, 500);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      assert.equal(res.headers.vary, 'Origin');
    });
  });

  it("the error that middleware above sees carries each CORS header once, the policy's value replacing the error's own under any casing", async () => {
    const app = quietApp();
    const seen: Record<string, unknown>[] = [];
    app.use(async (_ctx, next) => {
      try {
        await next();
      } catch (error) {
        seen.push({ ...(error as { headers: Record<string, unknown> }).headers });
        throw error;
      }
    });
    app.use(cors({ allowOrigins: [APP], allowCredentials: true }));
    app.use((ctx) =>
      ctx.throw(500, 'boom', {
        headers: {
          'Access-Control-Allow-Origin': '*',
          'ACCESS-CONTROL-ALLOW-CREDENTIALS': 'false',
          'X-Trace': '1',
          undefined: 'a header so named',
        },
      }),
    );
    await withServer(app.callback(), async (url) => {
      assert.equal((await send(`${url}/`, { headers: { origin: APP } })).status, 500);
      assert.equal((await send(`${url}/`, { headers: { origin: 'https://evil.example' } })).status, 500);
    });
    assert.deepEqual(seen, [
      { 'X-Trace': '1', undefined: 'a header so named', 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
      { 'X-Trace': '1', undefined: 'a header so named' },
    ]);
  });

  it('a thrown non-Error still gets a 500 with CORS headers, and error middleware above still sees it', async () => {
    const app = quietApp();
    const seen: unknown[] = [];
    app.use(async (_ctx, next) => {
      try {
        await next();
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    app.use(cors({ allowOrigins: [APP] }));
    app.use(() => {
      throw 'a string';
    });
    await withServer(app.callback(), async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.status, 500);
      assert.equal(res.headers['access-control-allow-origin'], APP);
    });
    assert.equal(seen.length, 1);
    assert.match(String((seen[0] as Error).message), /non-error thrown: "a string"/);
  });

  it('an Error of another realm, and an object inheriting from Error, reach Koa as thrown, with the CORS headers', async () => {
    // Koa takes both as errors (toString or instanceof), so corsguard must not replace them.
    const app = quietApp();
    const reported: unknown[] = [];
    app.on('error', (error: unknown) => reported.push(error));
    app.use(cors({ allowOrigins: [APP] }));
    const otherRealm: unknown = runInNewContext('new Error("from a vm context")');
    const inheriting: unknown = Object.create(Error.prototype, { message: { value: 'inherits from Error' } });
    app.use((ctx) => {
      throw ctx.path === '/realm' ? otherRealm : inheriting;
    });
    await withServer(app.callback(), async (url) => {
      for (const path of ['/realm', '/inheriting']) {
        const res = await send(`${url}${path}`, { headers: { origin: APP } });
        assert.equal(res.status, 500, path);
        assert.equal(res.headers['access-control-allow-origin'], APP, path);
      }
    });
    assert.equal(reported.length, 2);
    assert.equal(reported[0], otherRealm);
    assert.equal(reported[1], inheriting);
  });

  it('a frozen error reaches the error middleware above unchanged, which answers it with the CORS headers', async () => {
    // Koa's own handler cannot answer a frozen error (it assigns err.status), so an app that
    // throws one answers it in its error middleware: that must see the very error thrown.
    const app = quietApp();
    const seen: unknown[] = [];
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        seen.push(error);
        ctx.status = 503;
        ctx.body = 'try later';
      }
    });
    app.use(cors({ allowOrigins: [APP] }));
    const frozen = Object.freeze(new Error('frozen'));
    app.use(() => {
      throw frozen;
    });
    await withServer(app.callback(), async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.status, 503);
      assert.equal(res.body, 'try later');
      assert.equal(res.headers['access-control-allow-origin'], APP);
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0], frozen);
  });

  it('an empty preflight with preflightStatus 200 has Content-Length 0 and no body', async () => {
    const app = quietApp();
    app.use(cors({ allowOrigins: [APP], preflightStatus: 200 }));
    await withServer(app.callback(), async (url) => {
      const res = await send(`${url}/`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-length'], '0');
      assert.equal(res.headers['content-type'], undefined);
      assert.equal(res.body, '');
    });
  });

  it('applies to one part of an app when called only for its paths', async () => {
    const app = quietApp();
    const apiCors = cors({ allowOrigins: [APP], allowMethods: ['PUT'] });
    app.use((ctx, next) => (ctx.path.startsWith('/api/') ? apiCors(ctx, next) : next()));
    app.use((ctx) => {
      ctx.body = ctx.path;
    });
    await withServer(app.callback(), async (url) => {
      const pre = await send(`${url}/api/items`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'PUT' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-methods'], 'PUT');
      assert.equal((await send(`${url}/api/items`, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
      assert.equal((await send(`${url}/internal`, { headers: { origin: APP } })).headers['access-control-allow-origin'], undefined);
    });
  });
});
