// Issue 13, item 2, on every adapter over loopback: the origin predicate receives the request
// (its Host, path and the framework's own context), and the handler reads the policy's answer
// the framework's way. One compiled policy serves every tenant: rules by Host need no policy
// built per request.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { CorsOptions } from '../../src/core/options.js';
import type { CorsAnswer } from '../../src/core/policy.js';
import { corsDecisionOf as nodeDecisionOf, corsMiddleware, withCors as withNodeCors } from '../../src/node/index.js';
import { corsDecisionOf as fetchDecisionOf, withCors as withFetchCors } from '../../src/fetch/index.js';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as fastifyCors } from '../../src/fastify/index.js';
import { cors as honoCors, type CorsVariables } from '../../src/hono/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import { withCors as withLambdaCors, corsDecisionOf as lambdaDecisionOf } from '../../src/lambda/index.js';
import { httpApiEvent } from '../../src/lambda/test-support/events.js';
import { send } from '../support/http.js';
import { startedServers } from '../support/server.js';

/** Each tenant's API host and the frontends allowed to read it. */
const TENANTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['a.api.test', new Set(['https://a.example'])],
  ['b.api.test', new Set(['https://b.example'])],
]);

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
/** What the handler answers: the policy's answer as it read it, and whether the predicate saw its context. */
interface Seen {
  readonly answer: CorsAnswer | undefined;
  readonly sameContext: boolean;
}

/** The predicate's contexts, for the handler to find its own among them. */
let contexts: unknown[] = [];
const paths: string[] = [];
const options: CorsOptions = {
  allowOriginPredicate: (origin, request) => {
    contexts.push(request.context);
    paths.push(`${request.method} ${request.path}`);
    return TENANTS.get(request.host ?? '')?.has(origin) === true;
  },
};
const seen = (answer: CorsAnswer | undefined, context: unknown): string => {
  const body: Seen = { answer, sameContext: contexts.includes(context) };
  return JSON.stringify(body);
};

const APPS: Readonly<Record<string, () => Listener | Promise<Listener>>> = {
  'node withCors': () =>
    withNodeCors((req, res) => {
      res.end(seen(nodeDecisionOf(req), req));
    }, options),
  'node corsMiddleware': () => {
    const cors = corsMiddleware(options);
    return (req, res) => cors(req, res, () => res.end(seen(nodeDecisionOf(req), req)));
  },
  express: () => {
    const app = express();
    app.use(expressCors(options));
    app.get('/{*rest}', (req, res) => {
      res.send(seen(res.locals.cors, req));
    });
    return app as unknown as Listener;
  },
  koa: () => {
    const app = new Koa();
    app.use(koaCors(options));
    app.use((ctx) => {
      ctx.body = seen(ctx.state.cors as CorsAnswer, ctx);
    });
    return app.callback();
  },
  fastify: async () => {
    let listener: Listener | undefined;
    const app = Fastify({
      serverFactory: (handler) => {
        listener = handler;
        return createServer(handler);
      },
    });
    await app.register(fastifyCors, options);
    app.get('/*', async (request, reply) => reply.send(seen(request.cors ?? undefined, request)));
    await app.ready();
    return listener!;
  },
  fetch: () => getRequestListener(withFetchCors((request) => new Response(seen(fetchDecisionOf(request), request)), options)),
  hono: () => {
    const app = new Hono<{ Variables: CorsVariables }>();
    app.use(honoCors(options));
    app.get('*', (c) => c.text(seen(c.get('cors'), c)));
    return getRequestListener(app.fetch);
  },
};

const servers = startedServers();
after(() => servers.closeAll());

for (const [adapter, build] of Object.entries(APPS)) {
  test(`${adapter}: the predicate gets Host, path and the framework's context; the handler reads the answer`, async () => {
    const url = await servers.serve(await build());
    contexts = [];
    paths.length = 0;
    const get = (host: string, origin: string) => send(`${url}/items?key=secret`, { headers: { Host: host, Origin: origin } });
    const own = await get('a.api.test', 'https://a.example');
    assert.equal(own.headers['access-control-allow-origin'], 'https://a.example');
    assert.deepEqual(JSON.parse(own.body), { answer: { kind: 'actual', allowed: true, reason: 'origin allowed' }, sameContext: true });
    // Another tenant's frontend, on this tenant's host: denied by the same compiled policy.
    const other = await get('a.api.test', 'https://b.example');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    assert.deepEqual(JSON.parse(other.body).answer, { kind: 'actual', allowed: false, reason: 'origin not allowed' });
    const tenantB = await get('b.api.test', 'https://b.example');
    assert.equal(tenantB.headers['access-control-allow-origin'], 'https://b.example');
    const preflight = await send(`${url}/items`, {
      method: 'OPTIONS',
      headers: { Host: 'b.api.test', Origin: 'https://b.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://b.example');
    assert.deepEqual(paths, ['GET /items', 'GET /items', 'GET /items', 'OPTIONS /items']);
  });
}

test('lambda: the predicate gets Host, path and the event; the handler reads the answer with corsDecisionOf', async () => {
  const handler = withLambdaCors(
    (event: ReturnType<typeof httpApiEvent>) => ({ statusCode: 200, body: seen(lambdaDecisionOf(event), event) }),
    options,
  );
  contexts = [];
  paths.length = 0;
  const get = (host: string, origin: string) => {
    const event = httpApiEvent({ method: 'GET', path: '/items', headers: [['Origin', origin]] });
    // A custom domain per tenant: API Gateway passes the Host the client sent.
    const headers = Object.fromEntries(Object.entries(event.headers).filter(([name]) => name.toLowerCase() !== 'host'));
    return handler({ ...event, headers: { ...headers, host } }, {});
  };
  const own = await get('a.api.test', 'https://a.example');
  assert.equal(own.headers?.['access-control-allow-origin'], 'https://a.example');
  assert.deepEqual(JSON.parse(own.body!), { answer: { kind: 'actual', allowed: true, reason: 'origin allowed' }, sameContext: true });
  const other = await get('a.api.test', 'https://b.example');
  assert.equal(other.headers?.['access-control-allow-origin'], undefined);
  assert.deepEqual(paths, ['GET /items', 'GET /items']);
});
