/**
 * What every conformance app does, whatever its framework. An app is built once per named
 * configuration and mounted under `/<config>`; inside, it has these routes, each written in
 * its framework's own idiom:
 *
 * - `GET|HEAD /resource`: 200 `ok` with `X-Total-Count: 42`; `PUT /resource`: 200 `updated`;
 *   `OPTIONS /resource`: 200 `options handler` (reached only by OPTIONS that are not preflights).
 *   No other method: the framework's answer for a method a route lacks (405 or 404).
 * - `GET /vary`: 200, and the handler adds `Vary: Accept-Encoding` its framework's way.
 * - `GET /own-vary`: 200, and the handler sets `Vary: Accept-Encoding`, replacing any `Vary`
 *   already on the response, its framework's way.
 * - `GET /throw` throws synchronously; `GET /reject` rejects; `GET /500` returns 500 `failed`.
 * - `GET /cors-elsewhere`: 200 `elsewhere`, with the CORS headers of OTHER_LAYER_CORS set by
 *   another layer: the handler where corsguard writes after it (Fastify, fetch, Hono), a layer
 *   before corsguard where corsguard writes before the handler (node, Express, Koa).
 * - `GET /cors-in-handler`: 200 `elsewhere`, with the CORS headers of OTHER_LAYER_CORS set by the
 *   handler itself, after corsguard wrote its own, on every adapter (on node:http, one of them
 *   through `setHeader` and the others through `writeHead`'s headers).
 * - `/private/*`: an auth layer registered after CORS answers 401 unless
 *   `Authorization: Bearer <AUTH_TOKEN>`; `GET /private/data` is then 200 `secret`.
 * - Anything else: the framework's own 404.
 *
 * Errors that reach an error hook (the framework's, or corsguard's `onError`) are recorded
 * by source (`handler` or `origin-predicate`), so a case can say what must be reported.
 */
import type { CorsErrorContext, CorsOptions } from '../../src/core/options.js';

export const AUTH_TOKEN = 'let-me-in';
export const AUTHORIZED = `Bearer ${AUTH_TOKEN}`;

export const BODY = {
  resource: 'ok',
  updated: 'updated',
  options: 'options handler',
  vary: 'varies',
  failed: 'failed',
  secret: 'secret',
  elsewhere: 'elsewhere',
} as const;

/** CORS headers a handler sets on its own: a denied origin must see none of them. */
export const OTHER_LAYER_CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Expose-Headers': 'X-Secret',
};

/** Error sources an app records. */
export type ReportedSource = CorsErrorContext['source'];

/** Records errors; the harness reads and clears it after each case. */
export interface ErrorLog {
  record(source: ReportedSource): void;
}

/**
 * Thenables a careless predicate may return, by the origin that gets each: none of them may
 * crash the server or allow the origin; each is reported to `onError`.
 */
export const BROKEN_THENABLES: Readonly<Record<string, () => unknown>> = {
  'https://then-throws.example': () => ({
    then() {
      throw new Error('then threw');
    },
  }),
  'https://then-getter-throws.example': () => ({
    get then(): unknown {
      throw new Error('the then getter threw');
    },
  }),
  'https://then-answers-twice.example': () => ({
    then(onFulfilled: (value: boolean) => void, onRejected: (error: Error) => void) {
      onFulfilled(true);
      onRejected(new Error('and failed too'));
    },
  }),
  'https://then-never-answers.example': () => ({ then() {} }),
};

/** Named configurations: each case picks one. Pure data, so every runtime can import it. */
export type ConfigName = keyof typeof CONFIGS;

export const CONFIGS = {
  list: {
    allowOrigins: ['https://app.example'],
    allowMethods: ['PUT', 'PATCH'],
    allowHeaders: ['X-Api-Key', 'Content-Type'],
    exposeHeaders: ['X-Total-Count'],
    maxAge: 600,
  },
  credentials: {
    allowOrigins: ['https://app.example'],
    allowCredentials: true,
    allowMethods: '*',
    allowHeaders: '*',
    exposeHeaders: ['X-Total-Count'],
  },
  any: {
    allowOrigins: '*',
    allowMethods: '*',
    allowHeaders: '*',
    exposeHeaders: '*',
  },
  anyWithAuthorization: {
    allowOrigins: '*',
    allowHeaders: ['*', 'Authorization'],
  },
  nullOrigin: {
    allowOrigins: ['null'],
    dangerouslyAllowNullOrigin: true,
  },
  patterns: {
    allowOrigins: ['https://*.example.com', 'http://localhost:*'],
    allowOriginRegex: /^https:\/\/tenant-[a-z]+\.example\.org$/,
  },
  asyncPredicate: {
    // Not `async`: a synchronous throw and a rejection are different failures to survive.
    allowOriginPredicate: (origin: string): boolean | Promise<boolean> => {
      if (origin === 'https://throws.example') throw new Error('tenant database unavailable');
      if (origin === 'https://rejects.example') return Promise.reject(new Error('tenant lookup failed'));
      const broken = BROKEN_THENABLES[origin];
      if (broken !== undefined) return broken() as unknown as Promise<boolean>;
      return Promise.resolve(origin === 'https://tenant.example');
    },
    allowMethods: ['PUT'],
    // Short, so that the thenable that never answers costs a case little.
    originPredicateTimeout: 200,
  },
  preflightStatus200: {
    allowOrigins: ['https://app.example'],
    allowMethods: ['PUT'],
    preflightStatus: 200,
    maxAge: 0,
  },
} satisfies Record<string, CorsOptions>;

/** The options of one configuration, wired to an error log and quiet about known warnings. */
export function configFor(name: ConfigName, log: ErrorLog): CorsOptions {
  return {
    ...(CONFIGS[name] as CorsOptions),
    onWarning: () => {},
    onError: (_error, context) => log.record(context.source),
  };
}

export const CONFIG_NAMES = Object.keys(CONFIGS) as ConfigName[];

/** Whether a request to the auth-protected area carries the right credentials. */
export function isAuthorized(authorization: string | null | undefined): boolean {
  return authorization === AUTHORIZED;
}
