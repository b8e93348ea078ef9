/**
 * corsguard for `node:http`: `withCors(handler, options)` wraps a request listener, and
 * `corsMiddleware(options)` is a connect-style `(req, res, next)` function. A handler reads the
 * policy's answer for its request with `corsDecisionOf(req)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CorsPolicy, type CorsAnswer } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import {
  connectMiddleware,
  decideOnNode,
  isNodeRequest,
  runHandler,
  type KeepAnswer,
  type NextFunction,
  type Proceed,
} from './middleware.js';
import { wrapServerResponseWriteHead } from './writer.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

type Request = IncomingMessage;
type Response = ServerResponse;
export type RequestListener<Req extends Request = Request, Res extends Response = Response> = (req: Req, res: Res) => unknown;
export type { NextFunction } from './middleware.js';
export type ConnectMiddleware = (req: Request, res: Response, next: NextFunction) => void;

/** Where the answer is kept on a plain node:http request (a symbol: no clash, no WeakMap entry). */
const kAnswer = Symbol('corsguard.answer');
type AnsweredRequest = Request & { [kAnswer]?: CorsAnswer };

const keepOnRequest: KeepAnswer = (req, _res, answer) => {
  (req as AnsweredRequest)[kAnswer] = answer;
};

/**
 * The policy's answer for a request that went through `withCors` or `corsMiddleware`
 * (`{ kind: 'actual', allowed, reason }`), or undefined for one that did not.
 */
export function corsDecisionOf(req: Request): CorsAnswer | undefined {
  return (req as AnsweredRequest)[kAnswer];
}

function misuse(factory: string, example: string): TypeError {
  return new TypeError(`corsguard: ${factory} was used as a request handler without being called first. Write ${example}.`);
}

/**
 * Wraps a request listener so that every response carries its CORS headers, including
 * 404s, 500s the handler returns, and a handler that throws or rejects (answered with a 500
 * that keeps them). Preflights are answered here and never reach the handler. The origin
 * predicate's `request.context` is `req`.
 */
export function withCors<Req extends Request = Request, Res extends Response = Response>(
  handler: RequestListener<Req, Res>,
  options: CorsOptions,
): (req: Req, res: Res) => void {
  if (typeof handler !== 'function') {
    if (isNodeRequest(handler)) throw misuse('withCors', 'http.createServer(withCors(handler, options))');
    throw new TypeError('corsguard: withCors(handler, options) needs a request listener function as its first argument.');
  }
  const policy = new CorsPolicy(options);
  wrapServerResponseWriteHead();
  const listener = handler as unknown as RequestListener;
  const run: Proceed = (request, req, res) => runHandler(policy, request, listener, req, res);
  return function corsguardListener(req: Req, res: Res): void {
    decideOnNode(policy, keepOnRequest, run, req, res, undefined);
  };
}

/**
 * A connect-style middleware for stacks built on `node:http` (connect, polka, Express 4 and
 * 5 also have `corsguard/express`). Headers are written before `next()`, so they stay on
 * whatever the rest of the stack answers, as long as it does not remove them.
 */
export function corsMiddleware(options: CorsOptions): ConnectMiddleware {
  if (isNodeRequest(options)) throw misuse('corsMiddleware', 'app.use(corsMiddleware(options))');
  return connectMiddleware(new CorsPolicy(options), keepOnRequest);
}
