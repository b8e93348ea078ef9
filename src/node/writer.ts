import { ServerResponse, type OutgoingMessage } from 'node:http';
import { mergeVary, type HeaderWriter } from '../core/policy.js';

/** Reads a header of a Node response as one string, joining repeated values. */
export function headerText(value: number | string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/** Writes the engine's headers on a `node:http` response (or anything built on one). */
export const nodeHeaderWriter: HeaderWriter<OutgoingMessage> = {
  set(res, name, value) {
    res.setHeader(name, value);
  },
  remove(res, name) {
    // The header is almost never there; asking is cheaper than removeHeader's validation and delete.
    if (res.hasHeader(name)) res.removeHeader(name);
  },
  appendVary(res, tokens) {
    const merged = mergeVary(headerText(res.getHeader('vary')), tokens);
    if (merged !== undefined) res.setHeader('vary', merged);
  },
};

function isVary(name: unknown): name is string {
  return typeof name === 'string' && name.length === 4 && name.toLowerCase() === 'vary';
}

/**
 * Takes the `Vary` entries out of the headers given to `writeHead` and sets them on the
 * response the way `writeHead` would have (an object's last `Vary` key wins; an array's
 * `Vary` entries all count, as in Node 22, so none is lost on Node 20 either). Returns the
 * headers to hand on: the same value when it has no `Vary`, else a copy without it (the
 * caller's object may be a constant reused for every response, so it is never changed).
 */
function takeVary(res: ServerResponse, headers: object): object {
  if (Array.isArray(headers)) {
    // writeHead throws on an odd-length list; leave that to it.
    if (headers.length % 2 !== 0 || !headers.some((entry, i) => i % 2 === 0 && isVary(entry))) return headers;
    const rest: unknown[] = [];
    let first = true;
    for (let i = 0; i < headers.length; i += 2) {
      const name: unknown = headers[i];
      if (!isVary(name)) {
        rest.push(name, headers[i + 1]);
      } else if (first) {
        res.setHeader(name, headers[i + 1] as string);
        first = false;
      } else {
        res.appendHeader(name, headers[i + 1] as string);
      }
    }
    return rest;
  }
  const names = Object.keys(headers);
  if (!names.some(isVary)) return headers;
  const rest: Record<string, unknown> = {};
  for (const name of names) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    if (isVary(name)) res.setHeader(name, value as string);
    else rest[name] = value;
  }
  return rest;
}

/**
 * What the engine left in `Vary`, for responses marked without a property of their own (see
 * mergeVaryOriginOnWriteHead).
 */
const varyWritten = new WeakMap<ServerResponse, unknown>();
/** Stands for "no `Vary`" in varyWritten, whose lookups answer undefined for unknown responses. */
const NO_VARY = Symbol('no Vary');

/**
 * Merges `Origin` back into `Vary` just before `writeHead` sends a response's head, given
 * what the engine left in `Vary` (`written`).
 */
function beforeWriteHead(res: ServerResponse, args: unknown[], written: unknown): void {
  if (res.headersSent) return;
  // writeHead(status, headers) or writeHead(status, statusMessage, headers)
  const at = typeof args[1] === 'string' || (args[2] !== undefined && args[2] !== null) ? 2 : 1;
  const headers = args[at];
  if (headers !== null && typeof headers === 'object') args[at] = takeVary(res, headers);
  // Still the engine's very value: it names Origin already.
  if ((res.getHeader('vary') ?? NO_VARY) !== written) nodeHeaderWriter.appendVary(res, 'Origin');
}

/** `writeHead` for the prototype: merges on the responses marked in varyWritten. */
function wrapPrototypeWriteHead(writeHead: ServerResponse['writeHead']): ServerResponse['writeHead'] {
  return function writeHeadWithVaryOrigin(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const written = varyWritten.get(this);
    if (written !== undefined) beforeWriteHead(this, args, written);
    return Reflect.apply(writeHead, this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
}

/**
 * Whether this copy of the module wrapped `ServerResponse.prototype.writeHead`. Per copy, not
 * per process: a second copy of corsguard in the process chains its own wrapper, which reads
 * its own marks.
 */
let prototypeWrapped = false;

/**
 * Wraps `ServerResponse.prototype.writeHead` once, so that responses marked by
 * mergeVaryOriginOnWriteHead get `Origin` merged into `Vary` when their head is written. Called
 * when a policy is built, before any request, so a layer that later wraps a response's own
 * `writeHead` (on-headers, compression) still calls this one. Other responses pay one WeakMap
 * lookup and are otherwise untouched.
 */
export function wrapServerResponseWriteHead(): void {
  if (prototypeWrapped) return;
  ServerResponse.prototype.writeHead = wrapPrototypeWriteHead(ServerResponse.prototype.writeHead);
  prototypeWrapped = true;
}

/**
 * Keeps `Vary: Origin` on this response whatever the handler later does to `Vary`
 * (`res.setHeader('Vary', …)`, `res.writeHead(status, { Vary: … })`, Express's `res.set`,
 * Koa's `ctx.set`): `Origin` is merged in when the head is written. Every way of sending the
 * head goes through `writeHead` (`write`, `end` and `flushHeaders` call it through
 * `_implicitHeader`). Call it after the engine wrote `Vary`.
 *
 * A plain `ServerResponse` (node:http, Koa) gets a `writeHead` of its own, which calls the one it
 * had: V8 shares the hidden class of every response that gets it, so it costs a closure. On a
 * response whose prototype was swapped (Express does that to every response) V8 keeps its
 * properties in a dictionary, and one more property grew it by about 1.8 KB and 3 µs per
 * request (BENCHMARKS.md); such a response is marked in a WeakMap instead, which the wrapper
 * of `ServerResponse.prototype.writeHead` (wrapServerResponseWriteHead, called when the policy
 * was built) reads.
 */
export function mergeVaryOriginOnWriteHead(res: ServerResponse): void {
  const written = res.getHeader('vary') ?? NO_VARY;
  const proto: unknown = Object.getPrototypeOf(res);
  if (proto === ServerResponse.prototype || !(res instanceof ServerResponse)) {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithVaryOrigin(this: ServerResponse, ...args: unknown[]): ServerResponse {
      beforeWriteHead(this, args, written);
      return Reflect.apply(writeHead, this, args) as ServerResponse;
    } as ServerResponse['writeHead'];
  } else {
    varyWritten.set(res, written);
  }
}
