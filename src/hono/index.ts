/**
 * corsguard for Hono 4: `app.use(cors(options))`, or on a sub-path with
 * `app.use('/api/*', cors(options))`. Runs wherever Hono runs (Node, Bun, Deno, Workers).
 *
 * Preflights are answered here and never reach later middleware or routes. For every other
 * request the CORS headers are written after the rest of the app has answered, on the final
 * Response: they land on `c.notFound()`, on what `app.onError` returns for a handler that
 * threw or rejected, and on a Response a handler built itself, whose own `Vary` (or
 * `c.header('Vary', ..., { append: true })`) is kept and merged with `Origin`.
 */
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CorsPolicy } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { webHeaderWriter, withWritableHeaders } from '../fetch/headers-writer.js';

export type { CorsOptions } from '../core/options.js';
export { CorsConfigError } from '../core/errors.js';

function isHonoContext(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'req' in value && 'env' in value;
}

/** Creates the Hono middleware. Options are validated now: bad ones throw a `CorsConfigError`. */
export function cors(options: CorsOptions): MiddlewareHandler {
  if (isHonoContext(options)) {
    // `app.use(cors)`: Hono called the factory with (c, next). Throwing sends the request to
    // app.onError at once (500, logged), instead of a request that never gets an answer.
    throw new TypeError('corsguard/hono: `cors` was passed to app.use() without being called. Write app.use(cors(options)).');
  }
  const policy = new CorsPolicy(options);
  return async function corsguard(c, next) {
    const origin = c.req.header('origin');
    let allowed = false;
    if (origin !== undefined) {
      const verdict = policy.allowsOrigin(origin);
      allowed = typeof verdict === 'boolean' ? verdict : await verdict;
    }
    const requestMethod = c.req.header('access-control-request-method');
    if (origin !== undefined && requestMethod !== undefined && c.req.method === 'OPTIONS') {
      // On the context's own headers, so that what earlier middleware set (X-Request-Id, its
      // Vary) stays on the preflight answer, as in every other adapter.
      const result = policy.applyPreflight(
        c.res.headers,
        webHeaderWriter,
        origin,
        allowed,
        requestMethod,
        c.req.header('access-control-request-headers'),
        c.req.url,
      );
      if (result.body === '') return c.body(null, result.status as ContentfulStatusCode);
      c.header('Content-Type', 'text/plain; charset=utf-8');
      return c.body(result.body, result.status as ContentfulStatusCode);
    }

    await next();
    // A protocol switch (WebSocket upgrade) is not a CORS response.
    if (c.res.status === 101) return;
    try {
      policy.applyActual(c.res.headers, webHeaderWriter, origin, allowed, c.req.method, c.req.url);
    } catch {
      // The headers of a Response from fetch() or Response.redirect() are immutable.
      c.res = withWritableHeaders(c.res);
      policy.applyActual(c.res.headers, webHeaderWriter, origin, allowed, c.req.method, c.req.url);
    }
  };
}
