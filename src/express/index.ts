/**
 * corsguard for Express 4 and 5: `app.use(cors(options))`, `router.use(cors(options))`, or per route
 * with `app.route(path).all(cors(options))` (`.all` so that the route's preflight reaches it).
 *
 * The middleware writes the CORS headers before `next()`, so they stay on whatever the rest
 * of the app answers: Express's own 404, a 500 from a handler that throws or rejects (Express
 * passes it to your error middleware, then to its final handler, neither of which removes
 * them). `Origin` is merged into `Vary` when the head is written, so `res.set('Vary', ...)`
 * in a handler cannot drop it.
 * Preflights are answered here and never reach routes or later middleware such as auth.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOptions } from '../core/options.js';
import { corsMiddleware } from '../node/index.js';

export type { CorsOptions } from '../core/options.js';
export { CorsConfigError } from '../core/errors.js';

/**
 * An Express request handler. Typed on `node:http` so that `corsguard/express` needs no
 * `@types/express`; Express's `Request` and `Response` extend these types.
 */
export type CorsRequestHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

function isExpressRequest(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'headers' in value && 'method' in value && 'socket' in value;
}

/** Creates the Express middleware. Options are validated now: bad ones throw a `CorsConfigError`. */
export function cors(options: CorsOptions): CorsRequestHandler {
  if (isExpressRequest(options)) {
    // `app.use(cors)`: Express called the factory with (req, res, next). Throwing makes Express
    // answer 500 and log this at once, instead of leaving the request hanging.
    throw new TypeError('corsguard/express: `cors` was passed to app.use() without being called. Write app.use(cors(options)).');
  }
  return corsMiddleware(options);
}
