/**
 * Hono: `hono/cors` and corsguard's Hono middleware, each called as Hono's `compose` calls a
 * middleware, `await middleware(c, next)`, on a `Context` built from a real `Request`; a
 * returned Response becomes `c.res`, and `next` runs the route handler, `c.text('ok')`,
 * as compose does. Hono copies headers set before the handler into the handler's
 * response, so the handler is part of what a CORS middleware costs here: the `no CORS`
 * row is the handler alone.
 */
import { Context, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import {
  ALLOW_HEADERS,
  EXPOSE_HEADERS,
  MAX_AGE,
  METHODS,
  NINE_EXACT,
  NINE_WILDCARDS,
  ONE_ORIGIN,
  THOUSAND_ORIGINS,
  corsguardOptions,
  type Workload,
} from '../workloads.js';
import { loadAdapter } from './adapters.js';
import { freshHeaders } from './node-objects.js';
import type { Case, Group, Library } from './library.js';

function honoContext(workload: Workload): Context {
  const request = new Request('http://api.example.com/items', { method: workload.method, headers: freshHeaders(workload) });
  return new Context(request, { env: undefined, path: '/items' });
}

function honoCase(workload: Workload, middleware: MiddlewareHandler): Case<Context> {
  return {
    async: true,
    make: () => honoContext(workload),
    async run(c) {
      const next = async (): Promise<void> => {
        c.res = c.text('ok');
      };
      const returned = await middleware(c, next);
      if (returned instanceof Response) c.res = returned;
    },
    observe(c) {
      return {
        allowOrigin: c.res.headers.get('access-control-allow-origin') ?? undefined,
        status: workload.kind === 'preflight' ? c.res.status : undefined,
      };
    },
  };
}

/** What a Hono user writes for a list with wildcards: a function (hono/cors takes only exact strings). */
function ninePatterns(): (origin: string) => string | null {
  const exact = new Set<string>(NINE_EXACT);
  const regexes = NINE_WILDCARDS.map((w) => w.regex);
  return (origin) => (exact.has(origin) || regexes.some((r) => r.test(origin)) ? origin : null);
}

const honoCors: Library = {
  id: 'hono-cors',
  role: 'other',
  label: '`hono/cors`',
  cases(workload) {
    const any = workload.set === 'any';
    const origin =
      workload.set === 'one'
        ? ONE_ORIGIN
        : workload.set === 'nine'
          ? ninePatterns()
          : workload.set === 'thousand'
            ? [...THOUSAND_ORIGINS]
            : '*';
    const middleware = cors({
      origin,
      credentials: !any,
      allowMethods: [...METHODS],
      allowHeaders: [...ALLOW_HEADERS],
      exposeHeaders: [...EXPOSE_HEADERS],
      maxAge: MAX_AGE,
    });
    return honoCase(workload, middleware) as Case<unknown>;
  },
};

const handlerOnly: Library = {
  id: 'none',
  role: 'baseline',
  label: 'no CORS (handler only)',
  cases(workload) {
    // Without CORS a preflight is just another request for the handler: nothing to compare.
    if (workload.kind === 'preflight') return undefined;
    return {
      async: true,
      make: () => honoContext(workload),
      async run(c: Context) {
        c.res = c.text('ok');
      },
      observe: () => ({ allowOrigin: undefined, status: undefined }),
    } as Case<unknown>;
  },
};

interface HonoAdapter {
  cors(options: ReturnType<typeof corsguardOptions>): MiddlewareHandler;
}

export async function honoGroup(): Promise<Group> {
  const adapter = await loadAdapter<HonoAdapter>('hono');
  const libraries: Library[] = [handlerOnly, honoCors];
  if (adapter !== undefined) {
    libraries.splice(1, 0, {
      id: 'corsguard',
      role: 'corsguard',
      label: 'corsguard (`corsguard/hono`)',
      cases: (workload) => honoCase(workload, adapter.cors(corsguardOptions(workload.set))) as Case<unknown>,
    });
  }
  return {
    id: 'hono',
    title: 'Hono (`Context` of a real `Request`)',
    measures:
      '`await middleware(c, next)` on a fresh Hono `Context` wrapping a real `Request`, as `compose` calls it; `next` runs ' +
      'the route handler (`c.res = c.text("ok")`) and a returned Response becomes `c.res`. Both include the handler, so ' +
      'the `no CORS` row (handler alone) is the floor here. `hono/cors` gets a string (1 origin), an array (1,000), a ' +
      'function with a Set and RegExps (9 patterns), or `*`.',
    libraries,
  };
}
