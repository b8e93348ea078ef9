/**
 * Every adapter on its real framework, for tests that need one app per adapter with their own
 * options: each app answers every GET, PUT, DELETE and non-preflight OPTIONS with 200 `ok`, its
 * handler setting `handlerHeaders` its framework's way (after corsguard wrote its own). On
 * node:http the first of them goes through `setHeader`, the rest through `writeHead`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import type { CorsOptions } from '../../src/core/options.js';
import { corsMiddleware, withCors as withNodeCors } from '../../src/node/index.js';
import { withCors as withFetchCors } from '../../src/fetch/index.js';
import { cors as expressCors } from '../../src/express/index.js';
import { cors as fastifyCors } from '../../src/fastify/index.js';
import { cors as honoCors } from '../../src/hono/index.js';
import { cors as koaCors } from '../../src/koa/index.js';
import { listen, type RunningServer } from '../support/server.js';

export type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Headers = Readonly<Record<string, string>>;
type Build = (options: CorsOptions, handlerHeaders: Headers) => Listener | Promise<Listener>;

function nodeHandler(handlerHeaders: Headers): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    const [first, ...rest] = Object.entries(handlerHeaders);
    if (first !== undefined) res.setHeader(first[0], first[1]);
    res.writeHead(200, Object.fromEntries(rest));
    res.end('ok');
  };
}

const METHODS = ['GET', 'PUT', 'DELETE', 'OPTIONS'] as const;

export const EVERY_ADAPTER: Readonly<Record<string, Build>> = {
  'node withCors': (options, handlerHeaders) => withNodeCors(nodeHandler(handlerHeaders), options),
  'node corsMiddleware': (options, handlerHeaders) => {
    const cors = corsMiddleware(options);
    const handler = nodeHandler(handlerHeaders);
    return (req, res) => cors(req, res, () => handler(req, res));
  },
  express: (options, handlerHeaders) => {
    const app = express();
    app.use(expressCors(options));
    app.all('/{*rest}', (_req, res) => {
      res.set(handlerHeaders).send('ok');
    });
    return app as unknown as Listener;
  },
  koa: (options, handlerHeaders) => {
    const app = new Koa();
    app.use(koaCors(options));
    app.use((ctx) => {
      ctx.set(handlerHeaders);
      ctx.body = 'ok';
    });
    return app.callback();
  },
  fastify: async (options, handlerHeaders) => {
    let listener: Listener | undefined;
    const app = Fastify({
      serverFactory: (handler) => {
        listener = handler;
        return createServer(handler);
      },
    });
    await app.register(fastifyCors, options);
    app.route({ method: [...METHODS], url: '/*', handler: async (_request, reply) => reply.headers(handlerHeaders).send('ok') });
    await app.ready();
    return listener!;
  },
  fetch: (options, handlerHeaders) => getRequestListener(withFetchCors(() => new Response('ok', { headers: handlerHeaders }), options)),
  hono: (options, handlerHeaders) => {
    const app = new Hono();
    app.use(honoCors(options));
    app.on([...METHODS], '*', (c) => {
      for (const [name, value] of Object.entries(handlerHeaders)) c.header(name, value);
      return c.text('ok');
    });
    return getRequestListener(app.fetch);
  },
};

/** Starts `adapter`'s app on loopback. */
export async function serveAdapter(adapter: string, options: CorsOptions, handlerHeaders: Headers = {}): Promise<RunningServer> {
  return listen(await EVERY_ADAPTER[adapter]!(options, handlerHeaders));
}
