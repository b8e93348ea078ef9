import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { CorsConfigError } from '../core/errors.js';
import { send } from '../../test/support/http.js';
import { NOT_OPTIONS } from '../../test/support/not-options.js';
import { withServer } from '../../test/support/server.js';
import { cors } from './index.js';

const APP = 'https://app.example';
const preflight = (method: string) => ({ origin: APP, 'access-control-request-method': method });

/** Sends a WebSocket upgrade request and resolves with the head of the 101 answer. */
function upgrade(url: string, origin: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers: { origin, connection: 'Upgrade', upgrade: 'websocket' } });
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to the upgrade request to ${url}`)));
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('response', (res) => {
      res.resume();
      reject(new Error(`${url} answered ${res.statusCode}, not 101`));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('corsguard/hono', () => {
  it('app.use(cors) without calling it answers 500 at once and names the fix', async () => {
    const app = new Hono();
    app.use(cors as never);
    app.get('/', (c) => c.text('unreachable'));
    let message = '';
    app.onError((error, c) => {
      message = error.message;
      return c.text('failed', 500);
    });
    await withServer(getRequestListener(app.fetch), async (url) => {
      assert.equal((await send(`${url}/`, { headers: { origin: APP } })).status, 500);
    });
    assert.match(message, /app\.use\(cors\(options\)\)/);
  });

  it('preflight answers keep the headers earlier middleware set, minus its CORS headers', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      c.header('X-Request-Id', 'req-1');
      c.header('Vary', 'Accept-Encoding');
      c.header('Access-Control-Allow-Origin', '*');
      await next();
    });
    app.use(cors({ allowOrigins: [APP], allowMethods: ['PUT'] }));
    await withServer(getRequestListener(app.fetch), async (url) => {
      for (const [origin, method, status] of [
        [APP, 'PUT', 204],
        [APP, 'DELETE', 200],
        ['https://evil.example', 'PUT', 403],
      ] as const) {
        const answer = await send(`${url}/items`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method } });
        const what = `${origin} ${method}`;
        assert.equal(answer.status, status, what);
        assert.equal(answer.headers['x-request-id'], 'req-1', what);
        assert.equal(answer.headers.vary, 'Accept-Encoding, Origin', what);
        assert.equal(answer.headers['access-control-allow-origin'], status === 403 ? undefined : APP, what);
      }
    });
  });

  it('anything but options, even what looks partly like a request or context, is refused as bad options', () => {
    for (const value of NOT_OPTIONS) assert.throws(() => cors(value as never), CorsConfigError, String(value));
  });

  it('throws a CorsConfigError when the app is built', () => {
    assert.throws(() => cors({ allowOrigins: ['https://app.example/'] }), CorsConfigError);
  });

  it('on a sub-path: only that path gets CORS, preflights to any path under it are answered', async () => {
    const app = new Hono();
    app.use('/api/*', cors({ allowOrigins: [APP], allowMethods: ['PUT'] }));
    app.get('/api/items', (c) => c.text('items'));
    app.get('/internal', (c) => c.text('internal'));
    await withServer(getRequestListener(app.fetch), async (url) => {
      assert.equal((await send(`${url}/api/items`, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
      const pre = await send(`${url}/api/not/a/route`, { method: 'OPTIONS', headers: preflight('PUT') });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-methods'], 'PUT');
      assert.equal((await send(`${url}/internal`, { headers: { origin: APP } })).headers['access-control-allow-origin'], undefined);
    });
  });

  it('on a sub-app mounted with app.route()', async () => {
    const api = new Hono();
    api.use(cors({ allowOrigins: [APP] }));
    api.get('/items', (c) => c.text('items'));
    const app = new Hono();
    app.route('/v1', api);
    await withServer(getRequestListener(app.fetch), async (url) => {
      const res = await send(`${url}/v1/items`, { headers: { origin: APP } });
      assert.equal(res.body, 'items');
      assert.equal(res.headers['access-control-allow-origin'], APP);
    });
  });

  it("keeps a handler's own Response and its Vary, and writes on immutable headers (Response.redirect)", async () => {
    const app = new Hono();
    app.use(cors({ allowOrigins: [APP], exposeHeaders: ['Location'] }));
    app.get('/own', () => new Response('own', { headers: { Vary: 'Accept, origin' } }));
    app.get('/moved', () => Response.redirect('https://elsewhere.example/', 302));
    await withServer(getRequestListener(app.fetch), async (url) => {
      const own = await send(`${url}/own`, { headers: { origin: APP } });
      assert.equal(own.body, 'own');
      assert.equal(own.headers.vary, 'Accept, origin');
      assert.equal(own.headers['access-control-allow-origin'], APP);
      const moved = await send(`${url}/moved`, { headers: { origin: APP } });
      assert.equal(moved.status, 302);
      assert.equal(moved.headers.location, 'https://elsewhere.example/');
      assert.equal(moved.headers['access-control-allow-origin'], APP);
      assert.equal(moved.headers['access-control-expose-headers'], 'Location');
    });
  });

  it('a protocol switch (101, a WebSocket handshake) gets no CORS headers', async () => {
    const app = new Hono();
    app.use(cors({ allowOrigins: [APP] }));
    // The handshake a WebSocket helper returns (@hono/node-server's Response allows status 101).
    app.get('/ws', () => new Response(null, { status: 101, headers: { Upgrade: 'websocket', Connection: 'Upgrade' } }));
    await withServer(getRequestListener(app.fetch), async (url) => {
      const handshake = await upgrade(`${url}/ws`, APP);
      assert.equal(handshake.status, 101);
      assert.equal(handshake.headers.upgrade, 'websocket');
      assert.equal(handshake.headers['access-control-allow-origin'], undefined);
      assert.equal(handshake.headers.vary, undefined);
    });
  });

  it("app.onError's response and c.notFound() carry the CORS headers", async () => {
    const app = new Hono();
    app.use(cors({ allowOrigins: [APP], allowCredentials: true }));
    app.get('/fails', () => {
      throw new Error('database down');
    });
    app.onError((_error, c) => c.json({ error: 'try later' }, 503));
    await withServer(getRequestListener(app.fetch), async (url) => {
      const failed = await send(`${url}/fails`, { headers: { origin: APP } });
      assert.equal(failed.status, 503);
      assert.equal(failed.headers['access-control-allow-origin'], APP);
      assert.equal(failed.headers['access-control-allow-credentials'], 'true');
      const missing = await send(`${url}/missing`, { headers: { origin: APP } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['access-control-allow-origin'], APP);
    });
  });
});
