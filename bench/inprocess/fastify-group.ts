/**
 * Fastify: `@fastify/cors` and corsguard's Fastify plugin, each registered on a real Fastify
 * instance. Their hooks are called as Fastify's hook runners call them, on fresh
 * `Request`/`Reply` objects built with the
 * instance's own per-route constructors and route context (what Fastify's router builds
 * for every request) over real `node:http` objects. An allowed preflight is answered inside
 * the hook with `reply.send()`, so preflight rows include Fastify's send path and
 * `res.end()`.
 */
import Fastify, { type FastifyInstance, type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCors from '@fastify/cors';
import { WORKLOADS, corsPackageOptions, corsguardOptions, type OriginSet, type Workload } from '../workloads.js';
import { loadAdapter } from './adapters.js';
import type { Case, Group, Library } from './library.js';
import { nodeRequest } from './node-objects.js';
import { ServerResponse } from 'node:http';

type Hook = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void;
type SendHook = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
) => void;
type Constructor<T> = new (...args: unknown[]) => T;

interface Route {
  readonly Request: Constructor<FastifyRequest>;
  readonly Reply: Constructor<FastifyReply>;
  readonly context: unknown;
}

interface Instance {
  readonly app: FastifyInstance;
  /** The onRequest hooks the plugin added, in order. */
  readonly hooks: Hook[];
  /** The onSend hooks the plugin added (corsguard writes an actual response's headers there). */
  readonly sendHooks: SendHook[];
  /** Route objects, by request method, captured from a real request. */
  readonly routes: Map<string, Route>;
}

function symbolNamed(object: object, description: string): symbol {
  const found = Object.getOwnPropertySymbols(object).find((s) => s.description === description);
  if (found === undefined) throw new Error(`Fastify internals changed: no ${description} symbol`);
  return found;
}

/**
 * Registers a plugin on a fresh instance, records the onRequest hooks it adds, and
 * captures the Request/Reply constructors and route context of a GET and an OPTIONS.
 */
async function instance(plugin: FastifyPluginCallback, options: unknown): Promise<Instance> {
  const app = Fastify();
  const routes = new Map<string, Route>();
  // First hook: it runs before the plugin's (which may answer a preflight) and sees the route.
  app.addHook('onRequest', (request, reply, done) => {
    const kContext = symbolNamed(request, 'fastify.context');
    routes.set(request.method, {
      Request: request.constructor as Constructor<FastifyRequest>,
      Reply: reply.constructor as Constructor<FastifyReply>,
      context: (request as unknown as Record<symbol, unknown>)[kContext],
    });
    done();
  });
  const hooks: Hook[] = [];
  const sendHooks: SendHook[] = [];
  const addHook = app.addHook.bind(app) as (name: string, hook: Hook | SendHook) => FastifyInstance;
  (app as unknown as { addHook: typeof addHook }).addHook = (name, hook) => {
    if (name === 'onRequest') hooks.push(hook as Hook);
    if (name === 'onSend') sendHooks.push(hook as SendHook);
    return addHook(name, hook);
  };
  await app.register(plugin as FastifyPluginCallback, options as Record<string, unknown>);
  app.get('/items', async () => 'ok');
  await app.ready();
  await app.inject({ method: 'GET', url: '/items', headers: { origin: 'https://app.example.com' } });
  await app.inject({
    method: 'OPTIONS',
    url: '/items',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' },
  });
  if (hooks.length === 0) throw new Error('the plugin added no onRequest hook');
  return { app, hooks, sendHooks, routes };
}

interface Pair {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

const done = (): void => {};
const PAYLOAD = 'ok';

function fastifyCase(workload: Workload, target: Instance): Case<Pair> {
  const route = target.routes.get(workload.method);
  if (route === undefined) throw new Error(`no ${workload.method} route captured`);
  const { app, hooks, sendHooks } = target;
  let id = 0;
  return {
    async: false,
    make() {
      const req = nodeRequest(workload);
      const res = new ServerResponse(req);
      const request = new route.Request(`req-${++id}`, {}, req, {}, app.log, route.context);
      return { request, reply: new route.Reply(res, request, app.log) };
    },
    // Fastify runs the onRequest hooks, then (for an actual request) the handler, whose
    // reply.send() runs the onSend hooks with the payload. The hooks call done synchronously.
    run({ request, reply }) {
      for (const hook of hooks) hook.call(app, request, reply, done);
      if (reply.sent) return;
      for (const hook of sendHooks) hook.call(app, request, reply, PAYLOAD, done);
    },
    observe({ reply }) {
      const value = reply.getHeader('access-control-allow-origin') ?? reply.raw.getHeader('access-control-allow-origin');
      return {
        allowOrigin: value === undefined ? undefined : String(value),
        status: reply.raw.headersSent ? reply.raw.statusCode : undefined,
      };
    },
  };
}

interface FastifyAdapter {
  default?: FastifyPluginCallback;
  corsguard?: FastifyPluginCallback;
  cors?: FastifyPluginCallback;
}

/** One Fastify instance per origin set, shared by the workloads that use it. */
async function instancesBySet(plugin: FastifyPluginCallback, options: (w: Workload) => unknown): Promise<Map<OriginSet, Instance>> {
  const out = new Map<OriginSet, Instance>();
  for (const w of WORKLOADS) {
    if (!out.has(w.set)) out.set(w.set, await instance(plugin, options(w)));
  }
  return out;
}

export async function fastifyGroup(): Promise<Group> {
  const adapter = await loadAdapter<FastifyAdapter>('fastify');
  const theirs = await instancesBySet(fastifyCors as FastifyPluginCallback, (w) => corsPackageOptions(w.set));
  const libraries: Library[] = [
    {
      id: 'fastify-cors',
      role: 'other',
      label: '`@fastify/cors`',
      cases: (w) => fastifyCase(w, theirs.get(w.set)!) as Case<unknown>,
    },
  ];
  const plugin = adapter?.default ?? adapter?.corsguard ?? adapter?.cors;
  if (plugin !== undefined) {
    const ours = await instancesBySet(plugin, (w) => corsguardOptions(w.set));
    libraries.unshift({
      id: 'corsguard',
      role: 'corsguard',
      label: 'corsguard (`corsguard/fastify`)',
      cases: (w) => fastifyCase(w, ours.get(w.set)!) as Case<unknown>,
    });
  }
  return {
    id: 'fastify',
    title: 'Fastify (`Request` / `Reply`)',
    measures:
      "The plugin's hooks called as Fastify calls them, `onRequest(request, reply, done)` and, for an actual request, " +
      '`onSend(request, reply, payload, done)` (corsguard writes its headers there), on fresh `Request`/`Reply` objects ' +
      "made with the instance's own route constructors and context over real `node:http` objects. A preflight is " +
      "answered in `onRequest` with `reply.send()`, so preflight rows include Fastify's send path and `res.end()`. " +
      '`@fastify/cors` gets an array of strings and RegExps, or `*`.',
    libraries,
  };
}
