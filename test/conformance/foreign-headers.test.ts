// Two CORS layers (issue 12, item 5): a handler, Nest's `cors: true` or the `cors` package setting
// CORS headers beside corsguard. On every adapter, over loopback HTTP: corsguard's answer is what is
// sent, and each foreign header is reported once through onWarning, naming header and value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { corsMiddleware, withCors as withNodeCors } from '../../src/node/index.js';
import { withCors as withFetchCors } from '../../src/fetch/index.js';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as fastifyCors } from '../../src/fastify/index.js';
import { cors as honoCors } from '../../src/hono/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import { listen, type RunningServer } from '../support/server.js';
import type { CorsErrorContext, CorsOptions, CorsWarning } from '../../src/core/options.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
/** What the other layer sets, after corsguard wrote its own headers. */
const FOREIGN = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Each adapter with a handler that sets FOREIGN its framework's way. */
const ADAPTERS: Record<string, (options: CorsOptions) => Promise<Listener> | Listener> = {
  'node withCors': (options) =>
    withNodeCors((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', FOREIGN['Access-Control-Allow-Origin']);
      res.writeHead(200, { 'Access-Control-Allow-Credentials': FOREIGN['Access-Control-Allow-Credentials'] });
      res.end('ok');
    }, options),
  'node corsMiddleware': (options) => {
    const cors = corsMiddleware(options);
    return (req, res) =>
      cors(req, res, () => {
        for (const [name, value] of Object.entries(FOREIGN)) res.setHeader(name, value);
        res.end('ok');
      });
  },
  express: (options) => {
    const app = express();
    app.use(expressCors(options));
    app.get('/', (_req, res) => {
      res.set(FOREIGN).send('ok');
    });
    return app as unknown as Listener;
  },
  koa: (options) => {
    const app = new Koa();
    app.use(koaCors(options));
    app.use((ctx) => {
      ctx.set(FOREIGN);
      ctx.body = 'ok';
    });
    return app.callback();
  },
  fastify: async (options) => {
    let listener: Listener | undefined;
    const app = Fastify({
      serverFactory: (handler) => {
        listener = handler;
        return createServer(handler);
      },
    });
    await app.register(fastifyCors, options);
    app.get('/', async (_request, reply) => reply.headers(FOREIGN).send('ok'));
    await app.ready();
    return listener!;
  },
  fetch: (options) => getRequestListener(withFetchCors(() => new Response('ok', { headers: FOREIGN }), options)),
  hono: (options) => {
    const app = new Hono();
    app.use(honoCors(options));
    app.get('/', (c) => {
      for (const [name, value] of Object.entries(FOREIGN)) c.header(name, value);
      return c.text('ok');
    });
    return getRequestListener(app.fetch);
  },
};

async function serve(adapter: string, options: CorsOptions): Promise<RunningServer> {
  return listen(await ADAPTERS[adapter]!(options));
}

async function get(server: RunningServer, origin?: string): Promise<Response> {
  const response = await fetch(`${server.url}/`, { headers: origin === undefined ? {} : { Origin: origin } });
  assert.equal(await response.text(), 'ok');
  return response;
}

for (const adapter of Object.keys(ADAPTERS)) {
  test(`${adapter}: CORS headers a handler sets are replaced by corsguard's answer and reported once each, with their values`, async () => {
    const warnings: CorsWarning[] = [];
    const server = await serve(adapter, {
      allowOrigins: [APP],
      exposeHeaders: ['X-Total-Count'],
      onWarning: (warning) => warnings.push(warning),
    });
    try {
      for (let round = 0; round < 3; round++) {
        const denied = await get(server, EVIL);
        assert.equal(denied.headers.get('access-control-allow-origin'), null, 'denied origin');
        assert.equal(denied.headers.get('access-control-allow-credentials'), null, 'denied origin');
        const allowed = await get(server, APP);
        assert.equal(allowed.headers.get('access-control-allow-origin'), APP, 'allowed origin');
        assert.equal(allowed.headers.get('access-control-allow-credentials'), null, 'allowed origin, no credentials configured');
        assert.equal(allowed.headers.get('access-control-expose-headers'), 'X-Total-Count', 'allowed origin');
        const none = await get(server);
        assert.equal(none.headers.get('access-control-allow-origin'), null, 'no Origin');
      }
    } finally {
      await server.close();
    }
    assert.deepEqual(
      warnings.map((w) => [w.code, w.header, w.value]),
      [
        ['foreign-cors-header', 'Access-Control-Allow-Origin', '*'],
        ['foreign-cors-header', 'Access-Control-Allow-Credentials', 'true'],
      ],
    );
    assert.match(warnings[0]!.message, /Access-Control-Allow-Origin: \* on a response to origin https:\/\/evil\.example; corsguard removed it/);
    assert.equal(warnings[0]!.option, 'allowOrigins');
    assert.equal(warnings[1]!.option, 'allowCredentials');
  });

  test(`${adapter}: an allowed origin whose handler sets another Allow-Origin gets the policy's, and the warning says so`, async () => {
    const warnings: CorsWarning[] = [];
    const server = await serve(adapter, { allowOrigins: [APP], allowCredentials: true, onWarning: (warning) => warnings.push(warning) });
    try {
      const allowed = await get(server, APP);
      assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
      assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    } finally {
      await server.close();
    }
    assert.deepEqual(warnings.map((w) => w.header), ['Access-Control-Allow-Origin']);
    assert.match(warnings[0]!.message, new RegExp(`Access-Control-Allow-Origin: \\* on a response to origin ${APP.replace(/\./g, '\\.')}; corsguard sent Access-Control-Allow-Origin: ${APP.replace(/\./g, '\\.')} instead`));
  });

  test(`${adapter}: an onWarning that throws breaks no request; the error goes to onError as a hook's`, async () => {
    const errors: CorsErrorContext['source'][] = [];
    const server = await serve(adapter, {
      allowOrigins: [APP],
      onWarning: () => {
        throw new Error('logger down');
      },
      onError: (_error, context) => errors.push(context.source),
    });
    try {
      const denied = await get(server, EVIL);
      assert.equal(denied.status, 200);
      assert.equal(denied.headers.get('access-control-allow-origin'), null);
      const again = await get(server, EVIL);
      assert.equal(again.headers.get('access-control-allow-origin'), null);
    } finally {
      await server.close();
    }
    assert.deepEqual(errors, ['hook', 'hook']);
  });
}

test('a stricter corsguard on an Express router wins over the app-wide one, also when the head is written', async () => {
  const app = express();
  app.use(expressCors({ allowOrigins: [APP, EVIL], onWarning: () => {} }));
  const admin = express.Router();
  admin.use(expressCors({ allowOrigins: [APP], onWarning: () => {} }));
  admin.get('/', (_req, res) => {
    res.send('ok');
  });
  app.use('/admin', admin);
  const server = await listen(app as unknown as Listener);
  try {
    const response = await fetch(`${server.url}/admin/`, { headers: { Origin: EVIL } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const allowed = await fetch(`${server.url}/admin/`, { headers: { Origin: APP } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  } finally {
    await server.close();
  }
});

test('two corsMiddleware on one node:http response: the one that ran last decides, also when the head is written', async () => {
  const outer = corsMiddleware({ allowOrigins: [APP, EVIL], onWarning: () => {} });
  const inner = corsMiddleware({ allowOrigins: [APP], onWarning: () => {} });
  const server = await listen((req, res) => outer(req, res, () => inner(req, res, () => res.end('ok'))));
  try {
    const response = await fetch(`${server.url}/`, { headers: { Origin: EVIL } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const allowed = await fetch(`${server.url}/`, { headers: { Origin: APP } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
  } finally {
    await server.close();
  }
});
