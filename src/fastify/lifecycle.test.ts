// Where corsguard/fastify sits in Fastify's lifecycle: `request.cors` before its hook ran, a throw while
// answering after an asynchronous predicate, a route that switches protocols, and the plugin metadata
// other plugins and Fastify's version check read. Over a real Fastify server on loopback.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { cors } from './index.js';
import { listenFastify } from './test-support/listen.js';

const APP = 'https://app.example';

test('request.cors is null in a hook that runs before corsguard answered, and the answer after it', async () => {
  const seen: unknown[] = [];
  const base = await listenFastify(async (app) => {
    app.addHook('onRequest', (request, _reply, done) => {
      seen.push(request.cors);
      done();
    });
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/', async (request) => ({ allowed: request.cors?.allowed, kind: request.cors?.kind }));
  });
  const response = await fetch(`${base}/`, { headers: { Origin: APP } });
  assert.deepEqual(await response.json(), { allowed: true, kind: 'actual' });
  assert.deepEqual(seen, [null]);
});

test('a throw while answering reaches Fastify’s error handler, after an asynchronous predicate as without one', async () => {
  // Another plugin's read-only `cors` request property makes corsguard's assignment throw.
  const base = await listenFastify(async (app) => {
    app.decorateRequest('cors', {
      getter() {
        return null;
      },
    });
    await app.register(
      async (sync) => {
        await sync.register(cors, { allowOrigins: [APP] });
        sync.get('/', async () => 'ok');
      },
      { prefix: '/sync' },
    );
    await app.register(
      async (later) => {
        await later.register(cors, { allowOriginPredicate: async (origin) => origin === APP });
        later.get('/', async () => 'ok');
      },
      { prefix: '/async' },
    );
  });
  for (const path of ['/sync/', '/async/']) {
    const response = await fetch(base + path, { headers: { Origin: APP }, signal: AbortSignal.timeout(5_000) });
    assert.equal(response.status, 500, path);
    assert.equal((await response.json()).statusCode, 500, path);
  }
});

test('a route that switches protocols (101) gets no CORS header and no Vary', async () => {
  const base = await listenFastify(async (app) => {
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/switch', (_request, reply) => {
      reply.code(101).header('Upgrade', 'x-test').header('Connection', 'Upgrade').send();
    });
  });
  const { port } = new URL(base);
  const head = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`GET /switch HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${APP}\r\n\r\n`);
    });
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no response head within 5 s')));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end !== -1) {
        socket.destroy();
        resolve(received.slice(0, end).toLowerCase());
      }
    });
    socket.on('error', reject);
  });
  assert.match(head, /^http\/1\.1 101 /);
  assert.match(head, /\r\nupgrade: x-test/);
  assert.doesNotMatch(head, /access-control-|\r\nvary:/);
});

test('the plugin declares its name and the Fastify majors it supports, as Fastify and other plugins read them', async () => {
  const plugin = cors as unknown as Record<symbol, unknown>;
  assert.deepEqual(plugin[Symbol.for('plugin-meta')], { name: 'corsguard', fastify: '4.x || 5.x' });
  assert.equal(plugin[Symbol.for('fastify.display-name')], 'corsguard');
  // A plugin that depends on corsguard by name registers after it, and sees it with hasPlugin.
  const base = await listenFastify(async (app) => {
    await app.register(cors, { allowOrigins: [APP] });
    await app.register(
      fp(
        async (instance) => {
          instance.get('/needs-cors', async () => ({ corsguard: instance.hasPlugin('corsguard') }));
        },
        { name: 'needs-cors', dependencies: ['corsguard'] },
      ),
    );
  });
  const response = await fetch(`${base}/needs-cors`, { headers: { Origin: APP } });
  assert.equal(response.headers.get('access-control-allow-origin'), APP);
  assert.deepEqual(await response.json(), { corsguard: true });
  // Without corsguard, Fastify refuses the dependent plugin, naming what is missing.
  const bare = Fastify();
  after(() => bare.close());
  await assert.rejects(
    async () => {
      await bare.register(fp(async () => undefined, { name: 'needs-cors', dependencies: ['corsguard'] }));
    },
    (error: Error & { code?: string }) =>
      error.code === 'FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE' || error.code === 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED',
  );
});
