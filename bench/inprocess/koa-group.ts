/**
 * Koa: `@koa/cors` and corsguard's Koa middleware, each called as koa-compose calls a
 * middleware, `await middleware(ctx, next)`, on a context from Koa's own
 * `app.createContext(req, res)` over real `node:http` objects. `next` resolves at once (the
 * route's work is not the CORS layer's); Koa writes the response after the middleware
 * chain, so no row includes `res.end()`.
 */
import Koa, { type Context, type Middleware } from 'koa';
import koaCors from '@koa/cors';
import {
  EXPOSE_HEADERS,
  ALLOW_HEADERS,
  MAX_AGE,
  METHODS,
  NINE_EXACT,
  NINE_WILDCARDS,
  ONE_ORIGIN,
  THOUSAND_ORIGINS,
  corsguardOptions,
  type OriginSet,
  type Workload,
} from '../workloads.js';
import { loadAdapter } from './adapters.js';
import type { Case, Group, Library } from './library.js';
import { nodePair } from './node-objects.js';

const app = new Koa();
const next = (): Promise<void> => Promise.resolve();

function koaCase(workload: Workload, middleware: Middleware): Case<Context> {
  return {
    async: true,
    make() {
      const { req, res } = nodePair(workload);
      return app.createContext(req, res) as Context;
    },
    run: (ctx) => middleware(ctx, next) as Promise<void>,
    observe(ctx) {
      const value = ctx.response.get('Access-Control-Allow-Origin');
      return {
        allowOrigin: value === '' || value === undefined ? undefined : String(value),
        status: workload.kind === 'preflight' && ctx.status !== 404 ? ctx.status : undefined,
      };
    },
  };
}

/**
 * `@koa/cors` takes one origin string (sent to every caller) or a function of the context;
 * a list is a function, as its README shows. This is what users write for each set.
 */
function koaOrigin(set: OriginSet): ((ctx: Context) => string) | string {
  switch (set) {
    case 'one':
      return (ctx) => (ctx.get('Origin') === ONE_ORIGIN ? ONE_ORIGIN : '');
    case 'nine': {
      const exact = new Set<string>(NINE_EXACT);
      const regexes = NINE_WILDCARDS.map((w) => w.regex);
      return (ctx) => {
        const origin = ctx.get('Origin');
        return exact.has(origin) || regexes.some((r) => r.test(origin)) ? origin : '';
      };
    }
    case 'thousand':
      return (ctx) => {
        const origin = ctx.get('Origin');
        return THOUSAND_ORIGINS.includes(origin) ? origin : '';
      };
    case 'any':
      return '*';
  }
}

const koaCorsLibrary: Library = {
  id: 'koa-cors',
  role: 'other',
  label: '`@koa/cors`',
  cases(workload) {
    const any = workload.set === 'any';
    const middleware = koaCors({
      origin: koaOrigin(workload.set),
      credentials: !any,
      allowMethods: [...METHODS],
      allowHeaders: [...ALLOW_HEADERS],
      exposeHeaders: [...EXPOSE_HEADERS],
      maxAge: MAX_AGE,
    }) as unknown as Middleware;
    return koaCase(workload, middleware) as Case<unknown>;
  },
};

interface KoaAdapter {
  cors(options: ReturnType<typeof corsguardOptions>): Middleware;
}

export async function koaGroup(): Promise<Group> {
  const adapter = await loadAdapter<KoaAdapter>('koa');
  const libraries: Library[] = [koaCorsLibrary];
  if (adapter !== undefined) {
    libraries.unshift({
      id: 'corsguard',
      role: 'corsguard',
      label: 'corsguard (`corsguard/koa`)',
      cases: (workload) => koaCase(workload, adapter.cors(corsguardOptions(workload.set))) as Case<unknown>,
    });
  }
  return {
    id: 'koa',
    title: 'Koa (`app.createContext(req, res)`)',
    measures:
      '`await middleware(ctx, next)` on a fresh context from `app.createContext` over real `node:http` objects, as ' +
      'koa-compose calls it; `next` resolves at once. Koa ends the response after the chain, so no row includes ' +
      '`res.end()`. `@koa/cors` gets a function of the context for lists (its documented way), or `*`.',
    libraries,
  };
}
