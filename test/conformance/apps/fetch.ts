/**
 * The conformance app as a Web fetch handler. It takes `withCors` as a parameter so that the
 * same app runs on Node (from src) and on Bun, Deno and workerd (from dist).
 */
import type { CorsOptions } from '../../../src/core/options.js';
import { BODY, OTHER_LAYER_CORS, configFor, isAuthorized, type ConfigName, type ErrorLog } from '../app-contract.js';
import type { WebHandler } from '../mount.js';

export type FetchWithCors = (handler: WebHandler, options: CorsOptions) => WebHandler;

function text(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

function router(request: Request): Response | Promise<Response> {
  const { pathname } = new URL(request.url);
  const method = request.method;
  switch (pathname) {
    case '/resource':
      if (method === 'GET') return text(BODY.resource, 200, { 'X-Total-Count': '42' });
      if (method === 'HEAD') return new Response(null, { headers: { 'X-Total-Count': '42' } });
      if (method === 'PUT') return text(BODY.updated);
      if (method === 'OPTIONS') return text(BODY.options);
      return text('Method Not Allowed', 405, { Allow: 'GET, HEAD, PUT, OPTIONS' });
    case '/vary':
      return text(BODY.vary, 200, { Vary: 'Accept-Encoding' });
    case '/own-vary':
      return text(BODY.vary, 200, { Vary: 'Accept-Encoding' });
    case '/throw':
      throw new Error('handler failed synchronously');
    case '/reject':
      return Promise.reject(new Error('handler rejected'));
    case '/cors-elsewhere':
    case '/cors-in-handler':
      return text(BODY.elsewhere, 200, { ...OTHER_LAYER_CORS });
    case '/500':
      return text(BODY.failed, 500);
    case '/private/data':
      return text(BODY.secret);
    default:
      return text('Not Found', 404);
  }
}

/** An auth layer wrapped inside CORS: `withCors(requireAuth(router))`. */
function requireAuth(next: WebHandler): WebHandler {
  return (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/private/') && !isAuthorized(request.headers.get('authorization'))) {
      return text('Unauthorized', 401);
    }
    return next(request);
  };
}

export function fetchConformanceApp(withCors: FetchWithCors): (config: ConfigName, log: ErrorLog) => WebHandler {
  return (config, log) => withCors(requireAuth(router), configFor(config, log));
}
