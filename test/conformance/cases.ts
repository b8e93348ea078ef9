/**
 * The conformance table: every case runs unchanged against every adapter (see adapters.ts).
 * A case is one request and what the response must be. Where a framework behaves otherwise
 * for a reason of its own (not of CORS), the case says so in `differences`, with why, and
 * docs/frameworks.md repeats it; nothing is skipped.
 */
import { AUTHORIZED, BODY, BROKEN_THENABLES, type ConfigName, type ReportedSource } from './app-contract.js';

export type AdapterName =
  | 'node-withCors'
  | 'node-corsMiddleware'
  | 'fetch'
  | 'express'
  | 'fastify'
  | 'koa'
  | 'hono';

export interface Expectation {
  readonly status: number;
  /** Exact values; `null` means the header must be absent. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** The exact set of Vary tokens (case-insensitive, none twice); `[]` means no Vary. */
  readonly vary?: readonly string[];
  readonly body?: string;
  readonly bodyIncludes?: string;
  /** Errors that must have been reported, by source, in order. Default: none. */
  readonly reported?: readonly ReportedSource[];
}

export interface Difference extends Partial<Expectation> {
  /** Why this framework answers differently; repeated in docs/frameworks.md. */
  readonly why: string;
}

export interface ConformanceCase {
  readonly name: string;
  readonly config: ConfigName;
  readonly method: string;
  /** Path inside the app mounted for `config`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expect: Expectation;
  readonly differences?: Partial<Record<AdapterName, Difference>>;
}

const APP = 'https://app.example';
const EVIL = 'https://evil.example';
const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACEH = 'access-control-expose-headers';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';
const ACMA = 'access-control-max-age';
const PREFLIGHT_VARY_CREDENTIALS = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/** No CORS header at all (a denied origin, or a response that never had any). */
const NO_CORS = { [ACAO]: null, [ACAC]: null, [ACEH]: null, [ACAM]: null, [ACAH]: null, [ACMA]: null };

function preflight(origin: string | undefined, method: string, requestHeaders?: string): Record<string, string> {
  const headers: Record<string, string> = { 'access-control-request-method': method };
  if (origin !== undefined) headers.origin = origin;
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return headers;
}

const NO_405_WHY = 'routes by path and method in one step, so a method a route lacks is a 404 (there is no 405)';
const NO_405 = (status: number): Partial<Record<AdapterName, Difference>> => ({
  express: { status, why: `Express ${NO_405_WHY}` },
  fastify: { status, why: `Fastify ${NO_405_WHY}` },
  hono: { status, why: `Hono ${NO_405_WHY}` },
});

/** What a handler set after a `'*'` policy on the adapters that write before it (see ANY_NOT_SETTLED_WHY). */
const ANY_KEEPS_HANDLER_CORS = { [ACAO]: '*', [ACAC]: 'true', [ACEH]: 'X-Secret' };
const ANY_NOT_SETTLED_WHY =
  "runs the handler after corsguard wrote, and a '*' policy is not settled again when the head is written (no origin is " +
  'denied, so nothing can leak to one; it would cost every response), so CORS headers the handler sets stay';

export const CASES: readonly ConformanceCase[] = [
  // --- actual requests, listed origins --------------------------------------------------------
  {
    name: "another layer set Access-Control-Allow-Origin: *, -Credentials and -Expose-Headers, the origin is denied: none of them is sent",
    config: 'credentials', method: 'GET', path: '/cors-elsewhere', headers: { origin: EVIL },
    expect: { status: 200, body: BODY.elsewhere, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'another layer set CORS headers, the origin is allowed: the policy\'s values replace them, each sent once',
    config: 'credentials', method: 'GET', path: '/cors-elsewhere', headers: { origin: APP },
    expect: { status: 200, body: BODY.elsewhere, headers: { [ACAO]: APP, [ACAC]: 'true', [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: 'the handler set Access-Control-Allow-Origin: *, -Credentials and -Expose-Headers after corsguard, the origin is denied: none of them is sent',
    config: 'credentials', method: 'GET', path: '/cors-in-handler', headers: { origin: EVIL },
    expect: { status: 200, body: BODY.elsewhere, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'the handler set CORS headers after corsguard, no Origin: none of them is sent',
    config: 'credentials', method: 'GET', path: '/cors-in-handler',
    expect: { status: 200, body: BODY.elsewhere, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: "the handler set CORS headers after corsguard, the origin is allowed: the policy's values replace them",
    config: 'credentials', method: 'GET', path: '/cors-in-handler', headers: { origin: APP },
    expect: { status: 200, body: BODY.elsewhere, headers: { [ACAO]: APP, [ACAC]: 'true', [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: 'the handler set CORS headers after corsguard, the origin is allowed without credentials: Allow-Credentials is removed',
    config: 'list', method: 'GET', path: '/cors-in-handler', headers: { origin: APP },
    expect: { status: 200, body: BODY.elsewhere, headers: { [ACAO]: APP, [ACAC]: null, [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: "the handler set CORS headers after corsguard, every origin allowed: '*' and the policy's exposed headers, no Allow-Credentials",
    config: 'any', method: 'GET', path: '/cors-in-handler', headers: { origin: EVIL },
    expect: { status: 200, body: BODY.elsewhere, headers: { [ACAO]: '*', [ACAC]: null, [ACEH]: '*' }, vary: [] },
    differences: {
      'node-withCors': { headers: ANY_KEEPS_HANDLER_CORS, why: `node:http ${ANY_NOT_SETTLED_WHY}` },
      'node-corsMiddleware': { headers: ANY_KEEPS_HANDLER_CORS, why: `node:http ${ANY_NOT_SETTLED_WHY}` },
      express: { headers: ANY_KEEPS_HANDLER_CORS, why: `Express ${ANY_NOT_SETTLED_WHY}` },
      koa: { headers: ANY_KEEPS_HANDLER_CORS, why: `Koa ${ANY_NOT_SETTLED_WHY}` },
    },
  },
  {
    name: 'allowed origin: echoed, exposed headers listed, Vary: Origin',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: APP },
    expect: { status: 200, body: BODY.resource, headers: { [ACAO]: APP, [ACAC]: null, [ACEH]: 'X-Total-Count', 'x-total-count': '42' }, vary: ['origin'] },
  },
  {
    name: 'denied origin: the response goes out without CORS headers, still Vary: Origin',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: EVIL },
    expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'no Origin (same-origin or server-to-server): no CORS headers, Vary: Origin for caches',
    config: 'list', method: 'GET', path: '/resource',
    expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'allowed origin on a non-safelisted method (PUT) after its preflight',
    config: 'list', method: 'PUT', path: '/resource', headers: { origin: APP },
    expect: { status: 200, body: BODY.updated, headers: { [ACAO]: APP }, vary: ['origin'] },
  },
  {
    name: 'HEAD carries the same CORS headers as GET',
    config: 'list', method: 'HEAD', path: '/resource', headers: { origin: APP },
    expect: { status: 200, body: '', headers: { [ACAO]: APP, [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: 'origins compare byte for byte: upper case does not match',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: 'https://APP.example' },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'an origin with a trailing slash does not match',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: `${APP}/` },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'an explicit default port does not match',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: `${APP}:443` },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'another scheme does not match',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: 'http://app.example' },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'two Origin values joined by a proxy never match',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: `${APP}, ${EVIL}` },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'an over-long Origin is refused',
    config: 'list', method: 'GET', path: '/resource', headers: { origin: `https://${'a'.repeat(5000)}.example` },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },

  // --- preflights, listed methods and headers ---------------------------------------------------
  {
    name: 'preflight allowed: 204, allow lists, max-age, no exposed headers',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PUT'),
    expect: { status: 204, body: '', headers: { [ACAO]: APP, [ACAM]: 'PATCH, PUT', [ACMA]: '600', [ACEH]: null, [ACAC]: null }, vary: ['origin'] },
  },
  {
    name: 'preflight from a denied origin: 403, plain-text reason, no CORS headers',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'PUT'),
    expect: { status: 403, bodyIncludes: 'origin is not allowed', headers: { ...NO_CORS, 'content-type': 'text/plain; charset=utf-8' }, vary: ['origin'] },
  },
  {
    name: 'preflight for a method not listed: 200 with the real allow list, so the browser names the method',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'DELETE'),
    expect: { status: 200, bodyIncludes: 'method DELETE is not allowed', headers: { [ACAO]: APP, [ACAM]: 'PATCH, PUT', [ACMA]: null }, vary: ['origin'] },
  },
  {
    name: 'method names are case-sensitive: patch is not PATCH',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'patch'),
    expect: { status: 200, bodyIncludes: 'method patch is not allowed', headers: { [ACAO]: APP, [ACMA]: null } },
  },
  {
    name: 'preflight for a safelisted method (GET) with a listed header',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'GET', 'x-api-key'),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAH]: 'content-type, x-api-key', [ACMA]: '600' }, vary: ['origin'] },
  },
  {
    name: 'listed request headers match case-insensitively',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PATCH', 'Content-Type,X-API-KEY'),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAH]: 'content-type, x-api-key' } },
  },
  {
    name: 'preflight for a header not listed: 200 naming the header',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PUT', 'x-api-key, x-other'),
    expect: { status: 200, bodyIncludes: 'header x-other is not allowed', headers: { [ACAO]: APP, [ACAH]: 'content-type, x-api-key', [ACMA]: null } },
  },
  {
    name: 'Authorization must be listed to be allowed',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PUT', 'authorization'),
    expect: { status: 200, bodyIncludes: 'header authorization is not allowed', headers: { [ACAO]: APP } },
  },
  {
    name: 'an invalid Access-Control-Request-Headers is refused',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PUT', 'x-api-key,,(bad)'),
    expect: { status: 200, bodyIncludes: 'not a valid list', headers: { [ACAO]: APP, [ACMA]: null } },
  },
  {
    name: 'a preflight to a path with no route is answered',
    config: 'list', method: 'OPTIONS', path: '/no/such/route', headers: preflight(APP, 'PUT'),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAM]: 'PATCH, PUT' }, vary: ['origin'] },
  },
  {
    name: 'a preflight never reaches a handler that would throw',
    config: 'list', method: 'OPTIONS', path: '/throw', headers: preflight(APP, 'PUT'),
    expect: { status: 204, headers: { [ACAO]: APP } },
  },
  {
    name: 'OPTIONS with Origin but no Access-Control-Request-Method is not a preflight: it reaches the handler',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: { origin: APP },
    expect: { status: 200, body: BODY.options, headers: { [ACAO]: APP, [ACAM]: null, [ACMA]: null }, vary: ['origin'] },
  },
  {
    name: 'OPTIONS with Access-Control-Request-Method but no Origin is not a preflight',
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight(undefined, 'PUT'),
    expect: { status: 200, body: BODY.options, headers: NO_CORS, vary: ['origin'] },
  },

  // --- Vary merging with the handler's own Vary ----------------------------------------------
  {
    name: "Vary: the handler's own token is kept and Origin added once",
    config: 'list', method: 'GET', path: '/vary', headers: { origin: APP },
    expect: { status: 200, body: BODY.vary, headers: { [ACAO]: APP }, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: "Vary: kept and merged for a denied origin",
    config: 'list', method: 'GET', path: '/vary', headers: { origin: EVIL },
    expect: { status: 200, headers: NO_CORS, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: "Vary: kept and merged without an Origin",
    config: 'list', method: 'GET', path: '/vary',
    expect: { status: 200, headers: NO_CORS, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: "handler sets its own Vary (replacing it): Origin is merged back, allowed origin",
    config: 'list', method: 'GET', path: '/own-vary', headers: { origin: APP },
    expect: { status: 200, body: BODY.vary, headers: { [ACAO]: APP }, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: 'handler sets its own Vary (replacing it): Origin is merged back, denied origin',
    config: 'list', method: 'GET', path: '/own-vary', headers: { origin: EVIL },
    expect: { status: 200, headers: NO_CORS, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: 'handler sets its own Vary (replacing it): Origin is merged back, no Origin',
    config: 'list', method: 'GET', path: '/own-vary',
    expect: { status: 200, headers: NO_CORS, vary: ['accept-encoding', 'origin'] },
  },
  {
    name: "Vary: with '*' origins nothing depends on Origin, the handler's Vary stays alone",
    config: 'any', method: 'GET', path: '/vary', headers: { origin: EVIL },
    expect: { status: 200, headers: { [ACAO]: '*' }, vary: ['accept-encoding'] },
  },

  // --- error paths ------------------------------------------------------------------------------
  {
    name: 'a handler that throws: 500 with CORS headers, error reported',
    config: 'list', method: 'GET', path: '/throw', headers: { origin: APP },
    expect: { status: 500, headers: { [ACAO]: APP, [ACEH]: 'X-Total-Count' }, vary: ['origin'], reported: ['handler'] },
  },
  {
    name: 'a handler that rejects: 500 with CORS headers, error reported',
    config: 'list', method: 'GET', path: '/reject', headers: { origin: APP },
    expect: { status: 500, headers: { [ACAO]: APP }, vary: ['origin'], reported: ['handler'] },
  },
  {
    name: 'a handler that returns 500 keeps its body and gets CORS headers',
    config: 'list', method: 'GET', path: '/500', headers: { origin: APP },
    expect: { status: 500, body: BODY.failed, headers: { [ACAO]: APP }, vary: ['origin'] },
  },
  {
    name: 'a route that does not exist: 404 with CORS headers',
    config: 'list', method: 'GET', path: '/no/such/route', headers: { origin: APP },
    expect: { status: 404, headers: { [ACAO]: APP, [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: 'a method the route does not have: 405 with CORS headers',
    config: 'list', method: 'DELETE', path: '/resource', headers: { origin: APP },
    expect: { status: 405, headers: { [ACAO]: APP }, vary: ['origin'] },
    differences: NO_405(404),
  },
  {
    name: 'a handler that throws, denied origin: 500 without CORS headers, Vary kept',
    config: 'list', method: 'GET', path: '/throw', headers: { origin: EVIL },
    expect: { status: 500, headers: NO_CORS, vary: ['origin'], reported: ['handler'] },
  },

  // --- an auth layer registered after CORS ------------------------------------------------------
  {
    name: 'auth after CORS: the preflight succeeds without credentials',
    config: 'list', method: 'OPTIONS', path: '/private/data', headers: preflight(APP, 'PUT', 'content-type'),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAH]: 'content-type, x-api-key' } },
  },
  {
    name: 'auth after CORS: its 401 carries CORS headers so the page can read it',
    config: 'list', method: 'GET', path: '/private/data', headers: { origin: APP },
    expect: { status: 401, headers: { [ACAO]: APP }, vary: ['origin'] },
  },
  {
    name: 'auth after CORS: authorized requests get the resource',
    config: 'list', method: 'GET', path: '/private/data', headers: { origin: APP, authorization: AUTHORIZED },
    expect: { status: 200, body: BODY.secret, headers: { [ACAO]: APP }, vary: ['origin'] },
  },

  // --- credentials --------------------------------------------------------------------------------
  {
    name: 'credentials: ACAC true with the echoed origin',
    config: 'credentials', method: 'GET', path: '/resource', headers: { origin: APP },
    expect: { status: 200, headers: { [ACAO]: APP, [ACAC]: 'true', [ACEH]: 'X-Total-Count' }, vary: ['origin'] },
  },
  {
    name: 'credentials: a denied origin gets neither ACAO nor ACAC',
    config: 'credentials', method: 'GET', path: '/resource', headers: { origin: EVIL },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: "credentials with '*' methods and headers: the request's method and headers are echoed, Vary names them",
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'DELETE', 'x-anything, content-type'),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAC]: 'true', [ACAM]: 'DELETE', [ACAH]: 'x-anything, content-type' }, vary: PREFLIGHT_VARY_CREDENTIALS },
  },
  {
    name: "credentials: '*' headers never cover Authorization",
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'GET', 'authorization'),
    expect: { status: 200, bodyIncludes: 'Authorization', headers: { [ACAO]: APP, [ACAC]: 'true' } },
  },
  {
    name: "credentials: '*' methods never cover a forbidden method",
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'CONNECT'),
    expect: { status: 200, bodyIncludes: 'method CONNECT is not allowed', headers: { [ACAO]: APP, [ACAM]: 'GET, HEAD, POST' } },
  },
  {
    name: 'credentials: a denied preflight gets no ACAC',
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'PUT'),
    expect: { status: 403, headers: NO_CORS, vary: PREFLIGHT_VARY_CREDENTIALS },
  },
  {
    name: 'credentials: a throwing handler still answers with ACAO and ACAC',
    config: 'credentials', method: 'GET', path: '/throw', headers: { origin: APP },
    expect: { status: 500, headers: { [ACAO]: APP, [ACAC]: 'true' }, vary: ['origin'], reported: ['handler'] },
  },
  {
    name: 'credentials: 404 carries ACAO and ACAC',
    config: 'credentials', method: 'GET', path: '/no/such/route', headers: { origin: APP },
    expect: { status: 404, headers: { [ACAO]: APP, [ACAC]: 'true' }, vary: ['origin'] },
  },
  {
    name: 'credentials: the 401 of an auth layer is readable',
    config: 'credentials', method: 'GET', path: '/private/data', headers: { origin: APP },
    expect: { status: 401, headers: { [ACAO]: APP, [ACAC]: 'true' }, vary: ['origin'] },
  },

  // --- every origin -------------------------------------------------------------------------------
  {
    name: "'*' origins: ACAO * and ACEH *, no Vary",
    config: 'any', method: 'GET', path: '/resource', headers: { origin: EVIL },
    expect: { status: 200, headers: { [ACAO]: '*', [ACEH]: '*', [ACAC]: null }, vary: [] },
  },
  {
    name: "'*' origins: also without an Origin",
    config: 'any', method: 'GET', path: '/resource',
    expect: { status: 200, headers: { [ACAO]: '*' }, vary: [] },
  },
  {
    name: "'*' everything: preflight answered with *",
    config: 'any', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'DELETE', 'x-a'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAM]: '*', [ACAH]: '*', [ACAC]: null }, vary: [] },
  },
  {
    name: "'*' headers: Authorization is not covered",
    config: 'any', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'GET', 'x-a, authorization'),
    expect: { status: 200, bodyIncludes: "'*' never covers Authorization", headers: { [ACAO]: '*', [ACAH]: null } },
  },
  {
    name: "'*' origins: the null origin is allowed too",
    config: 'any', method: 'OPTIONS', path: '/resource', headers: preflight('null', 'PUT'),
    expect: { status: 204, headers: { [ACAO]: '*' } },
  },
  {
    name: "'*' origins: a throwing handler answers 500 with ACAO *",
    config: 'any', method: 'GET', path: '/reject', headers: { origin: EVIL },
    expect: { status: 500, headers: { [ACAO]: '*' }, vary: [], reported: ['handler'] },
  },
  {
    name: "'*' origins: a 500 returned by the handler gets ACAO *",
    config: 'any', method: 'GET', path: '/500', headers: { origin: EVIL },
    expect: { status: 500, body: BODY.failed, headers: { [ACAO]: '*' } },
  },
  {
    name: "'*' origins: a method the route lacks gets ACAO *",
    config: 'any', method: 'PATCH', path: '/resource', headers: { origin: EVIL },
    expect: { status: 405, headers: { [ACAO]: '*' } },
    differences: NO_405(404),
  },
  {
    name: "'*' plus Authorization listed: allowed, and the answer says so",
    config: 'anyWithAuthorization', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'GET', 'authorization, x-a'),
    expect: { status: 204, headers: { [ACAO]: '*', [ACAH]: '*, authorization' } },
  },
  {
    name: 'no allowMethods: only safelisted methods pass a preflight',
    config: 'anyWithAuthorization', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'PUT'),
    // Without the header, the Fetch standard grants the method to a request with the
    // use-CORS-preflight flag (an upload listener, a stream body): the refusal lists the methods.
    expect: { status: 200, bodyIncludes: 'method PUT is not allowed', headers: { [ACAO]: '*', [ACAM]: 'GET, HEAD, POST', [ACMA]: null } },
  },
  {
    name: "credentials and '*' methods: a requested method too long to echo is refused, not copied into the answer",
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'X'.repeat(65)),
    expect: { status: 200, bodyIncludes: 'the requested method is longer than 64 characters', headers: { [ACAO]: APP, [ACAM]: 'GET, HEAD, POST' } },
  },
  {
    name: "credentials and '*' methods: a requested method of 64 characters is still echoed",
    config: 'credentials', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'X'.repeat(64)),
    expect: { status: 204, headers: { [ACAO]: APP, [ACAM]: 'X'.repeat(64) } },
  },

  // --- null -----------------------------------------------------------------------------------
  {
    name: "'null' listed: a sandboxed document's request is allowed",
    config: 'nullOrigin', method: 'GET', path: '/resource', headers: { origin: 'null' },
    expect: { status: 200, headers: { [ACAO]: 'null' }, vary: ['origin'] },
  },
  {
    name: "'null' listed: its preflight is allowed",
    config: 'nullOrigin', method: 'OPTIONS', path: '/resource', headers: preflight('null', 'POST', 'content-type'),
    expect: { status: 200, bodyIncludes: 'header content-type is not allowed', headers: { [ACAO]: 'null' } },
  },
  {
    name: "'null' listed: other origins are not",
    config: 'nullOrigin', method: 'GET', path: '/resource', headers: { origin: APP },
    expect: { status: 200, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: "'null' not listed: refused",
    config: 'list', method: 'OPTIONS', path: '/resource', headers: preflight('null', 'PUT'),
    expect: { status: 403, headers: NO_CORS },
  },

  // --- patterns and regex -----------------------------------------------------------------------
  {
    name: 'subdomain pattern: one level',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://shop.example.com' },
    expect: { status: 200, headers: { [ACAO]: 'https://shop.example.com' }, vary: ['origin'] },
  },
  {
    name: 'subdomain pattern: deeper levels',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://a.b.example.com' },
    expect: { status: 200, headers: { [ACAO]: 'https://a.b.example.com' } },
  },
  {
    name: 'subdomain pattern: not the apex',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://example.com' },
    expect: { status: 200, headers: NO_CORS },
  },
  {
    name: 'subdomain pattern: not another scheme',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'http://shop.example.com' },
    expect: { status: 200, headers: NO_CORS },
  },
  {
    name: 'subdomain pattern: not a look-alike domain',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://evilexample.com' },
    expect: { status: 200, headers: NO_CORS },
  },
  {
    name: 'port pattern: any port',
    config: 'patterns', method: 'OPTIONS', path: '/resource', headers: preflight('http://localhost:5173', 'POST'),
    expect: { status: 204, headers: { [ACAO]: 'http://localhost:5173' }, vary: ['origin'] },
  },
  {
    name: 'port pattern: not another host',
    config: 'patterns', method: 'OPTIONS', path: '/resource', headers: preflight('http://127.0.0.1:5173', 'POST'),
    expect: { status: 403, headers: NO_CORS },
  },
  {
    name: 'regex: full match allowed',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://tenant-acme.example.org' },
    expect: { status: 200, headers: { [ACAO]: 'https://tenant-acme.example.org' } },
  },
  {
    name: 'regex: a suffix after the match is refused',
    config: 'patterns', method: 'GET', path: '/resource', headers: { origin: 'https://tenant-acme.example.org.evil.net' },
    expect: { status: 200, headers: NO_CORS },
  },

  // --- asynchronous origin predicate --------------------------------------------------------------
  {
    name: 'async predicate: allowed',
    config: 'asyncPredicate', method: 'GET', path: '/resource', headers: { origin: 'https://tenant.example' },
    expect: { status: 200, body: BODY.resource, headers: { [ACAO]: 'https://tenant.example' }, vary: ['origin'] },
  },
  {
    name: 'async predicate: denied',
    config: 'asyncPredicate', method: 'GET', path: '/resource', headers: { origin: EVIL },
    expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'] },
  },
  {
    name: 'async predicate: preflight allowed',
    config: 'asyncPredicate', method: 'OPTIONS', path: '/resource', headers: preflight('https://tenant.example', 'PUT'),
    expect: { status: 204, headers: { [ACAO]: 'https://tenant.example', [ACAM]: 'PUT' } },
  },
  {
    name: 'async predicate: preflight denied',
    config: 'asyncPredicate', method: 'OPTIONS', path: '/resource', headers: preflight(EVIL, 'PUT'),
    expect: { status: 403, headers: NO_CORS },
  },
  {
    name: 'a predicate that throws: denied, reported, the request still served',
    config: 'asyncPredicate', method: 'GET', path: '/resource', headers: { origin: 'https://throws.example' },
    expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'], reported: ['origin-predicate'] },
  },
  {
    name: 'a predicate that rejects: denied, reported, the request still served',
    config: 'asyncPredicate', method: 'GET', path: '/resource', headers: { origin: 'https://rejects.example' },
    expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'], reported: ['origin-predicate'] },
  },
  {
    name: 'a predicate that rejects on a preflight: 403, reported',
    config: 'asyncPredicate', method: 'OPTIONS', path: '/resource', headers: preflight('https://rejects.example', 'PUT'),
    expect: { status: 403, headers: NO_CORS, reported: ['origin-predicate'] },
  },
  ...Object.keys(BROKEN_THENABLES).flatMap((origin): ConformanceCase[] => [
    {
      name: `a predicate returning a broken thenable (${origin}): denied, reported, the request still served`,
      config: 'asyncPredicate', method: 'GET', path: '/resource', headers: { origin },
      expect: { status: 200, body: BODY.resource, headers: NO_CORS, vary: ['origin'], reported: ['origin-predicate'] },
    },
    {
      name: `a predicate returning a broken thenable (${origin}) on a preflight: 403, reported`,
      config: 'asyncPredicate', method: 'OPTIONS', path: '/resource', headers: preflight(origin, 'PUT'),
      expect: { status: 403, headers: NO_CORS, reported: ['origin-predicate'] },
    },
  ]),
  {
    name: 'async predicate: a throwing handler still gets CORS headers',
    config: 'asyncPredicate', method: 'GET', path: '/throw', headers: { origin: 'https://tenant.example' },
    expect: { status: 500, headers: { [ACAO]: 'https://tenant.example' }, vary: ['origin'], reported: ['handler'] },
  },
  {
    name: 'async predicate: a 404 still gets CORS headers',
    config: 'asyncPredicate', method: 'GET', path: '/no/such/route', headers: { origin: 'https://tenant.example' },
    expect: { status: 404, headers: { [ACAO]: 'https://tenant.example' }, vary: ['origin'] },
  },
  {
    name: 'async predicate: auth after CORS, preflight succeeds',
    config: 'asyncPredicate', method: 'OPTIONS', path: '/private/data', headers: preflight('https://tenant.example', 'PUT'),
    expect: { status: 204, headers: { [ACAO]: 'https://tenant.example' } },
  },
  {
    name: 'async predicate: auth after CORS, 401 readable',
    config: 'asyncPredicate', method: 'GET', path: '/private/data', headers: { origin: 'https://tenant.example' },
    expect: { status: 401, headers: { [ACAO]: 'https://tenant.example' }, vary: ['origin'] },
  },

  // --- preflight status and max-age 0 -------------------------------------------------------------
  {
    name: 'preflightStatus 200 and maxAge 0 (no caching) are sent as configured',
    config: 'preflightStatus200', method: 'OPTIONS', path: '/resource', headers: preflight(APP, 'PUT'),
    expect: { status: 200, body: '', headers: { [ACAO]: APP, [ACAM]: 'PUT', [ACMA]: '0' } },
  },
];
