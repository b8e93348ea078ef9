/**
 * corsguard for Koa 2 and 3: `app.use(cors(options))`. For one part of an app, call the middleware
 * only for its paths (see docs/frameworks.md): it must also see that part's OPTIONS requests.
 * Later middleware reads the policy's answer as `ctx.state.cors`; the origin predicate's
 * `request.context` is Koa's `ctx`.
 *
 * Koa's default error handling removes every response header when a later middleware
 * throws (including `ctx.throw(401)` from an auth layer). The CORS headers are therefore
 * also put on the error's `headers`, which Koa sets back on the error response, so the
 * browser lets the page read the 401 or 500. The error itself goes on to Koa as usual
 * (`app.on('error')` and any error-handling middleware above this one still see it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { format } from 'node:util';
import { CorsPolicy, type CorsAnswer, type PreflightAnswer } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { readNodeRequest } from '../core/request.js';
import { HEADER } from '../protocol/fetch-standard.js';
import { headerText, wrapServerResponseWriteHead, writeOnNode } from '../node/writer.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

/**
 * The parts of a Koa context this middleware uses, so that `corsguard/koa` needs no
 * `@types/koa`; Koa's own context type has all of them.
 */
export interface KoaContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Koa's per-request namespace: the middleware leaves the policy's answer in `ctx.state.cors`. */
  readonly state: Record<string, unknown>;
  status: number;
  body: unknown;
  type: string;
}

export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * Response headers the policy writes on actual responses, which must survive an error. `Vary`
 * needs no copy: it is merged when the error response's head is written (settleOnWriteHead).
 */
const KEPT_ON_ERROR = [HEADER.allowOrigin, HEADER.allowCredentials, HEADER.exposeHeaders];

function isKoaContext(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'req' in value && 'res' in value && 'app' in value;
}

function answerPreflight(ctx: KoaContext, result: PreflightAnswer): void {
  if (result.body === '') {
    // An explicit null body makes Koa send no body and Content-Length: 0 whatever the status.
    ctx.body = null;
    ctx.status = result.status;
    return;
  }
  ctx.status = result.status;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = result.body;
}

type ErrorWithHeaders = Error & { headers?: Record<string, unknown> };

/** The error Koa will handle, carrying the CORS headers now on the response. */
function withCorsHeaders(thrown: unknown, res: ServerResponse): unknown {
  // Koa turns anything that is not an Error into this Error, which would lose the headers.
  const isNativeError = Object.prototype.toString.call(thrown) === '[object Error]' || thrown instanceof Error;
  const error = (isNativeError ? thrown : new Error(format('non-error thrown: %j', thrown))) as ErrorWithHeaders;
  const headers: Record<string, unknown> = { ...(error.headers ?? {}) };
  for (const name of KEPT_ON_ERROR) {
    const value = headerText(res.getHeader(name));
    const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    // Undefined: the policy removed it (a denied origin), and the error must not bring it back.
    if (value !== undefined) headers[name] = value;
  }
  try {
    error.headers = headers;
  } catch {
    // A frozen error goes on as thrown, for the error middleware above to answer (Koa's own
    // handler cannot: it assigns err.status). The CORS headers are still on the response.
  }
  return error;
}

/** Creates the Koa middleware. Options are validated now: bad ones throw a `CorsConfigError`. */
export function cors(options: CorsOptions): KoaMiddleware {
  if (isKoaContext(options)) {
    // `app.use(cors)`: Koa called the factory with (ctx, next). Throwing makes Koa answer 500
    // and report this at once, instead of a request that never gets an answer.
    throw new TypeError('corsguard/koa: `cors` was passed to app.use() without being called. Write app.use(cors(options)).');
  }
  const policy = new CorsPolicy(options);
  wrapServerResponseWriteHead();
  return async function corsguard(ctx, next) {
    const request = readNodeRequest(ctx.req, ctx);
    const decided = policy.decide(request);
    const answer: CorsAnswer = decided instanceof Promise ? await decided : decided;
    const preflight = writeOnNode(policy, request, ctx.res, answer);
    if (preflight !== undefined) {
      answerPreflight(ctx, preflight);
      return;
    }
    ctx.state.cors = answer;
    try {
      await next();
    } catch (error) {
      throw withCorsHeaders(error, ctx.res);
    }
  };
}
