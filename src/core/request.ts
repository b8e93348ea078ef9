/**
 * The request as the policy reads it: its method, target and the three CORS request headers,
 * read once by one reader per header API (Node's header object, Fetch's `Headers`), plus what
 * an origin predicate may need (host, path, any header, the framework's own context).
 */

/** Reads one request header, given its lower-case name: one string, or undefined when absent. */
export type HeaderGetter<Headers> = (headers: Headers, lowerCaseName: string) => string | undefined;

/** Where a CorsRequest keeps what it reads lazily (symbols: not on the request's public face). */
const kHeaders = Symbol('corsguard.headers');
const kGet = Symbol('corsguard.get');
const kRequestHeaders = Symbol('corsguard.requestHeaders');

/**
 * One request, as `CorsPolicy.decide` reads it. Build it with readNodeRequest, readFetchRequest
 * or, for any other header API, readRequest. `context` is the framework's own object for the
 * request (Express and node: `req`; Koa: `ctx`; Fastify: `request`; Hono: `c`; fetch: the
 * `Request`; Lambda: the event), for an origin predicate that needs more than the headers.
 *
 * Fields are `declare`d and set by plain assignment, not class fields or `#private` fields, and
 * one instance lives as long as the class (`#shapeKeeper`): V8 drops the hidden class of objects
 * none of which is alive at a full GC, and with it every optimized function that reads them.
 * With class fields, or without a live instance, bench/paired-builds.mjs's policy rows (fresh
 * requests, a full GC between passes) took 1.5 µs per request instead of 0.53 µs.
 */
export class CorsRequest<Context = unknown> {
  /** The request's method, as sent (`OPTIONS` for a preflight). */
  declare readonly method: string;
  /** The request target as received: a path with its query (`/items?x=1`) or an absolute URL. */
  declare readonly url: string | undefined;
  /** `Origin`, or undefined for a request without one (not a CORS request). */
  declare readonly origin: string | undefined;
  /** `Access-Control-Request-Method`: the method a preflight asks for. */
  declare readonly requestMethod: string | undefined;
  declare readonly context: Context;
  declare private readonly [kHeaders]: unknown;
  declare private readonly [kGet]: HeaderGetter<unknown>;
  /** Access-Control-Request-Headers once read (null: not read yet); only preflights need it. */
  declare private [kRequestHeaders]: string | undefined | null;

  constructor(method: string, url: string | undefined, headers: unknown, get: HeaderGetter<never>, context: Context) {
    const read = get as HeaderGetter<unknown>;
    this.method = method;
    this.url = url;
    this.context = context;
    this[kHeaders] = headers;
    this[kGet] = read;
    this[kRequestHeaders] = null;
    this.origin = read(headers, 'origin');
    this.requestMethod = read(headers, 'access-control-request-method');
  }

  /** `Access-Control-Request-Headers`: the non-safelisted headers a preflight asks for. */
  get requestHeaders(): string | undefined {
    let value = this[kRequestHeaders];
    if (value === null) {
      value = this[kGet](this[kHeaders], 'access-control-request-headers');
      this[kRequestHeaders] = value;
    }
    return value;
  }

  /** Any request header, by name (any case); repeated values joined with `, `. */
  header(name: string): string | undefined {
    return this[kGet](this[kHeaders], name.toLowerCase());
  }

  /** The `Host` header, or the host of an absolute URL (Fetch requests carry the URL, not always the header). */
  get host(): string | undefined {
    return this.header('host') ?? hostOf(this.url);
  }

  /** The path of the request, without its query (which may carry secrets that do not belong in a log). */
  get path(): string | undefined {
    return pathOf(this.url);
  }

  /** One request that lives as long as the class, so a full GC never finds none alive. */
  static readonly #shapeKeeper: CorsRequest = new CorsRequest('GET', undefined, undefined, () => undefined, undefined);
}

/** Builds a CorsRequest for any header API, given how to read one header from it. */
export function readRequest<Headers, Context>(
  method: string,
  url: string | undefined,
  headers: Headers,
  get: HeaderGetter<Headers>,
  context: Context,
): CorsRequest<Context> {
  return new CorsRequest(method, url, headers, get as HeaderGetter<never>, context);
}

/** Node's `IncomingMessage` as the reader needs it (Express, Koa's `ctx.req` and Fastify's `request` have it too). */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Node's header object: lower-case names; repeated values already joined, except Set-Cookie's list.
 * The two headers every request reads get loads of their own: inlined into CorsRequest's
 * constructor, each is then a named load, while the one keyed load shared by every name is
 * megamorphic and costs ~20 ns more a read, most for a header that is absent.
 */
function nodeHeader(headers: NodeRequestLike['headers'], name: string): string | undefined {
  const value =
    name === 'origin'
      ? headers.origin
      : name === 'access-control-request-method'
        ? headers['access-control-request-method']
        : headers[name];
  if (typeof value === 'string' || value === undefined) return value;
  return value.join(', ');
}

/** The reader for Node's header API: node:http, Express, Koa, Fastify. */
export function readNodeRequest<Context>(req: NodeRequestLike, context: Context): CorsRequest<Context> {
  return new CorsRequest(req.method ?? 'GET', req.url, req.headers, nodeHeader as HeaderGetter<never>, context);
}

/** A Fetch `Request` as the reader needs it. */
export interface FetchRequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** Headers.get joins repeated fields with ", " (a repeated Origin then never parses as one origin). */
function fetchHeader(headers: FetchRequestLike['headers'], name: string): string | undefined {
  return headers.get(name) ?? undefined;
}

/** The reader for Fetch's header API: fetch handlers, Hono. */
export function readFetchRequest<Context>(request: FetchRequestLike, context: Context): CorsRequest<Context> {
  return new CorsRequest(request.method, request.url, request.headers, fetchHeader as HeaderGetter<never>, context);
}

/**
 * The path of a request URL (`/items?x` or `https://host/items?x`), without its query. One pass
 * of indexOf, no parsing.
 */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let start = 0;
  if (!url.startsWith('/')) {
    const scheme = url.indexOf('://');
    if (scheme === -1) return undefined;
    start = url.indexOf('/', scheme + 3);
    if (start === -1) return '/';
  }
  const query = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  let end = query === -1 ? url.length : query;
  if (hash !== -1 && hash < end) end = hash;
  return url.slice(start, end);
}

/** The host (with its port) of an absolute URL, or undefined for a path. */
function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const scheme = url.indexOf('://');
  if (scheme === -1) return undefined;
  const start = scheme + 3;
  let end = url.length;
  for (const stop of ['/', '?', '#']) {
    const at = url.indexOf(stop, start);
    if (at !== -1 && at < end) end = at;
  }
  // A Request's URL never carries user:password@ (fetch refuses to build one).
  return url.slice(start, end);
}
