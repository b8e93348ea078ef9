/**
 * corsguard for `node:http`: `withCors(handler, options)` wraps a request listener, and
 * `corsMiddleware(options)` is a connect-style `(req, res, next)` function.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CorsPolicy, type PreflightResult } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { answerOnNode, wrapServerResponseWriteHead } from './writer.js';

export type { CorsOptions } from '../core/options.js';
export { CorsConfigError } from '../core/errors.js';

type Request = IncomingMessage;
type Response = ServerResponse;
export type RequestListener<Req extends Request = Request, Res extends Response = Response> = (req: Req, res: Res) => unknown;
export type NextFunction = (error?: unknown) => void;
export type ConnectMiddleware = (req: Request, res: Response, next: NextFunction) => void;

/** Sends a preflight answer; the handler never sees a preflight. */
export function sendPreflight(res: Response, result: PreflightResult): void {
  res.statusCode = result.status;
  if (result.body === '') {
    if (result.status !== 204) res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(result.body));
  res.end(result.body);
}

const KEPT_ON_ERROR = new Set(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary']);

/**
 * Answers a handler's failure with a 500 that keeps the CORS headers already written, so the
 * browser lets the page read the error. Once headers are sent, all that is left is to close.
 */
export function sendHandlerError(policy: CorsPolicy, req: Request, res: Response, error: unknown): void {
  policy.reportError(error, req.method, req.url, req.headers.origin);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) {
    if (!KEPT_ON_ERROR.has(name)) res.removeHeader(name);
  }
  const body = 'Internal Server Error';
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function runHandler(policy: CorsPolicy, handler: RequestListener, req: Request, res: Response): void {
  let returned: unknown;
  try {
    returned = handler(req, res);
  } catch (error) {
    sendHandlerError(policy, req, res, error);
    return;
  }
  if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
    (returned as PromiseLike<unknown>).then(undefined, (error: unknown) => sendHandlerError(policy, req, res, error));
  }
}

/** Answers for the origin's verdict: sends a preflight (true), or lets the handler run (false). */
function answered(policy: CorsPolicy, req: Request, res: Response, origin: string | undefined, allowed: boolean): boolean {
  const result = answerOnNode(policy, req, res, origin, allowed);
  if (result === undefined) return false;
  sendPreflight(res, result);
  return true;
}

function looksLikeRequest(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'headers' in value && 'method' in value && 'socket' in value;
}

function misuse(factory: string, example: string): TypeError {
  return new TypeError(`corsguard: ${factory} was used as a request handler without being called first. Write ${example}.`);
}

/**
 * Wraps a request listener so that every response carries its CORS headers, including
 * 404s, 500s the handler returns, and a handler that throws or rejects (answered with a 500
 * that keeps them). Preflights are answered here and never reach the handler.
 */
export function withCors<Req extends Request = Request, Res extends Response = Response>(
  handler: RequestListener<Req, Res>,
  options: CorsOptions,
): (req: Req, res: Res) => void {
  if (typeof handler !== 'function') {
    if (looksLikeRequest(handler)) throw misuse('withCors', 'http.createServer(withCors(handler, options))');
    throw new TypeError('corsguard: withCors(handler, options) needs a request listener function as its first argument.');
  }
  const policy = new CorsPolicy(options);
  wrapServerResponseWriteHead();
  const listener = handler as unknown as RequestListener;
  return function corsguardListener(req: Req, res: Res): void {
    const origin = req.headers.origin;
    const verdict = origin === undefined ? false : policy.allowsOrigin(origin);
    if (typeof verdict === 'boolean') {
      if (!answered(policy, req, res, origin, verdict)) runHandler(policy, listener, req, res);
    } else {
      verdict.then((allowed) => {
        if (!answered(policy, req, res, origin, allowed)) runHandler(policy, listener, req, res);
      });
    }
  };
}

/**
 * A connect-style middleware for stacks built on `node:http` (connect, polka, Express 4 and
 * 5 also have `corsguard/express`). Headers are written before `next()`, so they stay on
 * whatever the rest of the stack answers, as long as it does not remove them.
 */
export function corsMiddleware(options: CorsOptions): ConnectMiddleware {
  if (looksLikeRequest(options)) throw misuse('corsMiddleware', 'app.use(corsMiddleware(options))');
  const policy = new CorsPolicy(options);
  wrapServerResponseWriteHead();
  return function corsguardMiddleware(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    const verdict = origin === undefined ? false : policy.allowsOrigin(origin);
    if (typeof verdict === 'boolean') {
      if (!answered(policy, req, res, origin, verdict)) next();
    } else {
      verdict.then((allowed) => {
        if (!answered(policy, req, res, origin, allowed)) next();
      }, next);
    }
  };
}
