/**
 * What the node:http, connect and Express middleware share: reading the request, asking the
 * policy, sending a preflight's answer, and answering a handler's failure. Internal: the entry
 * points export only their factories.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsAnswer, CorsPolicy, PreflightAnswer } from '../core/policy.js';
import { readNodeRequest, type CorsRequest } from '../core/request.js';
import { wrapServerResponseWriteHead, writeOnNode } from './writer.js';

type Request = IncomingMessage;
type Response = ServerResponse;

/** Where an adapter leaves the answer for the handler (`res.locals.cors`, corsDecisionOf). */
export type KeepAnswer = (req: Request, res: Response, answer: CorsAnswer) => void;

/** Sends a preflight answer; the handler never sees a preflight. */
function sendPreflight(res: Response, answer: PreflightAnswer): void {
  res.statusCode = answer.status;
  if (answer.body === '') {
    if (answer.status !== 204) res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(answer.body));
  res.end(answer.body);
}

/** Response headers a handler's 500 keeps: the actual response's CORS headers and Vary. */
const KEPT_ON_ERROR: readonly string[] = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'vary',
];

/**
 * Answers a handler's failure with a 500 that keeps the CORS headers already written, so the
 * browser lets the page read the error. Once headers are sent, all that is left is to close.
 */
function sendHandlerError(policy: CorsPolicy, request: CorsRequest, res: Response, error: unknown): void {
  policy.reportError(error, request);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) {
    if (!KEPT_ON_ERROR.includes(name)) res.removeHeader(name);
  }
  const body = 'Internal Server Error';
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Runs a request listener; a throw or a rejection is answered with sendHandlerError. */
export function runHandler(
  policy: CorsPolicy,
  request: CorsRequest,
  handler: (req: Request, res: Response) => unknown,
  req: Request,
  res: Response,
): void {
  let returned: unknown;
  try {
    returned = handler(req, res);
  } catch (error) {
    sendHandlerError(policy, request, res, error);
    return;
  }
  if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
    (returned as PromiseLike<unknown>).then(undefined, (error: unknown) => sendHandlerError(policy, request, res, error));
  }
}

/** What runs when the request goes on: the handler, or connect's `next` (given as `next`). */
export type Proceed = (request: CorsRequest, req: Request, res: Response, next: NextFunction | undefined) => void;
export type NextFunction = (error?: unknown) => void;

/**
 * Reads the request, asks the policy, and writes its answer: sends a preflight, or keeps the
 * answer and calls `proceed`. An error thrown while answering after an asynchronous predicate
 * goes to `next` (none is expected).
 */
export function decideOnNode(
  policy: CorsPolicy,
  keep: KeepAnswer,
  proceed: Proceed,
  req: Request,
  res: Response,
  next: NextFunction | undefined,
): void {
  const request = readNodeRequest(req, req);
  const answer = policy.decide(request);
  if (!(answer instanceof Promise)) answered(policy, keep, proceed, request, req, res, next, answer);
  else answer.then((value) => answered(policy, keep, proceed, request, req, res, next, value), next);
}

function answered(
  policy: CorsPolicy,
  keep: KeepAnswer,
  proceed: Proceed,
  request: CorsRequest,
  req: Request,
  res: Response,
  next: NextFunction | undefined,
  answer: CorsAnswer,
): void {
  const preflight = writeOnNode(policy, request, res, answer);
  if (preflight !== undefined) {
    sendPreflight(res, preflight);
    return;
  }
  keep(req, res, answer);
  proceed(request, req, res, next);
}

const callNext: Proceed = (_request, _req, _res, next) => next!();

/** A connect-style middleware over a policy; `keep` says where the handler finds the answer. */
export function connectMiddleware(policy: CorsPolicy, keep: KeepAnswer): (req: Request, res: Response, next: NextFunction) => void {
  wrapServerResponseWriteHead();
  return function corsguardMiddleware(req: Request, res: Response, next: NextFunction): void {
    decideOnNode(policy, keep, callNext, req, res, next);
  };
}

/** Whether a value is a request (a factory passed to app.use() uncalled receives one). */
export function isNodeRequest(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'headers' in value && 'method' in value && 'socket' in value;
}
