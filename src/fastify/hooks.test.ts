// What corsguard/fastify's hooks leave on a response: no Content-Type on an empty preflight answer,
// the handler's own Vary kept as it is, a request decorator another plugin made first, and the
// message for calling the plugin as a function. Over a real Fastify server on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cors } from './index.js';
import { listenFastify } from './test-support/listen.js';

const APP = 'https://app.example';

test('an allowed preflight is an empty 204 without Content-Type; a refused one is plain text', async () => {
  const base = await listenFastify(async (app) => {
    await app.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'] });
    app.put('/items', async () => 'ok');
  });
  const allowed = await fetch(`${base}/items`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' } });
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('content-type'), null);
  assert.equal(await allowed.text(), '');
  const refused = await fetch(`${base}/items`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PATCH' } });
  assert.equal(refused.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(await refused.text(), /^CORS preflight refused: method PATCH is not allowed/);
});

test('with preflightStatus 200, an allowed preflight is an empty 200 without Content-Type', async () => {
  const base = await listenFastify(async (app) => {
    await app.register(cors, { allowOrigins: [APP], allowMethods: ['PUT'], preflightStatus: 200 });
    app.put('/items', async () => 'ok');
  });
  const allowed = await fetch(`${base}/items`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT' } });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get('content-type'), null);
  assert.equal(await allowed.text(), '');
});

test("a handler's Vary that already holds Origin is sent as it is", async () => {
  const base = await listenFastify(async (app) => {
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/origin', async (_request, reply) => reply.header('Vary', 'Origin').send('ok'));
    app.get('/both', async (_request, reply) => reply.header('Vary', 'Accept-Encoding, Origin').send('ok'));
  });
  for (const [path, vary] of [
    ['/origin', 'Origin'],
    ['/both', 'Accept-Encoding, Origin'],
  ] as const) {
    const response = await fetch(base + path, { headers: { Origin: APP } });
    assert.equal(response.headers.get('vary'), vary, path);
    assert.equal(response.headers.get('access-control-allow-origin'), APP, path);
  }
});

test('a request decorator named cors that the app made first is kept, and corsguard still answers', async () => {
  const base = await listenFastify(async (app) => {
    app.decorateRequest('cors', null);
    await app.register(cors, { allowOrigins: [APP] });
    app.get('/', async (request) => ({ allowed: request.cors?.allowed }));
  });
  const response = await fetch(`${base}/`, { headers: { Origin: APP } });
  assert.equal(response.headers.get('access-control-allow-origin'), APP);
  assert.deepEqual(await response.json(), { allowed: true });
});

test('calling the plugin as a function, with anything but a Fastify instance, says how to register it', () => {
  const message = 'corsguard/fastify: `cors` is a Fastify plugin; do not call it. Write app.register(cors, options).';
  const notInstances = [
    undefined,
    null,
    'app',
    () => undefined,
    {},
    { addHook: () => undefined },
    { register: () => undefined },
    { addHook: 1, register: () => undefined },
  ];
  for (const value of notInstances) {
    assert.throws(
      () => cors(value as never, { allowOrigins: [APP] }, () => undefined),
      (error: unknown) => error instanceof TypeError && error.message === message,
      String(value),
    );
  }
});
