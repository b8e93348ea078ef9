/**
 * corsguard for Web `fetch` handlers: Bun.serve, Deno.serve, Cloudflare Workers, Next.js
 * route handlers, and anything else shaped `(request: Request, ...rest) => Response`.
 */
import { CorsPolicy } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { webHeaderWriter, withWritableHeaders } from './headers-writer.js';
import { preflightResponse } from './preflight.js';

export type { CorsOptions } from '../core/options.js';
export { CorsConfigError } from '../core/errors.js';
export { corsRoutes, type CorsRoutes, type RouteHandlers, type RouteMethod } from './routes.js';

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
 * goes to `onError`. Preflights are answered here and never reach the handler.
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
    const headers = request.headers;
    // Headers.get joins repeated fields with ", ", which never parses as one origin.
    const origin = headers.get('origin') ?? undefined;
    let allowed = false;
    if (origin !== undefined) {
      const verdict = policy.allowsOrigin(origin);
      allowed = typeof verdict === 'boolean' ? verdict : await verdict;
    }
    const requestMethod = headers.get('access-control-request-method') ?? undefined;
    if (origin !== undefined && requestMethod !== undefined && request.method === 'OPTIONS') {
      const out = new Headers();
      const result = policy.applyPreflight(
        out,
        webHeaderWriter,
        origin,
        allowed,
        requestMethod,
        headers.get('access-control-request-headers') ?? undefined,
        request.url,
      );
      return preflightResponse(result, out);
    }

    const failed = (error: unknown): Response => {
      policy.reportError(error, request.method, request.url, origin);
      return new Response('Internal Server Error', {
        status: 500,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    };
    let response: Response;
    try {
      const returned: unknown = await handler(request, ...rest);
      if (!isResponse(returned)) throw new TypeError('the fetch handler did not return a Response');
      response = returned;
    } catch (error) {
      response = failed(error);
    }
    // A protocol switch (WebSocket upgrade) is not a CORS response.
    if (response.status === 101 || response.type === 'error') return response;
    try {
      policy.applyActual(response.headers, webHeaderWriter, origin, allowed, request.method, request.url);
    } catch {
      // Headers of Response.redirect() and fetch() results are immutable.
      try {
        response = withWritableHeaders(response);
      } catch (error) {
        response = failed(error);
      }
      policy.applyActual(response.headers, webHeaderWriter, origin, allowed, request.method, request.url);
    }
    return response;
  };
}
