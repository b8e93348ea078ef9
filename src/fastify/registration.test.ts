// How corsguard/fastify is registered, refused and combined with the app's own hooks, seen
// by a client over loopback and by app.register's caller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { send } from '../../test/support/http.js';
import { listenServer } from '../../test/support/server.js';
import { cors } from './index.js';

const APP = 'https://app.example';
const preflight = { origin: APP, 'access-control-request-method': 'PUT' };
const FIX =
  'For a policy per prefix, register corsguard inside the plugin that has the prefix: ' +
  "app.register(async (api) => { await api.register(cors, options); api.get('/items', ...) }, { prefix: '/api' }).";

async function withApp(app: FastifyInstance, run: (url: string) => Promise<void>): Promise<void> {
  await app.ready();
  const server = await listenServer(app.server);
  try {
    await run(server.url);
  } finally {
    await app.close();
  }
}

describe('corsguard/fastify registration', () => {
  it("app.register's own options (logLevel, logSerializers) are not taken for CORS options", async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP], logLevel: 'warn', logSerializers: {} } as never);
    app.get('/', async () => 'ok');
    await withApp(app, async (url) => {
      assert.equal((await send(url, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
    });
  });

  it('the refusals of a second registration and of a prefix say where, and how to do it instead', async () => {
    const root = Fastify();
    await root.register(cors, { allowOrigins: [APP] });
    await assert.rejects(
      async () => root.register(cors, { allowOrigins: '*' }),
      new TypeError(
        `corsguard/fastify: corsguard is already registered in this scope; a second registration would replace its policy. ${FIX}`,
      ),
    );
    const app = Fastify();
    app.register(
      async (api) => {
        await api.register(cors, { allowOrigins: [APP] });
        await api.register(cors, { allowOrigins: '*' });
      },
      { prefix: '/api' },
    );
    await assert.rejects(
      async () => app.ready(),
      new TypeError(
        `corsguard/fastify: corsguard is already registered in this scope (prefix '/api'); a second registration would replace its policy. ${FIX}`,
      ),
    );
    await assert.rejects(
      async () => Fastify().register(cors, { allowOrigins: [APP], prefix: '/private' } as never),
      new TypeError(`corsguard/fastify: app.register(cors, { prefix: "/private" }) would apply to every path, not only the prefix. ${FIX}`),
    );
  });

  it('called by hand with anything but a Fastify instance, it throws the same clear error', () => {
    const message = new TypeError('corsguard/fastify: `cors` is a Fastify plugin; do not call it. Write app.register(cors, options).');
    const call = cors as unknown as (instance: unknown, options: object, done: () => void) => void;
    const fn = () => {};
    for (const notAnInstance of [null, undefined, 'app', fn, {}, { addHook: fn }, { register: fn }, { addHook: 1, register: fn }]) {
      assert.throws(() => call(notAnInstance, {}, fn), message, String(notAnInstance));
    }
  });

  it('a preflight to the prefix with a trailing slash is answered by the prefixed registration', async () => {
    const app = Fastify();
    await app.register(
      async (api) => {
        await api.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'] });
      },
      { prefix: '/api' },
    );
    await withApp(app, async (url) => {
      const answer = await send(`${url}/api/`, { method: 'OPTIONS', headers: preflight });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers['access-control-allow-origin'], APP);
    });
  });

  it('registered at the root and again in a plugin, each request is decided once, by the nearest policy', async () => {
    const decisions: string[] = [];
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP], onDecision: (d) => decisions.push(`root ${d.kind}`) });
    await app.register(
      async (api) => {
        await api.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'], onDecision: (d) => decisions.push(`api ${d.kind}`) });
        api.get('/items', async () => 'items');
      },
      { prefix: '/api' },
    );
    await withApp(app, async (url) => {
      assert.equal((await send(`${url}/api/items`, { headers: { origin: APP } })).headers['access-control-allow-origin'], APP);
      assert.equal((await send(`${url}/api/items`, { method: 'OPTIONS', headers: preflight })).status, 204);
    });
    assert.deepEqual(decisions, ['api actual', 'api preflight']);
  });

  it('a reply sent by a hook that runs before corsguard goes out as sent, without CORS headers', async () => {
    const app = Fastify();
    app.addHook('onRequest', async (_request, reply) => reply.code(401).send('no'));
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/', async () => 'ok');
    await withApp(app, async (url) => {
      const answer = await send(url, { headers: { origin: APP } });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers['access-control-allow-origin'], undefined);
    });
  });

  it('an allowed preflight is a 204 without Content-Type; a Vary that already names Origin is sent as set', async () => {
    const app = Fastify();
    await app.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'] });
    app.get('/', async (_request, reply) => reply.header('Vary', 'Origin, Accept-Language').send('ok'));
    await withApp(app, async (url) => {
      const answer = await send(url, { method: 'OPTIONS', headers: preflight });
      assert.equal(answer.status, 204);
      assert.equal(answer.headers['content-type'], undefined);
      assert.equal(answer.headers['content-length'], undefined);
      const actual = await send(url, { headers: { origin: APP } });
      assert.equal(actual.headers.vary, 'Origin, Accept-Language');
    });
  });
});
