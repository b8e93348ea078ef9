import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import express, { type ErrorRequestHandler } from 'express';
import { CorsConfigError } from '../core/errors.js';
import { send } from '../../test/support/http.js';
import { NOT_OPTIONS } from '../../test/support/not-options.js';
import { withServer } from '../../test/support/server.js';
import { VARY_ALLOWED_ORIGIN, assertVaryKeepsOrigin } from '../../test/support/vary.js';
import { cors } from './index.js';

const APP = 'https://app.example';
const preflight = (method: string) => ({ origin: APP, 'access-control-request-method': method });

describe('corsguard/express', () => {
  it('app.use(cors) without calling it answers 500 at once and names the fix', async () => {
    const app = express();
    app.set('env', 'test');
    app.use(cors as never);
    app.get('/', (_req, res) => res.send('unreachable'));
    let message = '';
    const capture: ErrorRequestHandler = (error: Error, _req, res, _next) => {
      message = error.message;
      res.status(500).end();
    };
    app.use(capture);
    await withServer(app, async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.status, 500);
    });
    assert.match(message, /app\.use\(cors\(options\)\)/);
  });

  it('anything but options, even what looks partly like a request or context, is refused as bad options', () => {
    for (const value of NOT_OPTIONS) assert.throws(() => cors(value as never), CorsConfigError, String(value));
  });

  it('throws a CorsConfigError when the app is built, not on the first request', () => {
    assert.throws(() => cors({ allowOrigins: '*', allowCredentials: true }), CorsConfigError);
  });

  it('applies per router: only the router with cors() answers CORS', async () => {
    const app = express();
    const api = express.Router();
    api.use(cors({ allowOrigins: [APP], allowMethods: ['PUT'] }));
    api.get('/items', (_req, res) => res.send('items'));
    app.use('/api', api);
    app.get('/internal', (_req, res) => res.send('internal'));
    await withServer(app, async (url) => {
      const inside = await send(`${url}/api/items`, { headers: { origin: APP } });
      assert.equal(inside.headers['access-control-allow-origin'], APP);
      const preflightInside = await send(`${url}/api/anything`, { method: 'OPTIONS', headers: preflight('PUT') });
      assert.equal(preflightInside.status, 204);
      assert.equal(preflightInside.headers['access-control-allow-methods'], 'PUT');
      const outside = await send(`${url}/internal`, { headers: { origin: APP } });
      assert.equal(outside.headers['access-control-allow-origin'], undefined);
    });
  });

  it("applies per route with app.route(path).all(cors(...)), which also receives the route's preflight", async () => {
    const app = express();
    app
      .route('/reports')
      .all(cors({ allowOrigins: [APP], allowMethods: ['DELETE'] }))
      .get((_req, res) => res.send('reports'))
      .delete((_req, res) => res.send('deleted'));
    app.get('/other', (_req, res) => res.send('other'));
    await withServer(app, async (url) => {
      const pre = await send(`${url}/reports`, { method: 'OPTIONS', headers: preflight('DELETE') });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-origin'], APP);
      const actual = await send(`${url}/reports`, { method: 'DELETE', headers: { origin: APP } });
      assert.equal(actual.body, 'deleted');
      assert.equal(actual.headers['access-control-allow-origin'], APP);
      const other = await send(`${url}/other`, { headers: { origin: APP } });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    });
  });

  it("errors reach the app's error middleware, whose response keeps the CORS headers", async () => {
    const app = express();
    app.use(cors({ allowOrigins: [APP], allowCredentials: true }));
    app.get('/fails', async () => {
      throw new Error('database down');
    });
    const seen: string[] = [];
    const handler: ErrorRequestHandler = (error: Error, _req, res, _next) => {
      seen.push(error.message);
      res.status(503).json({ error: 'try later' });
    };
    app.use(handler);
    await withServer(app, async (url) => {
      const res = await send(`${url}/fails`, { headers: { origin: APP } });
      assert.equal(res.status, 503);
      assert.equal(res.body, '{"error":"try later"}');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.equal(res.headers.vary, 'Origin');
    });
    assert.deepEqual(seen, ['database down']);
  });

  it('Vary keeps Origin however a handler sets its own (res.set, res.setHeader, res.append, res.vary)', async () => {
    const app = express();
    app.use(cors({ allowOrigins: [VARY_ALLOWED_ORIGIN] }));
    app.get('/set', (_req, res) => {
      res.set('Vary', 'Accept-Encoding').send('ok');
    });
    app.get('/set-object', (_req, res) => {
      res.set({ Vary: 'Accept-Encoding', 'Cache-Control': 'public, max-age=60' }).send('ok');
    });
    app.get('/setHeader', (_req, res) => {
      res.setHeader('Vary', 'Accept-Encoding');
      res.send('ok');
    });
    app.get('/append', (_req, res) => {
      res.append('Vary', 'Accept-Encoding').send('ok');
    });
    app.get('/vary', (_req, res) => {
      res.vary('Accept-Encoding').send('ok');
    });
    app.get('/set-after-vary', (_req, res) => {
      res.vary('Cookie').set('Vary', 'Accept-Encoding').json({ ok: true });
    });
    await withServer(app, async (url) => {
      for (const path of ['/set', '/set-object', '/setHeader', '/append', '/vary', '/set-after-vary']) {
        await assertVaryKeepsOrigin(`${url}${path}`, ['Accept-Encoding']);
      }
    });
  });

  it('res.vary() and res.append() in a handler add to Vary: Origin', async () => {
    const app = express();
    app.use(cors({ allowOrigins: [APP] }));
    app.get('/', (_req, res) => {
      res.vary('Accept-Language');
      res.vary('origin');
      res.append('Vary', 'Cookie');
      res.send('ok');
    });
    await withServer(app, async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.headers.vary, 'Origin, Accept-Language, Cookie');
    });
  });
  it('works outside Express too (connect, plain node:http): with no res.locals, nothing is kept and nothing throws', async () => {
    const middleware = cors({ allowOrigins: [APP] });
    // A connect-style server: no Express, so responses have no `locals`.
    const server = (req: IncomingMessage, res: ServerResponse) => {
      middleware(req, res, () => {
        res.end(`locals: ${typeof (res as { locals?: unknown }).locals}`);
      });
    };
    await withServer(server, async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.body, 'locals: undefined');
    });
    const withNullLocals = (req: IncomingMessage, res: ServerResponse) => {
      (res as { locals?: unknown }).locals = null;
      server(req, res);
    };
    await withServer(withNullLocals, async (url) => {
      const res = await send(`${url}/`, { headers: { origin: APP } });
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.body, 'locals: object');
    });
  });
});
