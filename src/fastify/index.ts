/**
 * corsguard for Fastify 4 and 5: `await app.register(cors, options)`.
 *
 * The plugin skips Fastify's encapsulation (`Symbol.for('skip-override')`, what
 * `fastify-plugin` sets), so it applies to the instance it is registered on and everything
 * below it, including requests that match no route: a preflight to a path without an OPTIONS
 * route is answered by the `onRequest` hook, before any auth hook or route runs.
 *
 * A policy per scope: registered inside an encapsulated plugin, it gives that plugin's routes,
 * and preflights to any path under its prefix, their own policy, whatever the parent's. A path
 * under the prefix that matches no route is answered by Fastify's root 404 handler, with the
 * root's policy (none if corsguard is not registered at the root). A second registration in
 * the same scope, or a `prefix` given to corsguard itself, is refused with an error: neither
 * could do what it says.
 *
 * Actual responses get their CORS headers in `onSend`, after the handler, so they land on
 * 404s and on what the error handler sends, and a `Vary` the handler set with
 * `reply.header('Vary', ...)` is merged with `Origin` instead of being lost.
 *
 * Routes and later hooks read the policy's answer as `request.cors`; the origin predicate's
 * `request.context` is Fastify's `request`.
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { CorsPolicy, mergeVary, type ActualAnswer, type CorsAnswer, type HeaderWriter } from '../core/policy.js';
import type { CorsOptions } from '../core/options.js';
import { readNodeRequest, type CorsRequest } from '../core/request.js';
import { headerText } from '../node/writer.js';

export type { CorsOptions } from '../core/options.js';
export type { CorsAnswer } from '../core/policy.js';
export { CorsConfigError } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** corsguard's answer for this request (null before its onRequest hook ran, or without corsguard). */
    cors: CorsAnswer | null;
  }
}

/** The policy of an instance; encapsulated children inherit it and may shadow it. */
const kPolicy = Symbol('corsguard.policy');
type WithPolicy = FastifyInstance & { [kPolicy]?: CorsPolicy };

/** What `onRequest` read and decided, for `onSend` to write. Absent for preflights (already answered). */
interface ActualDecision {
  readonly policy: CorsPolicy;
  readonly request: CorsRequest;
  readonly answer: ActualAnswer;
}
/** Where `onRequest` leaves its decision on the request (a symbol: no clash, no WeakMap lookup). */
const kDecision = Symbol('corsguard.decision');
type DecidedRequest = FastifyRequest & { [kDecision]?: ActualDecision };

const replyWriter: HeaderWriter<FastifyReply> = {
  set(reply, name, value) {
    reply.header(name, value);
  },
  remove(reply, name) {
    // Most responses have no CORS header to take off; removing an absent one is not free.
    if (reply.hasHeader(name)) reply.removeHeader(name);
  },
  get(reply, name) {
    return headerText(reply.getHeader(name));
  },
  appendVary(reply, tokens) {
    const merged = mergeVary(headerText(reply.getHeader('vary')), tokens);
    if (merged !== undefined) reply.header('Vary', merged);
  },
};

/** Options of `app.register` itself, which Fastify passes on to the plugin. */
const REGISTER_OPTIONS = new Set(['logLevel', 'logSerializers']);

const PER_PREFIX_FIX =
  'For a policy per prefix, register corsguard inside the plugin that has the prefix: ' +
  "app.register(async (api) => { await api.register(cors, options); api.get('/items', ...) }, { prefix: '/api' }).";

function corsOptionsOf(options: Record<string, unknown>): CorsOptions {
  const cors: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!REGISTER_OPTIONS.has(key)) cors[key] = value;
  return cors as unknown as CorsOptions; // validated by CorsPolicy, like a JavaScript caller's options
}

function isFastifyInstance(value: unknown): value is FastifyInstance {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as FastifyInstance).addHook === 'function' &&
    typeof (value as FastifyInstance).register === 'function'
  );
}

function onRequest(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
  const policy = (request.server as WithPolicy)[kPolicy]!;
  const cors = readNodeRequest(request.raw, request);
  const answer = policy.decide(cors);
  // Only an asynchronous origin predicate pays for a closure; the policy's promise never
  // rejects, but a throw while answering must still end the request.
  if (!(answer instanceof Promise)) answered(request, reply, done, policy, cors, answer);
  else answer.then((value) => answered(request, reply, done, policy, cors, value)).catch((error: unknown) => done(error as Error));
}

/** Answers a preflight, or records the decision for `onSend` and lets the request go on. */
function answered(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (error?: Error) => void,
  policy: CorsPolicy,
  cors: CorsRequest,
  answer: CorsAnswer,
): void {
  request.cors = answer;
  if (answer.kind === 'preflight') {
    policy.writePreflight(reply, replyWriter, cors, answer);
    reply.code(answer.status);
    if (answer.body === '') reply.send();
    else reply.type('text/plain; charset=utf-8').send(answer.body);
    // Not calling done(): the reply is sent, later hooks and the route never run.
    return;
  }
  (request as DecidedRequest)[kDecision] = { policy, request: cors, answer };
  done();
}

function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  const decision = (request as DecidedRequest)[kDecision];
  // A protocol switch (WebSocket upgrade) is not a CORS response.
  if (decision !== undefined && reply.statusCode !== 101) {
    decision.policy.writeActual(reply, replyWriter, decision.request, decision.answer);
  }
  done(null, payload);
}

/** The corsguard plugin: `await app.register(cors, options)`. */
export const cors: FastifyPluginCallback<CorsOptions> = function corsguard(fastify, options, done) {
  if (!isFastifyInstance(fastify)) {
    throw new TypeError('corsguard/fastify: `cors` is a Fastify plugin; do not call it. Write app.register(cors, options).');
  }
  const instance = fastify as WithPolicy;
  const { prefix, ...rest } = options as unknown as Record<string, unknown>;
  // corsguard is not encapsulated (it must see the scope's 404s), so Fastify would ignore a
  // prefix given to it, and a second registration would replace the first policy: refuse both.
  if (prefix !== undefined) {
    done(
      new TypeError(
        `corsguard/fastify: app.register(cors, { prefix: ${JSON.stringify(prefix)} }) would apply to every path, not only the prefix. ${PER_PREFIX_FIX}`,
      ),
    );
    return;
  }
  if (Object.hasOwn(instance, kPolicy)) {
    const where = instance.prefix === '' ? '' : ` (prefix '${instance.prefix}')`;
    done(
      new TypeError(
        `corsguard/fastify: corsguard is already registered in this scope${where}; a second registration would replace its policy. ${PER_PREFIX_FIX}`,
      ),
    );
    return;
  }
  let policy: CorsPolicy;
  try {
    policy = new CorsPolicy(corsOptionsOf(rest));
  } catch (error) {
    done(error as Error);
    return;
  }
  const inherited = instance[kPolicy] !== undefined;
  instance[kPolicy] = policy;
  if (!inherited) {
    if (!instance.hasRequestDecorator('cors')) instance.decorateRequest('cors', null);
    instance.addHook('onRequest', onRequest);
    instance.addHook('onSend', onSend);
  }
  if (instance.prefix !== '') {
    // Fastify answers an unmatched path with the root's 404 handler, outside this plugin: give
    // preflights under this prefix a route here, so this plugin's hook and policy answer them.
    // Only other OPTIONS requests reach the handler, and they get the usual 404.
    const preflightCatchAll = {
      logLevel: 'silent' as const,
      handler: (_request: FastifyRequest, reply: FastifyReply) => reply.callNotFound(),
    };
    instance.options('/', preflightCatchAll);
    instance.options('/*', preflightCatchAll);
  }
  done();
};

const plugin = cors as FastifyPluginCallback<CorsOptions> & Record<symbol, unknown>;
plugin[Symbol.for('skip-override')] = true;
plugin[Symbol.for('fastify.display-name')] = 'corsguard';
plugin[Symbol.for('plugin-meta')] = { name: 'corsguard', fastify: '4.x || 5.x' };

export default cors;
