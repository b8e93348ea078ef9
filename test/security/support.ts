/**
 * Helpers for the security suites: servers on loopback port 0 behind each adapter, raw
 * HTTP/1.1 over `net` (for bytes node's own client refuses to send), and a strict parser of
 * raw responses that fails on anything a browser would not accept as a well-formed message.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
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
import { listenServer } from '../support/server.js';

/** A server started for a test: its port and how many times the application handler ran. */
export interface RunningServer {
  readonly port: number;
  readonly handlerCalls: () => number;
  close(): Promise<void>;
}

/**
 * An adapter under test: starts a server whose application answers every method and path with
 * `200 ok` and an `X-Total-Count` header, behind corsguard configured with `options`.
 */
export interface Adapter {
  readonly name: string;
  start(options: CorsOptions): Promise<RunningServer>;
}

async function running(server: Server, calls: { n: number }): Promise<RunningServer> {
  const { url, close } = await listenServer(server);
  return { port: Number(new URL(url).port), handlerCalls: () => calls.n, close };
}

function nodeApp(calls: { n: number }) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    calls.n++;
    res.setHeader('X-Total-Count', '3');
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  };
}

function webApp(calls: { n: number }): Response {
  calls.n++;
  return new Response('ok', { headers: { 'X-Total-Count': '3', 'Content-Type': 'text/plain' } });
}

/** Every adapter corsguard ships, each on its real framework. */
export const ADAPTERS: readonly Adapter[] = [
  {
    name: 'node withCors',
    async start(options) {
      const calls = { n: 0 };
      return running(createServer(withNodeCors(nodeApp(calls), options)), calls);
    },
  },
  {
    name: 'node corsMiddleware',
    async start(options) {
      const calls = { n: 0 };
      const middleware = corsMiddleware(options);
      const app = nodeApp(calls);
      return running(
        createServer((req, res) => middleware(req, res, () => app(req, res))),
        calls,
      );
    },
  },
  {
    name: 'fetch withCors (@hono/node-server)',
    async start(options) {
      const calls = { n: 0 };
      return running(createAdaptorServer({ fetch: withFetchCors(() => webApp(calls), options) }) as Server, calls);
    },
  },
  {
    name: 'express',
    async start(options) {
      const calls = { n: 0 };
      const app = express();
      app.set('env', 'test');
      app.use(expressCors(options));
      app.use(nodeApp(calls));
      return running(createServer(app), calls);
    },
  },
  {
    name: 'fastify',
    async start(options) {
      const calls = { n: 0 };
      let listener: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
      const app = Fastify({
        serverFactory: (handler) => {
          listener = handler;
          return createServer(handler);
        },
      });
      await app.register(fastifyCors, options);
      app.all('/*', async (_request, reply) => {
        calls.n++;
        return reply.header('X-Total-Count', '3').type('text/plain').send('ok');
      });
      await app.ready();
      return running(createServer(listener!), calls);
    },
  },
  {
    name: 'koa',
    async start(options) {
      const calls = { n: 0 };
      const app = new Koa();
      app.silent = true;
      app.use(koaCors(options));
      app.use((ctx) => {
        calls.n++;
        ctx.set('X-Total-Count', '3');
        ctx.type = 'text/plain';
        ctx.body = 'ok';
      });
      return running(createServer(app.callback()), calls);
    },
  },
  {
    name: 'hono (@hono/node-server)',
    async start(options) {
      const calls = { n: 0 };
      const app = new Hono();
      app.use(honoCors(options));
      app.all('*', () => webApp(calls));
      return running(createAdaptorServer({ fetch: app.fetch }) as Server, calls);
    },
  },
];

/**
 * Sends raw bytes on a new connection and collects everything until the server closes it.
 * Rejects after `timeoutMs`, so a hang is a test failure and not a stuck suite.
 */
export function rawExchange(port: number, request: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** One request as bytes: the header values are written byte for byte (latin1). */
export function rawRequest(method: string, path: string, headers: ReadonlyArray<readonly [string, string]>): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  head += 'Connection: close\r\n\r\n';
  return Buffer.from(head, 'latin1');
}

export interface ParsedResponse {
  readonly status: number;
  /** Header fields in order, names lower-cased, values as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly head: string;
  readonly body: Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible ASCII, obs-text, SP and HTAB; no CR, LF, NUL or other controls.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Parses exactly one HTTP/1.1 response and throws unless it is well formed: a valid status
 * line, token names, values without control bytes, a body that matches its framing, and
 * nothing after it.
 */
export function parseResponse(raw: Buffer, requestMethod = 'GET'): ParsedResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`response has no complete head: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const head = raw.subarray(0, end).toString('latin1');
  const lines = head.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] ([1-5][0-9]{2}) [^\r\n]*$/.exec(lines[0] ?? '');
  if (statusLine === null) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
  const headers: Array<readonly [string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(name)) throw new Error(`bad header line: ${JSON.stringify(line)}`);
    if (!FIELD_VALUE.test(value)) throw new Error(`bad header value: ${JSON.stringify(line)}`);
    headers.push([name.toLowerCase(), value]);
  }
  const status = Number(statusLine[1]);
  let rest = raw.subarray(end + 4);
  const field = (name: string) => headers.filter(([n]) => n === name).map(([, v]) => v);
  const lengths = field('content-length');
  const chunked = field('transfer-encoding').some((v) => /chunked/i.test(v));
  let body: Buffer;
  if (chunked) {
    if (lengths.length > 0) throw new Error('both Content-Length and chunked');
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd === -1) throw new Error('truncated chunk size');
      const size = Number.parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) throw new Error('bad chunk size');
      rest = rest.subarray(lineEnd + 2);
      if (size === 0) {
        if (!rest.subarray(0, 2).equals(Buffer.from('\r\n'))) throw new Error('chunked trailer not supported here');
        rest = rest.subarray(2);
        break;
      }
      parts.push(rest.subarray(0, size));
      rest = rest.subarray(size + 2);
    }
    body = Buffer.concat(parts);
  } else if (lengths.length > 0 && requestMethod !== 'HEAD') {
    if (new Set(lengths).size !== 1) throw new Error(`conflicting Content-Length: ${lengths.join(', ')}`);
    const length = Number(lengths[0]);
    if (!Number.isInteger(length) || rest.length < length) throw new Error('body shorter than Content-Length');
    body = rest.subarray(0, length);
    rest = rest.subarray(length);
  } else if (status === 204 || status === 304 || status < 200 || requestMethod === 'HEAD') {
    body = Buffer.alloc(0);
  } else {
    body = rest; // closed-delimited
    rest = Buffer.alloc(0);
  }
  if (rest.length > 0) throw new Error(`bytes after the response: ${JSON.stringify(rest.toString('latin1').slice(0, 100))}`);
  return { status, headers, head, body };
}

/** Every value of a header (lower-case name). */
export function fieldValues(response: ParsedResponse, name: string): string[] {
  return response.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** The value of a header as Fetch's "get" sees it: several lines joined with ", ", or null. */
export function fieldGet(response: ParsedResponse, name: string): string | null {
  const values = fieldValues(response, name);
  return values.length === 0 ? null : values.join(', ');
}

/** Header fields of the CORS protocol's responses (`access-control-*`). */
export function corsFields(response: ParsedResponse): Array<readonly [string, string]> {
  return response.headers.filter(([name]) => name.startsWith('access-control-'));
}

export { mapHeaderWriter } from '../support/map-header-writer.js';

/** Seeded, reproducible pseudo-random numbers (mulberry32), for fuzzers and the soak run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
