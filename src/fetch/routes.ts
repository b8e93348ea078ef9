import type { CorsOptions } from '../core/options.js';
import { withCors, type FetchHandler } from './index.js';

/** The methods a Next.js route module (`app/.../route.ts`) may export a handler for. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A route module's handler: the request, then whatever the framework passes (Next: `{ params }`). */
type RouteHandler = (request: Request, ...rest: never[]) => Response | Promise<Response>;

export type RouteHandlers = { readonly [M in RouteMethod]?: RouteHandler };

/** Each handler with its own parameters (Next type-checks them), answering asynchronously; and OPTIONS. */
export type CorsRoutes<H extends RouteHandlers> = {
  readonly [M in keyof H | 'OPTIONS']: M extends keyof H
    ? H[M] extends (...args: infer A) => unknown
      ? (...args: A) => Promise<Response>
      : never
    : (request: Request, ...rest: unknown[]) => Promise<Response>;
};

/**
 * The method exports of a route module, each answering with CORS headers, plus `OPTIONS` so
 * that preflights reach corsguard: a framework that answers `OPTIONS` itself when the module
 * does not export it (Next.js does, with a 204 without CORS headers) blocks every preflighted
 * request. `export const { GET, POST, OPTIONS } = corsRoutes({ GET, POST }, options)`.
 *
 * One policy serves every export (options are validated once). A non-preflight `OPTIONS`
 * request gets what the module's own `OPTIONS` handler answers, or a 204 with `Allow`.
 */
export function corsRoutes<H extends RouteHandlers>(handlers: H, options: CorsOptions): CorsRoutes<H> {
  if (handlers === null || typeof handlers !== 'object') {
    throw new TypeError('corsguard: corsRoutes(handlers, options) needs an object of method handlers, e.g. { GET, POST }.');
  }
  // One wrapped handler, told per call which method handler to run (the rest of the
  // arguments, such as Next's `{ params }`, are passed through).
  const dispatch = withCors((request: Request, run: FetchHandler, ...rest: unknown[]) => run(request, ...rest), options);
  const routes: Record<string, (request: Request, ...rest: unknown[]) => Promise<Response>> = {};
  const methods: string[] = [];
  for (const [method, handler] of Object.entries(handlers) as Array<[string, unknown]>) {
    if (typeof handler !== 'function') {
      throw new TypeError(`corsguard: corsRoutes handler for ${method} is not a function.`);
    }
    methods.push(method);
    routes[method] = (request, ...rest) => dispatch(request, handler as FetchHandler, ...rest);
  }
  if (routes.OPTIONS === undefined) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    const answerOptions: FetchHandler = () => new Response(null, { status: 204, headers: { Allow: allow } });
    routes.OPTIONS = (request, ...rest) => dispatch(request, answerOptions, ...rest);
  }
  return routes as CorsRoutes<H>;
}
