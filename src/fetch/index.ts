/**
 * corsguard for Web `fetch` handlers: Bun.serve, Deno.serve, Cloudflare Workers, Next.js
 * route handlers, and anything else shaped `(request: Request, ...rest) => Response`.
 */
import { CorsPolicy, type CorsAnswer } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { readFetchRequest, type CorsRequest } from '../core/request.js';
import { webHeaderWriter, withWritableHeaders } from './headers-writer.js';
import { preflightResponse } from './preflight.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';
export { corsRoutes, type CorsRoutes, type RouteHandlers, type RouteMethod } from './routes.js';

/** Answers by request, for corsDecisionOf (a Request has no place of its own for them). */
const answers = new WeakMap<Request, CorsAnswer>();

/** The policy's answer for a request a `withCors` handler received, or undefined for any other request. */
export function corsDecisionOf(request: Request): CorsAnswer | undefined {
  return answers.get(request);
}

export type FetchHandler<Rest extends unknown[] = unknown[]> = (request: Request, ...rest: Rest) => Response | Promise<Response>;

function isResponse(value: unknown): value is Response {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers?.set === 'function'
  );
}

/**
 * Wraps a fetch handler so that every response carries its CORS headers, including errors:
 * a handler that throws or rejects is answered with a 500 that keeps them, and the error
 * goes to `onError`. Preflights are answered here and never reach the handler. The handler
 * reads the policy's answer with `corsDecisionOf(request)`; the origin predicate's
 * `request.context` is the `Request`.
 */
export function withCors<Rest extends unknown[]>(
  handler: FetchHandler<Rest>,
  options: CorsOptions,
): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') {
    throw new TypeError('corsguard: withCors(handler, options) needs a fetch handler function as its first argument.');
  }
  const policy = new CorsPolicy(options);
  return async function corsguardFetch(request: Request, ...rest: Rest): Promise<Response> {
    const cors = readFetchRequest(request, request);
    const decided = policy.decide(cors);
    const answer = decided instanceof Promise ? await decided : decided;
    if (answer.kind === 'preflight') {
      const out = new Headers();
      policy.writePreflight(out, webHeaderWriter, cors, answer);
      return preflightResponse(answer, out);
    }
    answers.set(request, answer);
    let response: Response;
    try {
      const returned: unknown = await handler(request, ...rest);
      if (!isResponse(returned)) throw new TypeError('the fetch handler did not return a Response');
      response = returned;
    } catch (error) {
      response = failed(policy, cors, error);
    }
    // A protocol switch (WebSocket upgrade) is not a CORS response.
    if (response.status === 101 || response.type === 'error') return response;
    try {
      policy.writeActual(response.headers, webHeaderWriter, cors, answer);
    } catch {
      // Headers of Response.redirect() and fetch() results are immutable.
      try {
        response = withWritableHeaders(response);
      } catch (error) {
        response = failed(policy, cors, error);
      }
      policy.writeActual(response.headers, webHeaderWriter, cors, answer);
    }
    return response;
  };
}

/** The 500 a handler's failure gets (its CORS headers are written next); the error goes to onError. */
function failed(policy: CorsPolicy, request: CorsRequest, error: unknown): Response {
  policy.reportError(error, request);
  return new Response('Internal Server Error', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
