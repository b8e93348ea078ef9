// How corsguard/fastify registers: the options Fastify's register takes for itself, the message
// of a second registration in one scope, and the name other plugins and printPlugins see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { cors } from './index.js';

const APP = 'https://app.example';
const FIX =
  'For a policy per prefix, register corsguard inside the plugin that has the prefix: ' +
  "app.register(async (api) => { await api.register(cors, options); api.get('/items', ...) }, { prefix: '/api' }).";

test("register's own logLevel and logSerializers are not taken for CORS options", async () => {
  const app = Fastify();
  await app.register(cors, { allowOrigins: [APP], logLevel: 'warn', logSerializers: {} } as never);
  app.get('/', async () => 'ok');
  const res = await app.inject({ url: '/', headers: { origin: APP } });
  assert.equal(res.headers['access-control-allow-origin'], APP);
  await app.close();
});

test('a second registration in one scope is refused with a message naming the scope and the fix', async () => {
  const root = Fastify();
  root.register(cors, { allowOrigins: [APP] });
  root.register(cors, { allowOrigins: [APP] });
  await assert.rejects(
    async () => {
      await root.ready();
    },
    {
      message: `corsguard/fastify: corsguard is already registered in this scope; a second registration would replace its policy. ${FIX}`,
    },
  );
  const scoped = Fastify();
  scoped.register(
    async (api) => {
      await api.register(cors, { allowOrigins: [APP] });
      await api.register(cors, { allowOrigins: [APP] });
    },
    { prefix: '/api' },
  );
  await assert.rejects(
    async () => {
      await scoped.ready();
    },
    {
      message: `corsguard/fastify: corsguard is already registered in this scope (prefix '/api'); a second registration would replace its policy. ${FIX}`,
    },
  );
});

test("other plugins can depend on it by the name 'corsguard', and printPlugins shows that name", async () => {
  const app = Fastify();
  await app.register(cors, { allowOrigins: [APP] });
  const dependent = Object.assign(async () => {}, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('plugin-meta')]: { name: 'needs-cors', dependencies: ['corsguard'] },
  });
  await app.register(dependent);
  await app.ready();
  assert.match(app.printPlugins(), /corsguard/);
  await app.close();
});
