import { ServerResponse, type OutgoingMessage } from 'node:http';
import { mergeVary, type ActualAnswer, type CorsAnswer, type CorsPolicy, type HeaderWriter, type PreflightAnswer } from '../core/policy.js';
import type { CorsRequest } from '../core/request.js';

/**
 * Reads a header of a Node response as the text node:http sends: an array's values joined with
 * `, `, anything else as its text (`setHeader` also takes numbers and booleans, and sends
 * `true` for `true`).
 */
export function headerText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Writes the policy's headers on a `node:http` response (or anything built on one). */
export const nodeHeaderWriter: HeaderWriter<OutgoingMessage> = {
  set(res, name, value) {
    res.setHeader(name, value);
  },
  remove(res, name) {
    // The header is almost never there; asking is cheaper than removeHeader's validation and delete.
    if (res.hasHeader(name)) res.removeHeader(name);
  },
  get(res, name) {
    return headerText(res.getHeader(name));
  },
  appendVary(res, tokens) {
    const merged = mergeVary(headerText(res.getHeader('vary')), tokens);
    if (merged !== undefined) res.setHeader('vary', merged);
  },
};

/**
 * Whether a header given to `writeHead` is one the policy settles when the head is written:
 * `Vary` or a CORS header of actual responses (see CorsPolicy.settleActual).
 */
function isSettled(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  switch (name.length) {
    case 4:
      return name.toLowerCase() === 'vary';
    case 27:
      return name.toLowerCase() === 'access-control-allow-origin';
    case 29:
      return name.toLowerCase() === 'access-control-expose-headers';
    case 32:
      return name.toLowerCase() === 'access-control-allow-credentials';
    default:
      return false;
  }
}

/**
 * Takes the headers the policy settles (isSettled) out of the headers given to `writeHead` and
 * sets them on the response the way `writeHead` would have (an object's last key of a name
 * wins; an array's entries of a name all count, as in Node 22, so none is lost on Node 20
 * either), where the policy can see them. Returns the headers to hand on: the same value when
 * it has none of them, else a copy without them (the caller's object may be a constant reused
 * for every response, so it is never changed).
 */
function takeSettled(res: ServerResponse, headers: object): object {
  if (Array.isArray(headers)) {
    // writeHead throws on an odd-length list; leave that to it.
    if (headers.length % 2 !== 0 || !headers.some((entry, i) => i % 2 === 0 && isSettled(entry))) return headers;
    const rest: unknown[] = [];
    const seen: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      const name: unknown = headers[i];
      if (!isSettled(name)) {
        rest.push(name, headers[i + 1]);
        continue;
      }
      const lower = name.toLowerCase();
      if (seen.includes(lower)) {
        res.appendHeader(name, headers[i + 1] as string);
      } else {
        res.setHeader(name, headers[i + 1] as string);
        seen.push(lower);
      }
    }
    return rest;
  }
  const names = Object.keys(headers);
  if (!names.some(isSettled)) return headers;
  const rest: Record<string, unknown> = {};
  for (const name of names) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    if (isSettled(name)) res.setHeader(name, value as string);
    else rest[name] = value;
  }
  return rest;
}

/** What a corsguard middleware decided for a response, for the moment its head is written. */
interface HeadDecision {
  readonly policy: CorsPolicy;
  readonly request: CorsRequest;
  readonly answer: ActualAnswer;
}

/**
 * The decision of a plain `ServerResponse`, kept in three properties of its own (see
 * settleOnWriteHead). Symbols of this copy of the module: a second copy of corsguard in the
 * process reads only its own.
 */
const POLICY = Symbol('corsguard policy');
const REQUEST = Symbol('corsguard request');
const ANSWER = Symbol('corsguard answer');

/** A plain `ServerResponse` as settleOnWriteHead marks it. */
interface MarkedResponse extends ServerResponse {
  [POLICY]?: CorsPolicy;
  [REQUEST]?: CorsRequest;
  [ANSWER]?: ActualAnswer;
}

/**
 * Decisions for responses marked without a property of their own (see settleOnWriteHead), from
 * the middleware until their head is written.
 */
const decisions = new WeakMap<ServerResponse, HeadDecision>();

/**
 * The response whose head a corsguard `writeHead` is settling right now. Two corsguard middlewares
 * on one response (an app-wide policy and a stricter one on a router) each mark it; the mark of
 * the last one replaces the other, so the innermost policy's answer is what is sent, as it was
 * before the handler ran. A response whose `writeHead` is called again from within (a layer that
 * calls it through a wrapper of its own) is settled once.
 */
let settling: ServerResponse | undefined;

/**
 * Settles the response's CORS headers and `Vary` just before `writeHead` sends its head: the
 * policy's answer replaces whatever the handler or a later layer set (see
 * CorsPolicy.settleActual), and `Origin` is merged back into `Vary`.
 */
function beforeWriteHead(res: ServerResponse, args: unknown[], policy: CorsPolicy, request: CorsRequest, answer: ActualAnswer): void {
  if (res.headersSent) return;
  // writeHead(status, headers) or writeHead(status, statusMessage, headers): node reads the third
  // argument when there is one (a string second argument is never headers).
  const at = args[2] === undefined || args[2] === null ? 1 : 2;
  const headers = args[at];
  if (headers !== null && typeof headers === 'object') args[at] = takeSettled(res, headers);
  policy.settleActual(res, nodeHeaderWriter, request, answer);
  // The value the policy left when nobody touched Vary since: nothing to merge, and no need to
  // parse it. Any other value gets Origin merged in, which adds nothing when it is there already.
  if (res.getHeader('vary') !== 'Origin') nodeHeaderWriter.appendVary(res, 'Origin');
}

/**
 * Calls `writeHead`, settling first (see HeadDecision for the arguments) unless an outer corsguard
 * `writeHead` of this response already did.
 */
function writeHeadSettled(
  writeHead: ServerResponse['writeHead'],
  res: ServerResponse,
  args: unknown[],
  policy: CorsPolicy,
  request: CorsRequest,
  answer: ActualAnswer,
): ServerResponse {
  const outer = settling;
  if (outer === res) return Reflect.apply(writeHead, res, args) as ServerResponse;
  beforeWriteHead(res, args, policy, request, answer);
  settling = res;
  try {
    return Reflect.apply(writeHead, res, args) as ServerResponse;
  } finally {
    settling = outer;
  }
}

/** `writeHead` for the prototype: settles the responses settleOnWriteHead marked. */
function wrapPrototypeWriteHead(writeHead: ServerResponse['writeHead']): ServerResponse['writeHead'] {
  return function writeHeadWithCors(this: MarkedResponse, ...args: unknown[]): ServerResponse {
    const policy = this[POLICY];
    if (policy !== undefined) return writeHeadSettled(writeHead, this, args, policy, this[REQUEST]!, this[ANSWER]!);
    const decision = decisions.get(this);
    if (decision === undefined) return Reflect.apply(writeHead, this, args) as ServerResponse;
    const sent = writeHeadSettled(writeHead, this, args, decision.policy, decision.request, decision.answer);
    // Once the head is out the decision is not needed again. Left in the WeakMap until the response
    // is collected, the entries of every response served since the last GC made Express over HTTP
    // serve 85-91% of Express + cors' requests; dropped here, 99-101% (BENCHMARKS.md). Only after a
    // head node accepted: a writeHead it refuses (a status of 1000) may be followed by another.
    decisions.delete(this);
    return sent;
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
 * settleOnWriteHead get settled when their head is written. Called when a policy is built,
 * before any request, so a layer that later wraps a response's own `writeHead` (on-headers,
 * compression) still calls this one. Other responses pay a property read and one WeakMap
 * lookup and are otherwise untouched.
 */
export function wrapServerResponseWriteHead(): void {
  if (prototypeWrapped) return;
  ServerResponse.prototype.writeHead = wrapPrototypeWriteHead(ServerResponse.prototype.writeHead);
  prototypeWrapped = true;
}

/**
 * The prototype of a plain response, kept in a constant: read through the `ServerResponse` import
 * on every request it cost about 4% of an allowed actual request on node:http (paired runs).
 */
const PLAIN_RESPONSE: object = ServerResponse.prototype;

/** Whether the response inherits from `ServerResponse` (a boolean, so TypeScript keeps the type of the other branch). */
function isServerResponse(res: object): boolean {
  return res instanceof ServerResponse;
}

/**
 * Makes corsguard's answer the one this response is sent with, whatever the handler or a later
 * layer does (`res.setHeader('Access-Control-Allow-Origin', '*')`, the `cors` package, Nest's
 * `cors: true`, `res.setHeader('Vary', …)`, `res.writeHead(status, { … })`, Express's `res.set`,
 * Koa's `ctx.set`): when the head is written, the policy settles the CORS headers again for the
 * origin's verdict (`allowed`) and `Origin` is merged into `Vary`. Every way of sending the head
 * goes through `writeHead` (`write`, `end` and `flushHeaders` call it through
 * `_implicitHeader`). Call it after the policy wrote its headers.
 *
 * The response is marked for the wrapper of `ServerResponse.prototype.writeHead`
 * (wrapServerResponseWriteHead, called when the policy was built), so settling allocates
 * nothing per response. A plain `ServerResponse` (node:http, Koa) gets the policy, the request
 * and the (shared, preallocated) answer as properties of its own: V8 shares the hidden class of
 * every response so marked. On a response whose prototype was swapped (Express does that to
 * every response) V8 keeps its properties in a dictionary, and one more property grew it by
 * about 1.8 KB and 3 µs per request (BENCHMARKS.md); such a response is marked in a WeakMap
 * instead. Anything else standing in for a response gets a `writeHead` of its own.
 */
function settleOnWriteHead(res: ServerResponse, policy: CorsPolicy, request: CorsRequest, answer: ActualAnswer): void {
  const proto: unknown = Object.getPrototypeOf(res);
  if (proto === PLAIN_RESPONSE) {
    const marked = res as MarkedResponse;
    marked[POLICY] = policy;
    marked[REQUEST] = request;
    marked[ANSWER] = answer;
  } else if (isServerResponse(res)) {
    decisions.set(res, { policy, request, answer });
  } else {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithCors(this: ServerResponse, ...args: unknown[]): ServerResponse {
      return writeHeadSettled(writeHead, this, args, policy, request, answer);
    } as ServerResponse['writeHead'];
  }
}

/**
 * Writes the policy's answer on a `node:http` response: a preflight's headers (returned: the
 * caller sends it), or an actual response's headers, settled again when its head is written
 * (undefined: the handler runs next).
 */
export function writeOnNode(
  policy: CorsPolicy,
  request: CorsRequest,
  res: ServerResponse,
  answer: CorsAnswer,
): PreflightAnswer | undefined {
  if (answer.kind === 'preflight') {
    policy.writePreflight(res, nodeHeaderWriter, request, answer);
    return answer;
  }
  // With '*' no origin is denied, so nothing set later can reach one: such a policy settles what
  // earlier layers set now, and is not settled again when the head is written, which would cost
  // every response three properties or a WeakMap entry (the cheapest path, about 0.5 µs, read
  // 1.5-2.5× slower with it in bench/compare-builds.mjs runs).
  const variesByOrigin = policy.variesByOrigin;
  policy.writeActual(res, nodeHeaderWriter, request, answer, variesByOrigin);
  if (variesByOrigin) settleOnWriteHead(res, policy, request, answer);
  return undefined;
}
