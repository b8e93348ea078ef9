/**
 * corsguard for Hono 4: `app.use(cors(options))`, or on a sub-path with
 * `app.use('/api/*', cors(options))`. Runs wherever Hono runs (Node, Bun, Deno, Workers).
 *
 * Preflights are answered here and never reach later middleware or routes. For every other
 * request the CORS headers are written after the rest of the app has answered, on the final
 * Response: they land on `c.notFound()`, on what `app.onError` returns for a handler that
 * threw or rejected, and on a Response a handler built itself, whose own `Vary` (or
 * `c.header('Vary', ..., { append: true })`) is kept and merged with `Origin`.
 *
 * Later middleware and routes read the policy's answer as `c.get('cors')` (typed through
 * CorsVariables); the origin predicate's `request.context` is the context `c`, so a Worker's
 * bindings are `request.context.env`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CorsPolicy, type CorsAnswer } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { readRequest } from '../core/request.js';
import { webHeaderWriter, withWritableHeaders } from '../fetch/headers-writer.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

/** The context variables the middleware sets: `c.get('cors')` is the policy's answer. */
export type CorsVariables = { cors: CorsAnswer };

function isHonoContext(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'req' in value && 'env' in value;
}

/** Hono's request headers: `c.req.header(name)` reads the raw Request's headers. */
function honoHeader(c: Context, name: string): string | undefined {
  return c.req.header(name);
}

/** Creates the Hono middleware. Options are validated now: bad ones throw a `CorsConfigError`. */
export function cors(options: CorsOptions): MiddlewareHandler<{ Variables: CorsVariables }> {
  if (isHonoContext(options)) {
    // `app.use(cors)`: Hono called the factory with (c, next). Throwing sends the request to
    // app.onError at once (500, logged), instead of a request that never gets an answer.
    throw new TypeError('corsguard/hono: `cors` was passed to app.use() without being called. Write app.use(cors(options)).');
  }
  const policy = new CorsPolicy(options);
  return async function corsguard(c, next) {
    const request = readRequest(c.req.method, c.req.url, c as Context, honoHeader, c as Context);
    const decided = policy.decide(request);
    const answer = decided instanceof Promise ? await decided : decided;
    if (answer.kind === 'preflight') {
      // On the context's own headers, so that what earlier middleware set (X-Request-Id, its
      // Vary) stays on the preflight answer, as in every other adapter.
      policy.writePreflight(c.res.headers, webHeaderWriter, request, answer);
      if (answer.body === '') return c.body(null, answer.status as ContentfulStatusCode);
      c.header('Content-Type', 'text/plain; charset=utf-8');
      return c.body(answer.body, answer.status as ContentfulStatusCode);
    }
    c.set('cors', answer);
    await next();
    // A protocol switch (WebSocket upgrade) is not a CORS response.
    if (c.res.status === 101) return;
    try {
      policy.writeActual(c.res.headers, webHeaderWriter, request, answer);
    } catch {
      // The headers of a Response from fetch() or Response.redirect() are immutable.
      c.res = withWritableHeaders(c.res);
      policy.writeActual(c.res.headers, webHeaderWriter, request, answer);
    }
  };
}
