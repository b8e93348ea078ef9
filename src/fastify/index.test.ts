import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { CorsConfigError } from '../core/errors.js';
import { send } from '../../test/support/http.js';
import { listenServer } from '../../test/support/server.js';
import { cors } from './index.js';

const APP = 'https://app.example';
const OTHER = 'https://other.example';
const preflight = (origin: string, method: string) => ({ origin, 'access-control-request-method': method });

async function withApp(app: FastifyInstance, run: (url: string) => Promise<void>): Promise<void> {
  await app.ready();
  const server = await listenServer(app.server);
  try {
    await run(server.url);
  } finally {
    await app.close();
  }
}

describe('corsguard/fastify', () => {
  it('calling the plugin instead of registering it throws a clear error at once', () => {
    assert.throws(() => (cors as unknown as (options: object) => void)({ allowOrigins: [APP] }), /app\.register\(cors, options\)/);
  });

  it('bad options fail app.register with a CorsConfigError', async () => {
    const app = Fastify();
    await assert.rejects(async () => app.register(cors, { allowOrigins: '*', allowCredentials: true }), CorsConfigError);
  });

  it('registered at the root, it covers routes of encapsulated plugins and paths with no route', async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'] });
    await app.register(
      async (api) => {
        api.get('/items', async () => 'items');
      },
      { prefix: '/api' },
    );
    await withApp(app, async (url) => {
      const actual = await send(`${url}/api/items`, { headers: { origin: APP } });
      assert.equal(actual.headers['access-control-allow-origin'], APP);
      for (const path of ['/api/items', '/no/route/here']) {
        const pre = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
        assert.equal(pre.status, 204, path);
        assert.equal(pre.headers['access-control-allow-methods'], 'PUT', path);
      }
      const missing = await send(`${url}/no/route/here`, { headers: { origin: APP } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['access-control-allow-origin'], APP);
    });
  });

  it('registered again inside a prefixed plugin, it replaces the options there, preflights included', async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/public', async () => 'public');
    await app.register(
      async (partner) => {
        await partner.register(cors, { allowOrigins: [OTHER], allowMethods: ['DELETE'] });
        partner.get('/orders', async () => 'orders');
      },
      { prefix: '/partner' },
    );
    await withApp(app, async (url) => {
      assert.equal((await send(`${url}/public`, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
      const inside = await send(`${url}/partner/orders`, { headers: { origin: OTHER } });
      assert.equal(inside.headers['access-control-allow-origin'], OTHER);
      const rootOrigin = await send(`${url}/partner/orders`, { headers: { origin: APP } });
      assert.equal(rootOrigin.headers['access-control-allow-origin'], undefined);
      const pre = await send(`${url}/partner/orders/42`, { method: 'OPTIONS', headers: preflight(OTHER, 'DELETE') });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-origin'], OTHER);
      const notPreflight = await send(`${url}/partner/orders`, { method: 'OPTIONS', headers: { origin: OTHER } });
      assert.equal(notPreflight.status, 404);
    });
  });

  it("the error handler's reply keeps the CORS headers, and Vary set by a handler is merged", async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP], allowCredentials: true });
    app.setErrorHandler(async (_error, _request, reply) => reply.code(503).send({ error: 'try later' }));
    app.get('/fails', async () => {
      throw new Error('database down');
    });
    app.get('/negotiated', async (_request, reply) => reply.header('Vary', 'Accept-Language').send('hallo'));
    await withApp(app, async (url) => {
      const failed = await send(`${url}/fails`, { headers: { origin: APP } });
      assert.equal(failed.status, 503);
      assert.equal(failed.headers['access-control-allow-origin'], APP);
      assert.equal(failed.headers['access-control-allow-credentials'], 'true');
      const negotiated = await send(`${url}/negotiated`, { headers: { origin: APP } });
      assert.equal(negotiated.headers.vary, 'Accept-Language, Origin');
    });
  });

  it('registered only inside a prefixed plugin, it answers preflights under the prefix and nowhere else', async () => {
    const app = Fastify();
    app.get('/internal', async () => 'internal');
    await app.register(
      async (api) => {
        await api.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'] });
        api.get('/items', async () => 'items');
      },
      { prefix: '/api' },
    );
    await withApp(app, async (url) => {
      for (const path of ['/api', '/api/', '/api/items', '/api/items/42']) {
        const pre = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
        assert.equal(pre.status, 204, path);
        assert.equal(pre.headers['access-control-allow-origin'], APP, path);
      }
      assert.equal((await send(`${url}/api/items`, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
      const outside = await send(`${url}/internal`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
      assert.equal(outside.status, 404);
      assert.equal(outside.headers['access-control-allow-origin'], undefined);
    });
  });

  it('a second registration in one scope, or a prefix given to corsguard, is refused, never a silent replacement', async () => {
    const twice = Fastify();
    await twice.register(cors, { allowOrigins: [APP], allowCredentials: true });
    await assert.rejects(
      async () => twice.register(cors, { allowOrigins: '*' }),
      /already registered in this scope.*register corsguard inside the plugin/,
    );
    const prefixed = Fastify();
    await assert.rejects(
      async () => prefixed.register(cors, { allowOrigins: [APP], prefix: '/private' } as never),
      /\{ prefix: "\/private" \}\) would apply to every path/,
    );
  });

  it('a policy per encapsulated plugin: credentialed under /private, * under /public, each route its own', async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/root', async () => 'root');
    await app.register(
      async (scope) => {
        await scope.register(cors, { allowOrigins: [APP], allowCredentials: true, allowMethods: ['DELETE'] });
        scope.get('/data', async () => 'private');
        // A nested plugin without its own registration inherits its parent's policy.
        await scope.register(async (nested) => {
          nested.get('/nested', async () => 'nested');
        });
      },
      { prefix: '/private' },
    );
    await app.register(
      async (scope) => {
        await scope.register(cors, { allowOrigins: '*' });
        scope.get('/data', async () => 'public');
      },
      { prefix: '/public' },
    );
    await withApp(app, async (url) => {
      for (const path of ['/private/data', '/private/nested']) {
        const answer = await send(`${url}${path}`, { headers: { origin: APP } });
        assert.equal(answer.headers['access-control-allow-origin'], APP, path);
        assert.equal(answer.headers['access-control-allow-credentials'], 'true', path);
      }
      const pre = await send(`${url}/private/data`, { method: 'OPTIONS', headers: preflight(APP, 'DELETE') });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-credentials'], 'true');
      assert.equal((await send(`${url}/private/data`, { headers: { origin: OTHER } })).headers['access-control-allow-origin'], undefined);
      assert.equal((await send(`${url}/public/data`, { headers: { origin: OTHER } })).headers['access-control-allow-origin'], '*');
      const root = await send(`${url}/root`, { headers: { origin: APP } });
      assert.equal(root.headers['access-control-allow-origin'], APP);
      assert.equal(root.headers['access-control-allow-credentials'], undefined);
      // No route under the prefix: Fastify's root 404 handler answers, with the root's policy.
      const missing = await send(`${url}/private/missing`, { headers: { origin: APP } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['access-control-allow-origin'], APP);
      assert.equal(missing.headers['access-control-allow-credentials'], undefined);
    });
  });
});
