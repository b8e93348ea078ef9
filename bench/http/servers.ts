/**
 * The servers of the HTTP benchmark. Each one answers `GET /items` with `ok` and is
 * configured like the in-process `1 origin` workload. One process per server, started by
 * bench/http/run.ts: `node build/bench/http/servers.js <variant>` listens on 127.0.0.1:0 and
 * prints `{"port":N}`.
 */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { corsMiddleware, withCors } from '../../src/node/index.js';
import { ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE, METHODS, ONE_ORIGIN, corsPackageOptions, corsguardOptions } from '../workloads.js';
import { loadAdapter } from '../inprocess/adapters.js';

export interface Variant {
  readonly id: string;
  readonly framework: 'node:http' | 'Express' | 'Fastify' | 'Koa' | 'Hono';
  /** What this server puts in front of the handler. */
  readonly cors: string;
  /**
   * `baseline` (no CORS), `floor` (hand-written), `corsguard`, `plugin` (the framework's usual
   * CORS package), or `control` (a second process of the floor, to show what "no difference" reads as).
   */
  readonly role: 'baseline' | 'floor' | 'control' | 'corsguard' | 'plugin';
}

export const VARIANTS: readonly Variant[] = [
  { id: 'node-bare', framework: 'node:http', cors: 'none', role: 'baseline' },
  { id: 'node-floor', framework: 'node:http', cors: 'hand-written headers', role: 'floor' },
  { id: 'node-floor-twin', framework: 'node:http', cors: 'hand-written headers (a second process)', role: 'control' },
  { id: 'node-corsguard', framework: 'node:http', cors: 'corsguard `withCors`', role: 'corsguard' },
  { id: 'express-cors', framework: 'Express', cors: '`cors`', role: 'plugin' },
  { id: 'express-corsguard', framework: 'Express', cors: 'corsguard', role: 'corsguard' },
  { id: 'fastify-cors', framework: 'Fastify', cors: '`@fastify/cors`', role: 'plugin' },
  { id: 'fastify-corsguard', framework: 'Fastify', cors: 'corsguard', role: 'corsguard' },
  { id: 'koa-cors', framework: 'Koa', cors: '`@koa/cors`', role: 'plugin' },
  { id: 'koa-corsguard', framework: 'Koa', cors: 'corsguard', role: 'corsguard' },
  { id: 'hono-cors', framework: 'Hono', cors: '`hono/cors`', role: 'plugin' },
  { id: 'hono-corsguard', framework: 'Hono', cors: 'corsguard', role: 'corsguard' },
];

const options = corsguardOptions('one');
const EXPOSE_VALUE = EXPOSE_HEADERS.join(', ');
const ALLOW_METHODS_VALUE = 'DELETE, PATCH, PUT';
const ALLOW_HEADERS_VALUE = 'authorization, content-type, x-requested-with';
const MAX_AGE_VALUE = String(MAX_AGE);
const REFUSED_BODY = "CORS preflight refused: this origin is not allowed by the server's CORS policy.\n";

function handler(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('ok');
}

/** The floor: corsguard's headers for this configuration, precomputed, after one Set lookup. */
function floorListener(): RequestListener {
  const allowed = new Set([ONE_ORIGIN]);
  return (req, res) => {
    const origin = req.headers.origin;
    res.setHeader('vary', 'Origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
      if (!ok) {
        res.statusCode = 403;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(REFUSED_BODY);
        return;
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-methods', ALLOW_METHODS_VALUE);
      res.setHeader('access-control-allow-headers', ALLOW_HEADERS_VALUE);
      res.setHeader('access-control-max-age', MAX_AGE_VALUE);
      res.statusCode = 204;
      res.end();
      return;
    }
    if (ok) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', EXPOSE_VALUE);
    }
    handler(req, res);
  };
}

function listenNode(listener: RequestListener): Promise<number> {
  const server = http.createServer(listener);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function express(useCorsguard: boolean): Promise<number> {
  const { default: createApp } = await import('express');
  const app = createApp();
  if (useCorsguard) {
    const adapter = await loadAdapter<{ cors(o: typeof options): http.RequestListener }>('express');
    app.use(adapter === undefined ? corsMiddleware(options) : adapter.cors(options));
  } else {
    const { default: cors } = await import('cors');
    app.use(cors(corsPackageOptions('one')));
  }
  app.get('/items', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  return listenNode(app);
}

async function fastify(useCorsguard: boolean): Promise<number | undefined> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  if (useCorsguard) {
    const adapter = await loadAdapter<Record<string, unknown>>('fastify');
    const plugin = adapter?.default ?? adapter?.corsguard ?? adapter?.cors;
    if (plugin === undefined) return undefined;
    await app.register(plugin as never, options as never);
  } else {
    const { default: fastifyCors } = await import('@fastify/cors');
    await app.register(fastifyCors, corsPackageOptions('one'));
  }
  app.get('/items', async (_request, reply) => {
    reply.type('text/plain; charset=utf-8');
    return 'ok';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

async function koa(useCorsguard: boolean): Promise<number | undefined> {
  const { default: Koa } = await import('koa');
  const app = new Koa();
  if (useCorsguard) {
    const adapter = await loadAdapter<{ cors(o: typeof options): Parameters<typeof app.use>[0] }>('koa');
    if (adapter === undefined) return undefined;
    app.use(adapter.cors(options));
  } else {
    const { default: koaCors } = await import('@koa/cors');
    app.use(
      koaCors({
        origin: (ctx) => (ctx.get('Origin') === ONE_ORIGIN ? ONE_ORIGIN : ''),
        credentials: true,
        allowMethods: [...METHODS],
        allowHeaders: [...ALLOW_HEADERS],
        exposeHeaders: [...EXPOSE_HEADERS],
        maxAge: MAX_AGE,
      }),
    );
  }
  app.use((ctx) => {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
  });
  return listenNode(app.callback());
}

async function hono(useCorsguard: boolean): Promise<number | undefined> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  if (useCorsguard) {
    const adapter = await loadAdapter<{ cors(o: typeof options): Parameters<typeof app.use>[0] }>('hono');
    if (adapter === undefined) return undefined;
    app.use(adapter.cors(options));
  } else {
    const { cors } = await import('hono/cors');
    app.use(
      cors({
        origin: ONE_ORIGIN,
        credentials: true,
        allowMethods: [...METHODS],
        allowHeaders: [...ALLOW_HEADERS],
        exposeHeaders: [...EXPOSE_HEADERS],
        maxAge: MAX_AGE,
      }),
    );
  }
  app.get('/items', (c) => c.text('ok'));
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

/** Starts a variant in this process; undefined when its corsguard adapter does not exist yet. */
export async function start(id: string): Promise<number | undefined> {
  switch (id) {
    case 'node-bare':
      return listenNode(handler);
    case 'node-floor':
    case 'node-floor-twin':
      return listenNode(floorListener());
    case 'node-corsguard':
      return listenNode(withCors(handler, options));
    case 'express-cors':
    case 'express-corsguard':
      return express(id.endsWith('corsguard'));
    case 'fastify-cors':
    case 'fastify-corsguard':
      return fastify(id.endsWith('corsguard'));
    case 'koa-cors':
    case 'koa-corsguard':
      return koa(id.endsWith('corsguard'));
    case 'hono-cors':
    case 'hono-corsguard':
      return hono(id.endsWith('corsguard'));
    default:
      throw new Error(`unknown server variant '${id}'`);
  }
}

if (process.argv[1]?.endsWith('servers.js') && process.argv[2] !== undefined) {
  const port = await start(process.argv[2]);
  process.stdout.write(`${JSON.stringify({ port: port ?? null })}\n`);
  if (port === undefined) process.exit(0);
  // The driver ends the benchmark by closing our stdin (or killing us).
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
