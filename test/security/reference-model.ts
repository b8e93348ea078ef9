/**
 * A reference model of CORS, written from the WHATWG Fetch standard and corsguard's documented
 * behaviour, sharing no code with `src/`. It is meant to be obviously correct rather than fast:
 * plain loops, `new URL()` for origins, `split` and regular expressions on trusted test input.
 *
 * Two halves:
 * - the server side: which origins, methods and headers a configuration allows;
 * - the browser side: the Fetch "CORS check" and "CORS-preflight fetch" steps a browser runs
 *   on a response, so a test can ask "would a browser let this request through?".
 */
import type { CorsOptions } from '../../src/core/options.js';

// ---------------------------------------------------------------------------------------------
// Words of the standard

/** Fetch: CORS-safelisted method. */
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
/** Fetch: the methods "normalize a method" upper-cases. */
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
/** Fetch: forbidden methods. */
const FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];
/** Fetch: CORS-safelisted response-header names, readable without Access-Control-Expose-Headers. */
const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
];
/** RFC 9110 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

export function normalizeMethod(method: string): string {
  return NORMALIZED_METHODS.includes(method.toUpperCase()) ? method.toUpperCase() : method;
}

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

// ---------------------------------------------------------------------------------------------
// Origins

/**
 * Whether a browser could send `value` as the `Origin` of a tuple origin. The definition:
 * 1. it is the WHATWG serialization of the origin of a URL: `new URL(value).origin === value`
 *    (so lower case, no path, no userinfo, no default port, canonical IP addresses, punycode);
 * 2. its scheme is http or https (documents and workers are fetched over HTTP);
 * 3. its host is an IP address, or labels of ASCII letters, digits, `-` and `_` (the names DNS
 *    can resolve; WebKit once allowed `{` and `}` in hosts, but no resolver answers for them);
 * 4. its port is not 0 (Fetch's bad-port list), so no page can be loaded from it.
 * One more rule is corsguard's choice rather than the standard's: a host with a trailing dot
 * (`https://example.com.`) is a different origin that no configuration can name, and is refused.
 */
export function isBrowserOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin !== value) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.port === '0') return false;
  const host = url.hostname;
  if (host.startsWith('[')) return true;
  return host.split('.').every((label) => /^[a-z0-9_-]+$/.test(label));
}

interface OriginPatternModel {
  scheme: string;
  host: string;
  anySubdomain: boolean;
  /** A port, '' for the default one, or '*'. */
  port: string;
}

function readPattern(entry: string): OriginPatternModel | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^:/]+|\[[^\]]+\])(?::(\*|[0-9]+))?$/.exec(entry);
  if (m === null) return undefined;
  const [, scheme, star, host, port] = m;
  if (star === undefined && port !== '*') return undefined; // an exact origin, not a pattern
  return { scheme: scheme!, host: host!, anySubdomain: star !== undefined, port: port ?? '' };
}

/** Whether the configuration lets `origin` read responses (without asking a predicate). */
export function modelAllowsOrigin(options: CorsOptions, origin: string): boolean {
  const entries = asList(options.allowOrigins);
  if (entries.includes('*')) return true;
  // Exact entries and 'null' are compared byte for byte, as browsers compare ACAO.
  if (entries.includes(origin)) return true;
  if (origin !== 'null') {
    if (!isBrowserOrigin(origin)) return false;
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    for (const entry of entries) {
      const p = readPattern(entry);
      if (p === undefined || p.scheme !== scheme) continue;
      const hostMatches = p.anySubdomain ? url.hostname.endsWith(`.${p.host}`) : url.hostname === p.host;
      const portMatches = p.port === '*' || p.port === url.port;
      if (hostMatches && portMatches) return true;
    }
  }
  const regex = options.allowOriginRegex;
  if (regex !== undefined) {
    const source = typeof regex === 'string' ? regex : regex.source;
    const flags = typeof regex === 'string' ? '' : regex.flags;
    // Always a full match of the origin, as Starlette's re.fullmatch.
    if (new RegExp(`^(?:${source})$`, flags).test(origin)) return true;
  }
  return false;
}

export function modelAllowsEveryOrigin(options: CorsOptions): boolean {
  return asList(options.allowOrigins).includes('*');
}

// ---------------------------------------------------------------------------------------------
// Methods and headers

export function modelAllowsMethod(options: CorsOptions, method: string): boolean {
  if (SAFELISTED_METHODS.includes(method)) return true;
  const list = asList(options.allowMethods);
  if (list.includes('*')) return isToken(method) && !FORBIDDEN_METHODS.includes(method.toUpperCase());
  // A configured `put` means what fetch() sends for it: `PUT`.
  return list.map(normalizeMethod).includes(method);
}

/**
 * The names in an `Access-Control-Request-Headers` value, lower-cased, or undefined when an
 * element is not a header name.
 */
export function requestedHeaderNames(value: string): string[] | undefined {
  const names: string[] = [];
  for (const element of value.split(',')) {
    const name = element.replace(/^[ \t]+|[ \t]+$/g, '');
    if (name === '') continue;
    if (!isToken(name)) return undefined;
    names.push(name.toLowerCase());
  }
  return names;
}

export function modelAllowsHeader(options: CorsOptions, lowerName: string): boolean {
  const list = asList(options.allowHeaders).map((h) => h.toLowerCase());
  if (list.includes(lowerName)) return true;
  // `*` never covers Authorization (Fetch: CORS non-wildcard request-header name).
  return list.includes('*') && lowerName !== 'authorization';
}

// ---------------------------------------------------------------------------------------------
// What corsguard answers, per its documented behaviour

export type PreflightOutcome = 'origin-refused' | 'method-refused' | 'headers-refused' | 'allowed';

export function modelPreflight(
  options: CorsOptions,
  origin: string,
  requestMethod: string,
  requestHeaders: string | undefined,
): PreflightOutcome {
  if (!modelAllowsOrigin(options, origin)) return 'origin-refused';
  if (!modelAllowsMethod(options, requestMethod)) return 'method-refused';
  if (requestHeaders !== undefined) {
    const names = requestedHeaderNames(requestHeaders);
    if (names === undefined || !names.every((name) => modelAllowsHeader(options, name))) return 'headers-refused';
  }
  return 'allowed';
}

/** What an actual (non-preflight) response must say. */
export interface ActualExpectation {
  /** `Access-Control-Allow-Origin`, or null for none. */
  readonly allowOrigin: string | null;
  readonly allowCredentials: boolean;
  /** Header names a script must be able to read (lower case); empty when denied. */
  readonly readable: readonly string[];
  /** Whether `Vary` must name `Origin` (the answer depends on it). */
  readonly varyOrigin: boolean;
}

export function modelActual(options: CorsOptions, origin: string | undefined): ActualExpectation {
  const exposed = asList(options.exposeHeaders)
    .filter((h) => h !== '*')
    .map((h) => h.toLowerCase());
  if (modelAllowsEveryOrigin(options)) {
    return { allowOrigin: '*', allowCredentials: false, readable: exposed, varyOrigin: false };
  }
  if (origin !== undefined && modelAllowsOrigin(options, origin)) {
    return { allowOrigin: origin, allowCredentials: options.allowCredentials === true, readable: exposed, varyOrigin: true };
  }
  return { allowOrigin: null, allowCredentials: false, readable: [], varyOrigin: true };
}

// ---------------------------------------------------------------------------------------------
// The browser side (Fetch §4.10 CORS check, §4.8 CORS-preflight fetch)

/** Reads a response header as Fetch's "get" does: all lines joined with ", ", or null. */
export type HeaderGetter = (lowerName: string) => string | null;

export type CredentialsMode = 'include' | 'omit';

/** Fetch "CORS check". */
export function browserCorsCheck(get: HeaderGetter, origin: string, credentials: CredentialsMode): boolean {
  const allowOrigin = get('access-control-allow-origin');
  if (allowOrigin === null) return false;
  if (credentials !== 'include' && allowOrigin === '*') return true;
  if (allowOrigin !== origin) return false;
  if (credentials !== 'include') return true;
  return get('access-control-allow-credentials') === 'true';
}

/** Fetch "extracting header list values" for the #token lists of the CORS headers. */
function extractList(get: HeaderGetter, name: string): string[] | null | 'failure' {
  const value = get(name);
  if (value === null) return null;
  const out: string[] = [];
  for (const element of value.split(',')) {
    const item = element.replace(/^[ \t]+|[ \t]+$/g, '');
    if (item === '') continue;
    if (!isToken(item)) return 'failure';
    out.push(item);
  }
  return out;
}

/**
 * Fetch "CORS-preflight fetch", steps after the response arrives: whether the browser goes on
 * to send the actual request with `method` and the CORS-unsafe header names `unsafeNames`.
 */
export function browserPreflightCheck(
  status: number,
  get: HeaderGetter,
  origin: string,
  method: string,
  unsafeNames: readonly string[],
  credentials: CredentialsMode,
): boolean {
  if (!browserCorsCheck(get, origin, credentials) || status < 200 || status > 299) return false;
  const methods = extractList(get, 'access-control-allow-methods');
  const headerNames = extractList(get, 'access-control-allow-headers');
  if (methods === 'failure' || headerNames === 'failure') return false;
  const methodList = methods ?? [];
  const headerList = (headerNames ?? []).map((h) => h.toLowerCase());
  if (!methodList.includes(method) && !SAFELISTED_METHODS.includes(method) && (credentials === 'include' || !methodList.includes('*'))) {
    return false;
  }
  for (const name of unsafeNames) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' && !headerList.includes('authorization')) return false;
    if (!headerList.includes(lower) && (credentials === 'include' || !headerList.includes('*'))) return false;
  }
  return true;
}

/** Fetch: the max-age a browser takes from a successful preflight (before its own cap). */
export function browserMaxAge(get: HeaderGetter): number {
  const value = get('access-control-max-age');
  if (value === null || !/^[0-9]+$/.test(value)) return 5;
  return Number(value);
}

/** Whether a script may read `lowerName` on a response that passed the CORS check. */
export function browserCanRead(get: HeaderGetter, lowerName: string, credentials: CredentialsMode): boolean {
  if (SAFELISTED_RESPONSE_HEADERS.includes(lowerName)) return true;
  if (lowerName === 'set-cookie' || lowerName === 'set-cookie2') return false;
  const list = extractList(get, 'access-control-expose-headers');
  if (list === null || list === 'failure') return false;
  if (credentials !== 'include' && list.includes('*')) return true;
  return list.map((h) => h.toLowerCase()).includes(lowerName);
}
