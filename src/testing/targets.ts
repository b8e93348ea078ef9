/**
 * What simulateFetch sends its requests to: the app under test, recognised by its shape (no
 * framework is imported), opened for the length of one call and closed after it.
 *
 * - Node-style apps (a request listener, an Express app, a Koa app's `callback()`, an `http.Server`,
 *   a Fastify instance's server) are served on a loopback port (127.0.0.1, port 0) and asked over a
 *   real socket by the CLI's own HTTP client, so the app writes real bytes and `check` reads them
 *   as it reads any server's. The request still names the origin the app is tested as (`Host`).
 * - Fetch handlers (a function of one parameter, a `{ fetch }` object, a Hono app) are called with a
 *   real `Request`, and their real `Response` is read.
 * - A base URL is a running server, asked over the network as `corsguard check` asks it.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinHeaderLines } from '../cli/browser-model.js';
import { NetworkError, RequestFailedError, sendRequest, type ReceivedResponse, type SentRequest, type Transport } from '../cli/http.js';

/** simulateFetch could not run: the target, the request or the app itself is at fault (not CORS). */
export class SimulateFetchError extends Error {
  override readonly name = 'SimulateFetchError';
}

/** A fetch handler: `(request) => Response`, as Deno.serve, Bun.serve, Workers and Hono take. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * What simulateFetch can test: a base URL (`'http://localhost:3000'`, a running server), a node
 * request listener `(req, res) => ...` or an Express app, an `http.Server` (listening or not), a
 * Fastify instance, a Koa app, a fetch handler `(request) => Response`, or an object with a
 * `fetch(request)` method (a Hono app, `{ fetch }`). A function of two or more parameters is taken
 * as a node listener, of one or none as a fetch handler: wrap an ambiguous one as
 * `http.createServer(listener)` or `{ fetch: handler }`.
 */
export type Target =
  | string
  | URL
  | RequestListener
  | FetchHandler
  | Server
  | { readonly fetch: (request: Request) => Response | Promise<Response> }
  // Koa: `app.callback()` gives its listener. Fastify: `ready()`, then its `server` answers.
  | { readonly callback: () => RequestListener }
  | { readonly ready: () => PromiseLike<unknown>; readonly server: Server };

/** A target, open for one simulateFetch call. */
export interface OpenTarget {
  /** Whether requests go over the network as they are (a base URL). */
  readonly network: boolean;
  readonly transport: Transport;
  close(): Promise<void>;
}

const TIMEOUT_SETTING = 'the timeoutMs option of simulateFetch';

/** A target recognised by its shape, not yet opened. */
export type Recognised =
  | { readonly kind: 'url'; readonly url: URL }
  | {
      readonly kind: 'listener';
      readonly listener: (req: IncomingMessage, res: ServerResponse) => unknown;
      readonly prepare?: () => PromiseLike<unknown>;
    }
  | { readonly kind: 'fetch'; readonly handler: (request: Request) => unknown };

function describe(target: unknown): string {
  if (target === null) return 'null';
  if (typeof target === 'function') return `a function of ${target.length} parameters`;
  if (typeof target !== 'object') return `${typeof target} ${JSON.stringify(target)}`;
  const name = (target as { constructor?: { name?: unknown } }).constructor?.name;
  const keys = Object.keys(target).slice(0, 8);
  return `${typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object'}${keys.length > 0 ? ` with ${keys.join(', ')}` : ' without properties'}`;
}

function has(target: object, name: string): boolean {
  return typeof (target as Record<string, unknown>)[name] === 'function';
}

function isServer(value: unknown): value is Server {
  return typeof value === 'object' && value !== null && has(value, 'listen') && has(value, 'emit') && has(value, 'address');
}

/** The kind of target, by its shape; a clear SimulateFetchError for anything else. */
export function recognise(target: unknown, label?: string): Recognised {
  if (typeof target === 'string' || target instanceof URL) {
    try {
      const url = new URL(target);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url };
    } catch {
      // Refused below.
    }
    throw new SimulateFetchError(
      `simulateFetch: the target '${String(target)}' is not an http(s) base URL such as 'http://localhost:3000'`,
    );
  }
  if (typeof target === 'function') {
    const fn = target as (...args: unknown[]) => unknown;
    return fn.length >= 2 ? { kind: 'listener', listener: fn } : { kind: 'fetch', handler: fn };
  }
  if (typeof target === 'object' && target !== null) {
    const object = target as Record<string, (...args: unknown[]) => unknown>;
    const server = (target as { server?: unknown }).server;
    if (has(target, 'ready') && isServer(server)) {
      // Fastify (itself a thenable) answers once ready(); its server's 'request' listener is the app.
      return {
        kind: 'listener',
        listener: (req, res) => server.emit('request', req, res),
        prepare: () => object['ready']!() as PromiseLike<unknown>,
      };
    }
    if (has(target, 'then')) throw new SimulateFetchError('simulateFetch: the target is a Promise; await it first (an async app factory?)');
    if (has(target, 'fetch')) return { kind: 'fetch', handler: (request) => object['fetch']!(request) };
    if (has(target, 'callback') && has(target, 'use')) {
      // Koa: one listener per call, as app.listen() makes.
      return { kind: 'listener', listener: object['callback']!() as RequestListener };
    }
    if (isServer(target)) return { kind: 'listener', listener: (req, res) => target.emit('request', req, res) };
  }
  throw new SimulateFetchError(
    `simulateFetch cannot test ${describe(target)}${label === undefined ? '' : ` (${label})`}: give it a base URL ('http://localhost:3000'), a node request listener ((req, res) => ...), an http.Server, an Express, Koa, Fastify or Hono app, or a fetch handler ((request) => Response, or { fetch })`,
  );
}

/** Opens the target: a loopback server for a node-style app, nothing for the others. */
export async function openTarget(kind: Recognised): Promise<OpenTarget> {
  switch (kind.kind) {
    case 'url':
      return {
        network: true,
        transport: (req, timeoutMs) => sendRequest(req, timeoutMs, { timeoutSetting: TIMEOUT_SETTING }),
        close: async () => {},
      };
    case 'fetch':
      return { network: false, transport: (req, timeoutMs) => callFetchHandler(kind.handler, req, timeoutMs), close: async () => {} };
    case 'listener':
      await kind.prepare?.();
      return serveOnLoopback(kind.listener);
  }
}

function appFailed(req: SentRequest, error: unknown): SimulateFetchError {
  const message = error instanceof Error ? error.message : String(error);
  return new SimulateFetchError(`simulateFetch: the app failed while answering ${req.method} ${req.url}: ${message}`, { cause: error });
}

/**
 * Serves a node-style app on 127.0.0.1, port 0, until close(). An error the app throws (or the
 * promise its listener returns rejects with) ends that request's connection and fails the call
 * with that error: the request crashes the app, which is not a CORS verdict.
 */
async function serveOnLoopback(listener: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<OpenTarget> {
  let failure: { error: unknown } | undefined;
  const fail = (res: ServerResponse, error: unknown): void => {
    failure ??= { error };
    res.destroy();
  };
  const server = createServer((req, res) => {
    try {
      const result = listener(req, res);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function')
        (result as PromiseLike<unknown>).then(undefined, (error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    network: false,
    transport: async (req, timeoutMs) => {
      let response: ReceivedResponse;
      try {
        response = await sendRequest(req, timeoutMs, { connectTo: { host: '127.0.0.1', port }, timeoutSetting: TIMEOUT_SETTING });
      } catch (error) {
        if (failure !== undefined) throw appFailed(req, failure.error);
        throw error;
      }
      if (failure !== undefined) throw appFailed(req, failure.error);
      return response;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const BODY_KEPT = 2048;

/** The first 2 KiB of a body, as the HTTP client keeps it; the rest is not read. */
async function bodyStart(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < BODY_KEPT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, BODY_KEPT).toString('utf8');
}

/** A Response, from this realm or another (Jest runs tests in a vm context of their own). */
function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true;
  const candidate = value as Partial<Response> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.status === 'number' &&
    typeof candidate.headers?.forEach === 'function' &&
    'body' in candidate
  );
}

/** Calls a fetch handler with the request as a real `Request`, and reads its real `Response`. */
async function callFetchHandler(handler: (request: Request) => unknown, req: SentRequest, timeoutMs: number): Promise<ReceivedResponse> {
  // The client's body is a Latin-1 string of the bytes to send (see SentRequest).
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'latin1');
  // What a server runtime adds from the wire, as the HTTP client sends it: Host, and Content-Length for a body.
  const headers: [string, string][] = [['Host', new URL(req.url).host], ...req.headers.map(([n, v]): [string, string] => [n, v])];
  if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
  let request: Request;
  try {
    request = new Request(req.url, { method: req.method, headers, body });
  } catch (error) {
    throw new RequestFailedError(`the request cannot be made: ${error instanceof Error ? error.message : String(error)}`);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RequestFailedError(
            `the fetch handler did not answer ${req.method} ${req.url} within ${timeoutMs} ms (raise it with ${TIMEOUT_SETTING})`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    let result: unknown;
    try {
      result = await Promise.race([Promise.resolve().then(() => handler(request)), deadline]);
    } catch (error) {
      if (error instanceof RequestFailedError) throw error;
      throw appFailed(req, error);
    }
    if (!isResponse(result)) {
      throw new SimulateFetchError(
        `simulateFetch: the fetch handler answered ${req.method} ${req.url} with ${describe(result)}, not a Response`,
      );
    }
    if (result.type === 'error')
      throw new NetworkError(
        'malformed-response',
        req.url,
        `the fetch handler answered ${req.method} ${req.url} with Response.error(), a network error`,
      );
    const lines: [string, string][] = [...result.headers];
    return {
      status: result.status,
      statusText: result.statusText,
      ...joinHeaderLines(lines, false),
      lines,
      bodyStart: req.method === 'HEAD' ? '' : await Promise.race([bodyStart(result), deadline]),
    };
  } finally {
    clearTimeout(timer);
  }
}
