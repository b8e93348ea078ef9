/**
 * The API the pages call, served by corsguard through each adapter. Every adapter serves the
 * same routes (see ApiRoute) under `/s/<engine>/<scenario id>/<route>`, each scenario with its
 * own corsguard configuration, so that browser caches and cookies never leak between cells.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import Koa from 'koa';
import { cors as expressCors } from '../../src/express/index.js';
import { withCors as withFetchCors } from '../../src/fetch/index.js';
import { cors as fastifyCors } from '../../src/fastify/index.js';
import { cors as honoCors } from '../../src/hono/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import { withCors as withNodeCors } from '../../src/node/index.js';
import type { CorsOptionFields, CorsOptions } from '../../src/core/options.js';
import { pageOrigin, resolveOptions } from './scenarios.js';
import { withPageAndRawServers } from './raw-server.js';
import type { ApiRoute, Scenario } from './scenario-types.js';

/** What the server saw for one scenario in one engine. */
export interface Traffic {
  preflights: number;
  handlerRuns: number;
  /** The Origin header of the last request that arrived ('' when it had none). */
  origin: string;
}

/** Counts, per `<engine>/<scenario>`, the preflights that arrived and the handler runs. */
export class TrafficLog {
  readonly #byKey = new Map<string, Traffic>();

  get(key: string): Traffic {
    let entry = this.#byKey.get(key);
    if (entry === undefined) {
      entry = { preflights: 0, handlerRuns: 0, origin: '' };
      this.#byKey.set(key, entry);
    }
    return entry;
  }

  snapshot(key: string): Traffic {
    return { ...this.get(key) };
  }
}

interface ApiPath {
  /** `<engine>/<scenario id>`: the traffic key and the cookie path. */
  readonly key: string;
  readonly scenarioId: string;
  readonly route: ApiRoute;
}

const ROUTES: ReadonlySet<string> = new Set([
  'items',
  'error',
  'throw',
  'reject',
  'login',
  'login-unmarked',
  'login-none',
  'whoami',
  'redirect',
  'redirect-away',
  'redirect-302',
  'redirect-303',
  'redirect-userinfo',
  'redirect-data',
  'redirect-two-locations',
]);

/** The request-body headers a redirect to GET may remove, and one it must keep. */
const CONTENT_HEADERS = ['content-type', 'content-language', 'content-encoding', 'content-location', 'content-disposition'];

/** `/s/<engine>/<scenario>/<route>` (query ignored); undefined for anything else. */
export function parseApiPath(url: string): ApiPath | undefined {
  const path = url.split('?', 1)[0]!;
  const parts = path.split('/');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== 's') return undefined;
  const route = (ROUTES.has(parts[4]!) ? parts[4] : 'missing') as ApiRoute;
  return { key: `${parts[2]}/${parts[3]}`, scenarioId: parts[3]!, route };
}

interface RequestFacts {
  readonly method: string;
  readonly authorization: string | undefined;
  readonly apiKey: string | undefined;
  readonly cookie: string | undefined;
  readonly host: string | undefined;
  /** Which of CONTENT_HEADERS the request carried. */
  readonly contentHeaders: readonly string[];
}

/** What the handler answers, before any adapter or CORS layer. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The application logic shared by every server: `throw` and `reject` are for the adapter to act out. */
function answer(path: ApiPath, facts: RequestFacts): ApiAnswer | 'throw' | 'reject' {
  const json = (status: number, value: unknown, extra: Record<string, string> = {}): ApiAnswer => ({
    status,
    headers: { 'Content-Type': JSON_TYPE, ...extra },
    body: JSON.stringify(value),
  });
  switch (path.route) {
    case 'items':
      return json(
        200,
        {
          route: 'items',
          method: facts.method,
          authorization: facts.authorization !== undefined,
          apiKey: facts.apiKey ?? null,
          cookie: facts.cookie ?? null,
          contentHeaders: facts.contentHeaders,
        },
        { 'X-Total-Count': '42', 'Custom-Header': 'hello' },
      );
    case 'error':
      return json(500, { error: 'database unavailable' }, { 'X-Request-Id': 'req-500' });
    case 'missing':
      return json(404, { error: 'not found' }, { 'X-Request-Id': 'req-404' });
    case 'throw':
    case 'reject':
      return path.route;
    case 'login':
      return json(
        200,
        { loggedIn: true },
        {
          'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; SameSite=Lax; HttpOnly`,
        },
      );
    case 'login-unmarked':
      return json(200, { loggedIn: true }, { 'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; HttpOnly` });
    case 'login-none':
      return json(
        200,
        { loggedIn: true },
        { 'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; SameSite=None; Secure; HttpOnly` },
      );
    case 'redirect':
      return { status: 307, headers: { Location: 'items', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'see items' };
    case 'redirect-302':
      return { status: 302, headers: { Location: 'items', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'see items' };
    case 'redirect-303':
      return { status: 303, headers: { Location: 'items', 'Content-Type': 'text/plain; charset=utf-8' }, body: 'see items' };
    case 'redirect-away':
    case 'redirect-userinfo': {
      const port = (facts.host ?? '').replace(/^.*:/, '');
      const target = path.route === 'redirect-away' ? `http://127.0.0.1:${port}` : `http://user:secret@localhost:${port}`;
      return {
        status: 307,
        headers: { Location: `${target}/s/${path.key}/items`, 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'see items',
      };
    }
    case 'redirect-data':
      return {
        status: 307,
        headers: { Location: 'data:text/plain,redirected', 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'see data',
      };
    case 'redirect-two-locations':
      // Answered by startApi's front listener: never reaches an adapter.
      throw new Error('redirect-two-locations is answered in front of corsguard');
    case 'whoami':
      return json(200, { cookie: facts.cookie ?? null });
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * What every server's handler does: counts the run, then answers, throws synchronously
 * (`throw`) or returns a rejected promise (`reject`) for the adapter to catch.
 */
function handlerAnswer(
  traffic: TrafficLog,
  url: string,
  method: string,
  get: (name: string) => string | undefined,
): ApiAnswer | Promise<never> {
  const path = parseApiPath(url.startsWith('/') ? url : new URL(url).pathname);
  if (path === undefined) throw new Error(`the handler got a request outside /s/: ${url}`);
  traffic.get(path.key).handlerRuns++;
  const contentHeaders = CONTENT_HEADERS.filter((name) => get(name) !== undefined);
  const result = answer(path, {
    method,
    authorization: get('authorization'),
    apiKey: get('x-api-key'),
    cookie: get('cookie'),
    host: get('host'),
    contentHeaders,
  });
  if (result === 'throw') throw new Error('handler failed');
  if (result === 'reject') return Promise.reject(new Error('handler failed asynchronously'));
  return result;
}

export interface ApiServer {
  /** Adapter name, as shown in the report. */
  readonly name: string;
  /** `http://localhost:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/** Builds a request listener serving every scenario's configuration (keyed by scenario id). */
type Adapter = (traffic: TrafficLog, configs: ReadonlyMap<string, CorsOptions>) => http.RequestListener | Promise<http.RequestListener>;

const silent = { onWarning: () => {}, onError: () => {} } satisfies CorsOptionFields;

/** Routes a request to the listener of its scenario; anything else is a bare 404. */
function byScenario<L>(listeners: ReadonlyMap<string, L>, url: string): L | undefined {
  const path = parseApiPath(url);
  return path === undefined ? undefined : listeners.get(path.scenarioId);
}

/** corsguard/node: `withCors(listener, options)` around a plain node:http listener. */
const nodeAdapter: Adapter = (traffic, configs) => {
  const listeners = new Map<string, http.RequestListener>();
  for (const [id, options] of configs) {
    const handler: http.RequestListener = (req, res) => {
      const result = handlerAnswer(traffic, req.url ?? '', req.method ?? '', (name) => header(req.headers[name]));
      if (result instanceof Promise) return result;
      res.writeHead(result.status, result.headers);
      res.end(result.body);
    };
    listeners.set(id, withNodeCors(handler, { ...options, ...silent }));
  }
  return (req, res) => {
    const listener = byScenario(listeners, req.url ?? '');
    if (listener === undefined) res.writeHead(404).end();
    else listener(req, res);
  };
};

/** corsguard/fetch: `withCors(handler, options)` around a fetch handler, served by @hono/node-server. */
const fetchAdapter: Adapter = (traffic, configs) => {
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  for (const [id, options] of configs) {
    const handler = async (request: Request): Promise<Response> => {
      const result = handlerAnswer(traffic, request.url, request.method, (name) => request.headers.get(name) ?? undefined);
      if (result instanceof Promise) return result;
      return new Response(request.method === 'HEAD' ? null : result.body, { status: result.status, headers: result.headers });
    };
    handlers.set(id, withFetchCors(handler, { ...options, ...silent }));
  }
  return getRequestListener(
    (request: Request) => {
      const handler = byScenario(handlers, new URL(request.url).pathname);
      return handler === undefined ? new Response(null, { status: 404 }) : handler(request);
    },
    { overrideGlobalObjects: false },
  );
};

/** corsguard/express: `app.use(path, cors(options), router)`, one mount per scenario. */
const expressAdapter: Adapter = (traffic, configs) => {
  const app = express();
  const routes = express.Router();
  routes.all('/:route', (req, res) => {
    const result = handlerAnswer(traffic, req.originalUrl, req.method, (name) => req.get(name));
    if (result instanceof Promise) return result;
    res.status(result.status).set(result.headers).send(result.body);
    return undefined;
  });
  for (const [id, options] of configs) app.use(`/s/:engine/${id}`, expressCors({ ...options, ...silent }), routes);
  // Express's final handler logs every error it answers; the suite expects them.
  app.set('env', 'test');
  return app;
};

/** corsguard/fastify: `child.register(cors, options)` in one prefixed plugin per scenario. */
const fastifyAdapter: Adapter = async (traffic, configs) => {
  let route: http.RequestListener | undefined;
  const app = Fastify({
    exposeHeadRoutes: false,
    serverFactory: (handler) => {
      route = handler;
      return http.createServer();
    },
  });
  // Fastify routes only the methods it knows; a PURGE endpoint has to declare the method.
  app.addHttpMethod('PURGE');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const [id, options] of configs) {
    await app.register(
      async (child) => {
        await child.register(fastifyCors, { ...options, ...silent });
        child.all('/:route', async (request, reply) => {
          const result = handlerAnswer(traffic, request.url, request.method, (name) => header(request.headers[name]));
          if (result instanceof Promise) return result;
          return reply.code(result.status).headers(result.headers).send(result.body);
        });
      },
      { prefix: `/s/:engine/${id}` },
    );
  }
  await app.ready();
  return (req, res) => route!(req, res);
};

/** corsguard/koa: `cors(options)` per scenario, chosen by a mount-style middleware. */
const koaAdapter: Adapter = (traffic, configs) => {
  const app = new Koa();
  app.silent = true;
  const middlewares = new Map([...configs].map(([id, options]) => [id, koaCors({ ...options, ...silent })]));
  app.use(async (ctx, next) => {
    const middleware = byScenario(middlewares, ctx.url);
    if (middleware === undefined) ctx.status = 404;
    else await middleware(ctx, next);
  });
  app.use(async (ctx) => {
    const result = handlerAnswer(traffic, ctx.url, ctx.method, (name) => header(ctx.req.headers[name]));
    const { status, headers, body } = result instanceof Promise ? await result : result;
    ctx.status = status;
    ctx.set(headers);
    ctx.body = body;
  });
  return app.callback();
};

/** corsguard/hono: `app.use('/s/:engine/<id>/*', cors(options))` per scenario. */
const honoAdapter: Adapter = (traffic, configs) => {
  const app = new Hono();
  for (const [id, options] of configs) app.use(`/s/:engine/${id}/*`, honoCors({ ...options, ...silent }));
  app.all('/s/:engine/:scenario/:route', async (c) => {
    const result = handlerAnswer(traffic, c.req.url, c.req.method, (name) => c.req.header(name));
    const { status, headers, body } = result instanceof Promise ? await result : result;
    return c.body(body, status as ContentfulStatusCode, headers);
  });
  return getRequestListener(app.fetch, { overrideGlobalObjects: false });
};

export const ADAPTERS: ReadonlyMap<string, Adapter> = new Map([
  ['node', nodeAdapter],
  ['fetch', fetchAdapter],
  ['express', expressAdapter],
  ['fastify', fastifyAdapter],
  ['koa', koaAdapter],
  ['hono', honoAdapter],
]);

/**
 * One adapter's API with every scenario's configuration, as a request listener (startApi serves
 * it; corsguard/testing's tests run it in-process). A raw listener in front counts preflights
 * before corsguard sees them.
 */
export async function apiListener(
  name: string,
  scenarios: readonly Scenario[],
  pagePort: number,
  traffic: TrafficLog,
): Promise<http.RequestListener> {
  const adapter = ADAPTERS.get(name);
  if (adapter === undefined) throw new Error(`unknown adapter ${name}`);
  const configs = new Map<string, CorsOptions>();
  for (const s of scenarios) if (s.rawServer === undefined) configs.set(s.id, resolveOptions(s.options, pageOrigin(s.page, pagePort)));
  const listener = withPageAndRawServers(await adapter(traffic, configs), scenarios, traffic, parseApiPath);
  return (req, res) => {
    const path = parseApiPath(req.url ?? '');
    if (path !== undefined) {
      const seen = traffic.get(path.key);
      seen.origin = header(req.headers.origin) ?? '';
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) seen.preflights++;
      if (path.route === 'redirect-two-locations') {
        // Two lines of one name: the frameworks built on fetch's Headers would join them into one.
        // (A flat [name, value, name, value...] list is how node:http writes repeated names.)
        seen.handlerRuns++;
        res.writeHead(307, ['Access-Control-Allow-Origin', '*', 'Location', 'items', 'Location', 'whoami', 'Content-Length', '0']);
        res.end();
        return;
      }
    }
    listener(req, res);
  };
}

/** Starts one adapter's API (apiListener) on loopback, port 0. */
export async function startApi(name: string, scenarios: readonly Scenario[], pagePort: number, traffic: TrafficLog): Promise<ApiServer> {
  const server = http.createServer(await apiListener(name, scenarios, pagePort, traffic));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name,
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
