/**
 * The API the pages call, served by corsguard through each adapter. Every adapter serves the
 * same routes (see ApiRoute) under `/s/<engine>/<scenario id>/<route>`, each scenario with its
 * own corsguard configuration, so that browser caches and cookies never leak between cells.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { withCors as withNodeCors } from '../../src/node/index.js';
import { withCors as withFetchCors } from '../../src/fetch/index.js';
import type { CorsOptions } from '../../src/core/options.js';
import { pageOrigin, resolveOptions } from './scenarios.js';
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

const ROUTES: ReadonlySet<string> = new Set(['items', 'error', 'throw', 'reject', 'login', 'login-unmarked', 'login-none', 'whoami']);

/** `/s/<engine>/<scenario>/<route>` (query ignored); undefined for anything else. */
function parseApiPath(url: string): ApiPath | undefined {
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
}

/** What the handler answers, before any adapter or CORS layer. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json';

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
        },
        { 'X-Total-Count': '42', 'Custom-Header': 'hello' },
      );
    case 'error':
      return json(500, { error: 'database unavailable' });
    case 'missing':
      return json(404, { error: 'not found' });
    case 'throw':
    case 'reject':
      return path.route;
    case 'login':
      return json(200, { loggedIn: true }, {
        'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; SameSite=Lax; HttpOnly`,
      });
    case 'login-unmarked':
      return json(200, { loggedIn: true }, { 'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; HttpOnly` });
    case 'login-none':
      return json(200, { loggedIn: true }, { 'Set-Cookie': `session=${path.scenarioId}; Path=/s/${path.key}; SameSite=None; Secure; HttpOnly` });
    case 'whoami':
      return json(200, { cookie: facts.cookie ?? null });
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface ApiServer {
  /** Adapter name, as shown in the report. */
  readonly name: string;
  /** `http://localhost:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

type Adapter = (
  traffic: TrafficLog,
  configs: ReadonlyMap<string, CorsOptions>,
) => http.RequestListener;

const silent = { onWarning: () => {}, onError: () => {} } satisfies CorsOptions;

/** corsguard/node: `withCors(listener, options)` around a plain node:http listener. */
const nodeAdapter: Adapter = (traffic, configs) => {
  const listeners = new Map<string, http.RequestListener>();
  for (const [id, options] of configs) {
    listeners.set(
      id,
      withNodeCors((req, res) => {
        const path = parseApiPath(req.url ?? '')!;
        traffic.get(path.key).handlerRuns++;
        const result = answer(path, {
          method: req.method ?? '',
          authorization: header(req.headers.authorization),
          apiKey: header(req.headers['x-api-key']),
          cookie: header(req.headers.cookie),
        });
        if (result === 'throw') throw new Error('handler failed');
        if (result === 'reject') return Promise.reject(new Error('handler failed asynchronously'));
        res.writeHead(result.status, result.headers);
        res.end(result.body);
        return undefined;
      }, { ...options, ...silent }),
    );
  }
  return (req, res) => {
    const path = parseApiPath(req.url ?? '');
    const listener = path === undefined ? undefined : listeners.get(path.scenarioId);
    if (listener === undefined) {
      res.writeHead(404).end();
      return;
    }
    listener(req, res);
  };
};

/** corsguard/fetch: `withCors(handler, options)` around a fetch handler, served by @hono/node-server. */
const fetchAdapter: Adapter = (traffic, configs) => {
  const handlers = new Map<string, (request: Request) => Promise<Response>>();
  for (const [id, options] of configs) {
    handlers.set(
      id,
      withFetchCors(async (request: Request) => {
        const path = parseApiPath(new URL(request.url).pathname)!;
        traffic.get(path.key).handlerRuns++;
        const h = request.headers;
        const result = answer(path, {
          method: request.method,
          authorization: h.get('authorization') ?? undefined,
          apiKey: h.get('x-api-key') ?? undefined,
          cookie: h.get('cookie') ?? undefined,
        });
        if (result === 'throw') throw new Error('handler failed');
        if (result === 'reject') return Promise.reject(new Error('handler failed asynchronously'));
        return new Response(request.method === 'HEAD' ? null : result.body, { status: result.status, headers: result.headers });
      }, { ...options, ...silent }),
    );
  }
  return getRequestListener(
    (request: Request) => {
      const path = parseApiPath(new URL(request.url).pathname);
      const handler = path === undefined ? undefined : handlers.get(path.scenarioId);
      return handler === undefined ? new Response(null, { status: 404 }) : handler(request);
    },
    { overrideGlobalObjects: false },
  );
};

export const ADAPTERS: ReadonlyMap<string, Adapter> = new Map([
  ['node', nodeAdapter],
  ['fetch', fetchAdapter],
]);

/**
 * Starts one adapter's server on loopback, port 0, with every scenario's configuration. A
 * raw listener in front counts preflights before corsguard sees them.
 */
export async function startApi(
  name: string,
  scenarios: readonly Scenario[],
  pagePort: number,
  traffic: TrafficLog,
): Promise<ApiServer> {
  const adapter = ADAPTERS.get(name);
  if (adapter === undefined) throw new Error(`unknown adapter ${name}`);
  const configs = new Map<string, CorsOptions>();
  for (const s of scenarios) configs.set(s.id, resolveOptions(s.options, pageOrigin(s.page, pagePort)));
  const listener = adapter(traffic, configs);
  const server = http.createServer((req, res) => {
    const path = parseApiPath(req.url ?? '');
    if (path !== undefined) {
      const seen = traffic.get(path.key);
      seen.origin = header(req.headers.origin) ?? '';
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) seen.preflights++;
    }
    listener(req, res);
  });
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
