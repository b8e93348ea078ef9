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
 * Handlers read the policy's answer as `res.locals.cors`; the origin predicate's
 * `request.context` is Express's `req`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CorsPolicy, type CorsAnswer } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { connectMiddleware, isNodeRequest, type KeepAnswer } from '../node/middleware.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

/**
 * An Express request handler. Typed on `node:http` so that `corsguard/express` needs no
 * `@types/express`; Express's `Request` and `Response` extend these types.
 */
export type CorsRequestHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * `res.locals.cors`: Express gives every response its `locals` object. Nothing else is added to
 * `req` or `res`, whose properties V8 keeps in a dictionary once Express swapped their prototypes.
 */
const keepInLocals: KeepAnswer = (_req, res, answer) => {
  const locals = (res as { locals?: unknown }).locals;
  if (locals !== null && typeof locals === 'object') (locals as { cors?: CorsAnswer }).cors = answer;
};

declare global {
  // Types `res.locals.cors` for apps that use @types/express (which declares this namespace).
  namespace Express {
    interface Locals {
      cors?: CorsAnswer;
    }
  }
}

/** Creates the Express middleware. Options are validated now: bad ones throw a `CorsConfigError`. */
export function cors(options: CorsOptions): CorsRequestHandler {
  if (isNodeRequest(options)) {
    // `app.use(cors)`: Express called the factory with (req, res, next). Throwing makes Express
    // answer 500 and log this at once, instead of leaving the request hanging.
    throw new TypeError('corsguard/express: `cors` was passed to app.use() without being called. Write app.use(cors(options)).');
  }
  return connectMiddleware(new CorsPolicy(options), keepInLocals);
}
