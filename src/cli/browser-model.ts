/**
 * The client side of the CORS protocol, as the WHATWG Fetch standard has a browser run it for
 * `fetch(url, { mode: 'cors' })`: whether a preflight is needed, what it sends, how the
 * preflight and the actual response are judged, and which response headers the page can read.
 * Pure functions over response heads: the CLI does the I/O.
 */
import {
  DEFAULT_MAX_AGE_SECONDS,
  FORBIDDEN_RESPONSE_HEADERS,
  HEADER,
  MAX_AGE_CAP_SECONDS,
  SAFELISTED_METHODS,
  SAFELISTED_RESPONSE_HEADERS,
  isForbiddenRequestHeaderName,
  isToken,
  normalizeMethod,
} from '../protocol/fetch-standard.js';
import {
  ENGINE_GRANTS_NULL_METHODS_LIST,
  ENGINE_MAX_AGE_RULES,
  ENGINE_TRIMS_HEADER_NAME,
  maxAgeSeconds,
  readMaxAge,
  trimmedHeaderName,
  type MaxAgeReading,
} from '../protocol/engine-differences.js';
import { parseTokenList } from '../protocol/header-list.js';
import {
  corsUnsafeRequestHeaders,
  ENGINE_SAFELIST_RULES,
  STANDARD_SAFELIST_RULES,
  type UnsafeRequestHeader,
} from '../protocol/request-safelist.js';
import { problem, type Problem } from './problems.js';

export type Engine = keyof typeof MAX_AGE_CAP_SECONDS;
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];
const ENGINE_LABELS: Readonly<Record<Engine, string>> = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/** The one engine a list names, or undefined for several (then the standard's reading applies). */
function singleEngine(engines: readonly Engine[]): Engine | undefined {
  return engines.length === 1 ? engines[0] : undefined;
}

/** 'Chromium', 'Chromium and WebKit', 'Chromium, Firefox and WebKit'. */
function engineList(engines: readonly Engine[]): string {
  const labels = engines.map((e) => ENGINE_LABELS[e]);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** A response as the CORS algorithms see it. */
export interface ResponseHead {
  readonly status: number;
  /** Lower-case names; several lines of one name joined with ', ', as a browser's "get" does. */
  readonly headers: Readonly<Record<string, string>>;
  /** How many lines carried each lower-case name. */
  readonly lineCounts: Readonly<Record<string, number>>;
  /**
   * Header lines as received, names exactly as on the wire (`headers` and `lineCounts` hold only
   * well-formed names). Engines differ on a malformed name such as `Access-Control-Allow-Origin `.
   */
  readonly lines?: readonly (readonly [string, string])[];
}

/** What the page asks fetch() to do. */
export interface PageRequest {
  readonly origin: string;
  /** As written in the page; fetch() normalizes it. */
  readonly method: string;
  /** Author request headers in order, as given to `new Headers()`. */
  readonly headers: readonly (readonly [string, string])[];
  /** `credentials: 'include'` */
  readonly credentials: boolean;
  readonly body?: string | undefined;
  /**
   * The use-CORS-preflight flag: an XMLHttpRequest with upload listeners or a `ReadableStream`
   * body. It forces a preflight, and (by the standard, not in any engine) lets an absent
   * `Access-Control-Allow-Methods` grant the request's own method.
   */
  readonly useCorsPreflight?: boolean | undefined;
  /** The URL requested, when known: a request to the page's own origin uses no CORS at all. */
  readonly url?: string | undefined;
}

/** What fetch() actually does with a PageRequest. */
export interface RequestPlan {
  /** The URL has the page's origin: no preflight, no CORS check, every response header readable. */
  readonly sameOrigin: boolean;
  /** The method after fetch() normalized it (`put` becomes `PUT`, `patch` stays `patch`). */
  readonly method: string;
  /** Headers sent on the actual request (forbidden names dropped, default Content-Type added). */
  readonly headers: readonly (readonly [string, string])[];
  readonly unsafeHeaders: readonly UnsafeRequestHeader[];
  readonly preflight: boolean;
  /** Why a preflight is needed, one line per cause. */
  readonly preflightReasons: readonly string[];
  /** Request headers of the preflight, in the order a browser sends them. */
  readonly preflightHeaders: readonly (readonly [string, string])[];
  /** Warnings about the request itself (headers a browser refuses to set). */
  readonly problems: readonly Problem[];
}

function has(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.hasOwn(headers, name);
}

function get(response: ResponseHead, name: string): string | undefined {
  return has(response.headers, name) ? response.headers[name] : undefined;
}

/** Whether `url` has the origin `origin` (then fetch() uses no CORS: no preflight, no checks). */
export function isSameOriginRequest(origin: string, url: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Decides what fetch() sends, and whether a preflight comes first: by the standard, or, given an
 * engine, as that engine does (Chromium and WebKit join same-name headers before the safelist
 * check, Firefox has no 1024-byte total, WebKit reads the Range unit in any case, Chromium
 * safelists some client hints).
 */
export function planRequest(page: PageRequest, engine?: Engine): RequestPlan {
  const method = normalizeMethod(page.method);
  const problems: Problem[] = [];
  const headers: [string, string][] = [];
  for (const [name, value] of page.headers) {
    if (isForbiddenRequestHeaderName(name.toLowerCase())) {
      problems.push(
        problem(
          'request-header-forbidden',
          `${name} is a forbidden request header: fetch() silently drops it, so it was not sent`,
          'the browser sets this header itself; a page cannot',
        ),
      );
      continue;
    }
    headers.push([name, value]);
  }
  if (page.body !== undefined && !headers.some(([name]) => name.toLowerCase() === 'content-type')) {
    // fetch() labels a string body itself.
    headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
  }
  const sameOrigin = page.url !== undefined && isSameOriginRequest(page.origin, page.url);
  const rules = engine === undefined ? STANDARD_SAFELIST_RULES : ENGINE_SAFELIST_RULES[engine];
  // fetch() adds Accept: */* before the check, so it counts toward the 1024-byte total.
  const checked = headers.some(([name]) => name.toLowerCase() === 'accept') ? headers : [['Accept', '*/*'] as const, ...headers];
  const unsafeHeaders = sameOrigin ? [] : corsUnsafeRequestHeaders(checked, rules).map((unsafe) => joinedReason(unsafe, headers, engine));
  const preflightReasons: string[] = [];
  if (sameOrigin) {
    return { sameOrigin, method, headers, unsafeHeaders, preflight: false, preflightReasons, preflightHeaders: [], problems };
  }
  if (page.useCorsPreflight === true) {
    preflightReasons.push('the request has upload listeners or a stream body (the use-CORS-preflight flag), which always preflights');
  }
  if (!SAFELISTED_METHODS.has(method)) {
    preflightReasons.push(
      method === page.method || method.toUpperCase() !== method
        ? `method ${method} is not GET, HEAD or POST`
        : `method ${method} (fetch() upper-cased '${page.method}') is not GET, HEAD or POST`,
    );
  }
  for (const unsafe of unsafeHeaders) preflightReasons.push(`header ${unsafe.name}: ${unsafe.reason}`);
  const preflightHeaders: [string, string][] = [
    ['Accept', '*/*'],
    [HEADER.requestMethod, method],
  ];
  if (unsafeHeaders.length > 0) {
    preflightHeaders.push([HEADER.requestHeaders, unsafeHeaders.map((h) => h.name).join(',')]);
  }
  preflightHeaders.push([HEADER.origin, page.origin]);
  return {
    sameOrigin,
    method,
    headers,
    unsafeHeaders,
    preflight: preflightReasons.length > 0,
    preflightReasons,
    preflightHeaders,
    problems,
  };
}

/** Says so when the engine judged several same-name headers as one joined value. */
function joinedReason(
  unsafe: UnsafeRequestHeader,
  headers: readonly (readonly [string, string])[],
  engine: Engine | undefined,
): UnsafeRequestHeader {
  if (engine === undefined || !ENGINE_SAFELIST_RULES[engine].joinsSameName) return unsafe;
  let lines = 0;
  for (const [name] of headers) if (name.toLowerCase() === unsafe.name) lines++;
  if (lines < 2) return unsafe;
  return {
    name: unsafe.name,
    reason: `${unsafe.reason} (${ENGINE_LABELS[engine]} joins the ${lines} ${unsafe.name} headers into one value before checking)`,
  };
}

/**
 * The response as one engine reads it. Where a header line's name is malformed (white space
 * before the colon), Chromium strips the white space and uses the line, while Firefox and WebKit
 * ignore it; without an engine, or without such a line, the well-formed `headers` stand.
 */
export function responseAsSeenBy(response: ResponseHead, engine: Engine | undefined): ResponseHead {
  const lines = response.lines;
  if (engine === undefined || lines === undefined || lines.every(([name]) => isToken(name))) return response;
  return { status: response.status, ...joinHeaderLines(lines, ENGINE_TRIMS_HEADER_NAME[engine]), lines };
}

/**
 * The lower-cased, joined view of header lines the browser model reads: lines of one name joined
 * with ', ' in order, and how many lines each name had. Only lines whose name is a token are taken;
 * with `trimNames`, spaces and tabs after the name are removed first (Chromium), without it the
 * name must be a token as received (Firefox, WebKit).
 */
export function joinHeaderLines(
  lines: readonly (readonly [string, string])[],
  trimNames: boolean,
): Pick<ResponseHead, 'headers' | 'lineCounts'> {
  const headers = Object.create(null) as Record<string, string>;
  const lineCounts = Object.create(null) as Record<string, number>;
  for (const [rawName, value] of lines) {
    const name = trimNames ? trimmedHeaderName(rawName) : rawName;
    if (!isToken(name)) continue;
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
    lineCounts[lower] = (lineCounts[lower] ?? 0) + 1;
  }
  return { headers, lineCounts };
}

/** The name, as received, of the first malformed line that Chromium would read as `lowerName`. */
function malformedLine(response: ResponseHead, lowerName: string): string | undefined {
  for (const [name] of response.lines ?? []) {
    if (!isToken(name) && trimmedHeaderName(name).toLowerCase() === lowerName) return name;
  }
  return undefined;
}

function originParts(origin: string): { scheme: string; host: string; port: string } | undefined {
  try {
    const url = new URL(origin);
    const scheme = url.protocol.slice(0, -1);
    const port = url.port !== '' ? url.port : scheme === 'https' ? '443' : scheme === 'http' ? '80' : '';
    return { scheme, host: url.hostname, port };
  } catch {
    return undefined;
  }
}

/** Names the way an `Access-Control-Allow-Origin` value misses the request's origin. */
function originMismatch(allowOrigin: string, origin: string, where: string): Problem {
  const fix = `send Access-Control-Allow-Origin: ${origin} exactly (byte for byte), or configure the allowed origin as '${origin}'`;
  if (allowOrigin === `${origin}/` || (allowOrigin.endsWith('/') && allowOrigin.slice(0, -1) === origin)) {
    return problem(
      'allow-origin-trailing-slash',
      `${where} Access-Control-Allow-Origin is '${allowOrigin}', with a trailing slash; the browser compares it byte for byte with '${origin}'`,
      `remove the trailing slash from the configured origin: '${origin}'`,
    );
  }
  if (allowOrigin.toLowerCase() === origin.toLowerCase()) {
    return problem(
      'allow-origin-case',
      `${where} Access-Control-Allow-Origin is '${allowOrigin}', which differs from '${origin}' only in case; the comparison is case-sensitive`,
      `write the origin in lower case, as browsers send it: '${origin}'`,
    );
  }
  const a = originParts(allowOrigin);
  const o = originParts(origin);
  if (a !== undefined && o !== undefined && a.host === o.host.toLowerCase()) {
    if (a.scheme !== o.scheme && (a.port === o.port || allowOrigin.indexOf(':', a.scheme.length + 3) === -1)) {
      return problem(
        'allow-origin-scheme',
        `${where} Access-Control-Allow-Origin is '${allowOrigin}', but the page's origin is '${origin}': the scheme differs`,
        `allow '${origin}' (http and https origins are different origins)`,
      );
    }
    if (a.scheme === o.scheme) {
      return problem(
        'allow-origin-port',
        `${where} Access-Control-Allow-Origin is '${allowOrigin}', but the page's origin is '${origin}': the port differs` +
          (a.port === o.port ? ' in how it is written (browsers omit the default port)' : ''),
        `allow '${origin}' exactly, port included (and a default port left out)`,
      );
    }
  }
  return problem(
    'allow-origin-mismatch',
    `${where} Access-Control-Allow-Origin is '${allowOrigin}', which is not the page's origin '${origin}'`,
    `if ${origin} should be allowed, add it to the server's allowed origins; ${fix}`,
  );
}

/**
 * The CORS check of a response (preflight, actual, or a redirect hop), with the actual
 * request's credentials mode. Returns every reason it fails; empty means it passes.
 */
export function corsCheck(received: ResponseHead, origin: string, credentials: boolean, where: string, engine?: Engine): Problem[] {
  const response = responseAsSeenBy(received, engine);
  const allowOrigin = get(response, 'access-control-allow-origin');
  if (allowOrigin === undefined) {
    const malformed = malformedLine(received, 'access-control-allow-origin');
    if (malformed !== undefined) {
      return [
        problem(
          'allow-origin-missing',
          `${where} sends '${malformed}:' with white space before the colon, which is not a valid header name: ${engine === undefined ? 'Firefox and WebKit ignore' : `${ENGINE_LABELS[engine]} ignores`} the line (only Chromium reads it), so ${origin} may not read the response`,
          "write the header name without white space before the colon ('Access-Control-Allow-Origin: ...'); a proxy or hand-written response usually adds it",
        ),
      ];
    }
    return [
      problem(
        'allow-origin-missing',
        `${where} has no Access-Control-Allow-Origin header, so the browser refuses to let ${origin} read it`,
        `allow the origin ${origin} in the server's CORS configuration (and make sure the CORS layer answers this route and method)`,
      ),
    ];
  }
  if ((response.lineCounts['access-control-allow-origin'] ?? 1) > 1 || (allowOrigin !== origin && allowOrigin.includes(','))) {
    return [
      problem(
        'allow-origin-multiple',
        `${where} has several Access-Control-Allow-Origin values ('${allowOrigin}'); a browser reads them as one joined value, which never matches`,
        'send the header from one place only: two CORS layers are stacked (for example a middleware and the framework, or a proxy and the app); remove one',
      ),
    ];
  }
  if (allowOrigin === '*') {
    if (!credentials) return [];
    return [
      problem(
        'allow-origin-wildcard-credentials',
        `${where} has Access-Control-Allow-Origin: *, which a browser refuses for a request with credentials`,
        `echo the request's origin (${origin}) instead of '*' when credentials are allowed, and add Vary: Origin`,
      ),
    ];
  }
  if (allowOrigin !== origin) return [originMismatch(allowOrigin, origin, where)];
  if (!credentials) return [];
  const allowCredentials = get(response, 'access-control-allow-credentials');
  if (allowCredentials === 'true') return [];
  if (allowCredentials === undefined) {
    return [
      problem(
        'allow-credentials-missing',
        `${where} has no Access-Control-Allow-Credentials: true, which a request with credentials needs`,
        "enable credentials in the server's CORS configuration (allowCredentials: true) so it sends Access-Control-Allow-Credentials: true",
      ),
    ];
  }
  return [
    problem(
      'allow-credentials-not-true',
      `${where} has Access-Control-Allow-Credentials: '${allowCredentials}', and only the exact lower-case value 'true' (sent once) counts`,
      'send Access-Control-Allow-Credentials: true, once, in lower case',
    ),
  ];
}

/** A preflight's outcome. */
export interface PreflightVerdict {
  readonly problems: Problem[];
  /** Seconds each engine caches this answer. */
  readonly cacheSeconds: Readonly<Record<Engine, number>>;
}

function statusProblem(status: number, where: string, origin: string): Problem | undefined {
  if (status >= 200 && status <= 299) return undefined;
  const options = 'let OPTIONS requests that carry Access-Control-Request-Method reach the CORS layer first';
  if (status >= 300 && status <= 399) {
    return problem(
      'preflight-redirect',
      `${where} was answered with a ${status} redirect; browsers never follow redirects of a preflight`,
      'call the final URL directly (often a trailing-slash redirect: match the route exactly), or answer preflights before any redirect',
    );
  }
  if (status === 401) {
    return problem(
      'preflight-unauthorized',
      `${where} was answered 401: authentication runs before CORS, and preflights never carry credentials`,
      `put the CORS layer before authentication (${options})`,
    );
  }
  if (status === 403) {
    return problem(
      'preflight-forbidden',
      `${where} was answered 403: either the server's CORS policy does not allow ${origin}, or an authorization layer refused the preflight (preflights never carry credentials)`,
      `allow ${origin} in the CORS configuration; if it is allowed, ${options}`,
    );
  }
  if (status === 404 || status === 405) {
    return problem(
      'preflight-no-options-route',
      `${where} was answered ${status}: no route handles OPTIONS for this URL, so the CORS layer never answered it`,
      'mount the CORS middleware globally (before routing), so it answers OPTIONS for every route',
    );
  }
  if (status >= 500) {
    return problem(
      'preflight-server-error',
      `${where} was answered ${status}: the server failed while handling OPTIONS`,
      `look at the server's logs for the OPTIONS request; ${options}`,
    );
  }
  return problem(
    'preflight-status',
    `${where} was answered ${status}; a preflight must get a 2xx status`,
    `${options}, and answer it with 204`,
  );
}

/**
 * Parses `Access-Control-Max-Age` as the standard does: one line of digits, else undefined (the
 * standard then caches 5 seconds). Engines differ: see preflightCacheSeconds.
 */
export function preflightMaxAge(response: ResponseHead): number | undefined {
  const value = get(response, 'access-control-max-age');
  if (value === undefined || (response.lineCounts['access-control-max-age'] ?? 1) > 1) return undefined;
  if (value.length === 0 || value.length > 12) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(value);
}

/** How one engine reads a response's `Access-Control-Max-Age`. */
function engineMaxAge(response: ResponseHead, engine: Engine): MaxAgeReading {
  const seen = responseAsSeenBy(response, engine);
  return readMaxAge(get(seen, 'access-control-max-age'), ENGINE_MAX_AGE_RULES[engine]);
}

/**
 * Seconds an engine keeps a preflight answer: absent means 5; a negative number (`-1`) or 0 means
 * not at all; an unparseable value (`600s`, two lines) means 5 in Chromium and WebKit and not at
 * all in Firefox; `+600` is 600 in Chromium and WebKit and unparseable in Firefox; then the cap.
 */
export function preflightCacheSeconds(response: ResponseHead, engine: Engine): number {
  return Math.min(maxAgeSeconds(engineMaxAge(response, engine), ENGINE_MAX_AGE_RULES[engine]), MAX_AGE_CAP_SECONDS[engine]);
}

/** What one engine does with a Max-Age that is not one plain number, in words. */
function maxAgeOutcome(response: ResponseHead, engine: Engine): string {
  const reading = engineMaxAge(response, engine);
  const seconds = maxAgeSeconds(reading, ENGINE_MAX_AGE_RULES[engine]);
  if (seconds === 0) return `${ENGINE_LABELS[engine]} does not cache the preflight`;
  if (reading.kind === 'unparseable') return `${ENGINE_LABELS[engine]} caches it for its default ${seconds} seconds`;
  return `${ENGINE_LABELS[engine]} reads it as ${seconds} seconds`;
}

/**
 * Evaluates a preflight response for the request it precedes (Fetch "CORS-preflight fetch"):
 * for one engine as that engine does; for several, by the standard where they read the response
 * differently and as all of them where they agree; for none (`[]`), by the standard.
 */
export function evaluatePreflight(
  plan: RequestPlan,
  page: PageRequest,
  received: ResponseHead,
  engines: readonly Engine[],
): PreflightVerdict {
  const where = 'The preflight response';
  const problems: Problem[] = [];
  const engine = singleEngine(engines);
  const response = responseAsSeenBy(received, engine);
  const status = statusProblem(response.status, where, page.origin);
  if (status !== undefined) problems.push(status);
  const cors = corsCheck(received, page.origin, page.credentials, where, engine);
  problems.push(...cors);
  const cacheSeconds = { chromium: 0, firefox: 0, webkit: 0 };
  if (problems.length > 0) return { problems, cacheSeconds };

  const methodsValue = get(response, 'access-control-allow-methods');
  const headersValue = get(response, 'access-control-allow-headers');
  // An absent header is a null list, not an empty one: by the standard, a request with the
  // use-CORS-preflight flag then counts its own method as allowed. No engine does (measured).
  const nullListGrants =
    methodsValue === undefined && page.useCorsPreflight === true && engines.every((e) => ENGINE_GRANTS_NULL_METHODS_LIST[e]);
  const methods = methodsValue === undefined ? (nullListGrants ? [plan.method] : []) : parseTokenList(methodsValue);
  const headerNames = headersValue === undefined ? [] : parseTokenList(headersValue);
  if (methods === undefined) {
    problems.push(
      problem(
        'allow-methods-malformed',
        `Access-Control-Allow-Methods is '${methodsValue}', which is not a comma-separated list of method names; the browser fails the preflight`,
        "send method names separated by commas, as in 'GET, PUT, DELETE'",
      ),
    );
  }
  if (headerNames === undefined) {
    problems.push(
      problem(
        'allow-headers-malformed',
        `Access-Control-Allow-Headers is '${headersValue}', which is not a comma-separated list of header names; the browser fails the preflight`,
        "send header names separated by commas, as in 'Authorization, Content-Type'",
      ),
    );
  }
  if (methods === undefined || headerNames === undefined) return { problems, cacheSeconds };

  const methodProblem = methodNotAllowed(plan.method, methods, methodsValue, page, engines);
  if (methodProblem !== undefined) problems.push(methodProblem);
  problems.push(...headersNotAllowed(plan, page, headerNames, headersValue));
  if (problems.length > 0) return { problems, cacheSeconds };
  problems.push(...maxAgeProblems(received, response, engines, cacheSeconds));
  return { problems, cacheSeconds };
}

/** Why the preflight response does not allow the request's method (Fetch "CORS-preflight fetch", step 7.5), or undefined. */
function methodNotAllowed(
  method: string,
  methods: readonly string[],
  methodsValue: string | undefined,
  page: PageRequest,
  engines: readonly Engine[],
): Problem | undefined {
  if (!methods.includes(method) && !SAFELISTED_METHODS.has(method)) {
    if (!page.credentials && methods.includes('*')) {
      // Covered by the wildcard.
    } else if (methods.includes('*')) {
      return problem(
        'method-wildcard-credentials',
        `Access-Control-Allow-Methods is '*', which means the literal name '*' for a request with credentials, so ${method} is not allowed`,
        `list ${method} explicitly in the allowed methods`,
      );
    } else if (methods.some((m) => m.toLowerCase() === method.toLowerCase())) {
      return problem(
        'method-case-mismatch',
        `Access-Control-Allow-Methods has '${methods.find((m) => m.toLowerCase() === method.toLowerCase())}' but the request's method is '${method}'; methods are compared case-sensitively` +
          (method !== method.toUpperCase()
            ? ` (fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so '${method}' stays as written)`
            : ''),
        method !== method.toUpperCase()
          ? `write the method in upper case in the page: method: '${method.toUpperCase()}'`
          : `list the method exactly as '${method}' in the allowed methods`,
      );
    } else {
      const standardGrants = methodsValue === undefined && page.useCorsPreflight === true;
      return problem(
        'method-not-allowed',
        `the preflight response does not allow method ${method} (Access-Control-Allow-Methods: ${methodsValue === undefined ? 'absent' : `'${methodsValue}'`})` +
          (standardGrants
            ? `; the Fetch standard lets an absent list grant the request's own method when it has upload listeners or a stream body, but ${engineList(engines)} ${engines.length > 1 ? 'do' : 'does'} not`
            : ''),
        `add ${method} to the server's allowed methods`,
      );
    }
  }
  return undefined;
}

/** Why the preflight response does not allow the request's headers, if it does not. */
function headersNotAllowed(
  plan: RequestPlan,
  page: PageRequest,
  headerNames: readonly string[],
  headersValue: string | undefined,
): Problem[] {
  const problems: Problem[] = [];
  const allowedLower = new Set(headerNames.map((n) => n.toLowerCase()));
  const wildcard = allowedLower.has('*');
  const requested = new Set(plan.headers.map(([name]) => name.toLowerCase()));
  if (requested.has('authorization') && !allowedLower.has('authorization')) {
    if (wildcard) {
      problems.push(
        problem(
          'authorization-wildcard',
          "Access-Control-Allow-Headers is '*', but '*' never covers Authorization: it must be listed by name",
          'list Authorization explicitly in the allowed headers',
        ),
      );
    }
  }
  const missing: string[] = [];
  for (const { name } of plan.unsafeHeaders) {
    if (allowedLower.has(name)) continue;
    if (name === 'authorization' && wildcard) continue; // reported above
    if (wildcard && !page.credentials) continue;
    missing.push(name);
  }
  if (missing.length > 0) {
    const list = missing.join(', ');
    if (wildcard) {
      problems.push(
        problem(
          'header-wildcard-credentials',
          `Access-Control-Allow-Headers is '*', which means the literal name '*' for a request with credentials, so ${list} ${missing.length > 1 ? 'are' : 'is'} not allowed`,
          `list ${list} explicitly in the allowed headers`,
        ),
      );
    } else {
      problems.push(
        problem(
          'header-not-allowed',
          `the preflight response does not allow the request header${missing.length > 1 ? 's' : ''} ${list} (Access-Control-Allow-Headers: ${headersValue === undefined ? 'absent' : `'${headersValue}'`})`,
          `add ${list} to the server's allowed headers` +
            (missing.includes('content-type')
              ? ' (Content-Type is safelisted only for form and text/plain bodies; JSON needs it allowed)'
              : ''),
        ),
      );
    }
  }
  return problems;
}

/** What is wrong with the preflight's Max-Age, filling in how long each engine caches the preflight. */
function maxAgeProblems(
  received: ResponseHead,
  response: ResponseHead,
  engines: readonly Engine[],
  cacheSeconds: Record<Engine, number>,
): Problem[] {
  const problems: Problem[] = [];
  const maxAge = preflightMaxAge(response);
  const raw = get(response, 'access-control-max-age');
  if (raw !== undefined && maxAge === undefined) {
    problems.push(
      problem(
        'max-age-invalid',
        `Access-Control-Max-Age is '${raw}'${(response.lineCounts['access-control-max-age'] ?? 1) > 1 ? ' (on several lines)' : ''}, which is not one non-negative number of seconds: ` +
          engines.map((e) => maxAgeOutcome(received, e)).join(', '),
        'send a single non-negative number of seconds (0 to turn the cache off), at most 600 to be honoured everywhere',
      ),
    );
  }
  const seconds = maxAge ?? DEFAULT_MAX_AGE_SECONDS;
  const clamped: string[] = [];
  for (const each of ENGINES) {
    cacheSeconds[each] = preflightCacheSeconds(received, each);
    if (engines.includes(each) && seconds > MAX_AGE_CAP_SECONDS[each]) {
      clamped.push(`${each} caps it at ${MAX_AGE_CAP_SECONDS[each]}`);
    }
  }
  if (clamped.length > 0) {
    problems.push(
      problem(
        'max-age-above-cap',
        `Access-Control-Max-Age is ${seconds} seconds, more than browsers honour: ${clamped.join(', ')}`,
        `lower maxAge to ${Math.min(...engines.map((e) => MAX_AGE_CAP_SECONDS[e]))} or less, so the cache time you configure is the one you get`,
      ),
    );
  }
  return problems;
}

/** Whether the page can read one response header. */
export interface HeaderAccess {
  readonly name: string;
  readonly readable: boolean;
  /** Whether the response had the header at all. */
  readonly present: boolean;
}

/**
 * Which of `wanted` the page can read from a response that passed the CORS check, as `engine`
 * reads the response; a same-origin response (RequestPlan.sameOrigin) shows every header but
 * Set-Cookie.
 */
export function readableHeaders(
  received: ResponseHead,
  credentials: boolean,
  wanted: readonly string[],
  engine?: Engine,
  sameOrigin = false,
): { access: HeaderAccess[]; problems: Problem[] } {
  const response = responseAsSeenBy(received, engine);
  const value = get(response, 'access-control-expose-headers');
  const exposed = value === undefined ? [] : (parseTokenList(value) ?? []);
  const exposedLower = new Set(exposed.map((n) => n.toLowerCase()));
  const all = !credentials && exposedLower.has('*');
  const access: HeaderAccess[] = [];
  const problems: Problem[] = [];
  for (const name of wanted) {
    const lower = name.toLowerCase();
    const present = has(response.headers, lower);
    if (FORBIDDEN_RESPONSE_HEADERS.has(lower)) {
      access.push({ name, readable: false, present });
      problems.push(
        problem(
          'header-never-exposed',
          `${name} is never readable by a page, whatever the server sends`,
          'read the cookie on the server; the browser stores it when credentials are included',
        ),
      );
      continue;
    }
    const readable = sameOrigin || SAFELISTED_RESPONSE_HEADERS.has(lower) || exposedLower.has(lower) || all;
    access.push({ name, readable, present });
    if (readable) continue;
    if (exposedLower.has('*')) {
      problems.push(
        problem(
          'expose-wildcard-credentials',
          `Access-Control-Expose-Headers is '*', which means the literal name '*' for a request with credentials, so ${name} is hidden from the page`,
          `list ${name} explicitly in the exposed headers`,
        ),
      );
    } else {
      problems.push(
        problem(
          'header-not-exposed',
          `${name} is not in Access-Control-Expose-Headers${value === undefined ? ' (absent)' : ` ('${value}')`}, so the page cannot read it`,
          `add ${name} to the server's exposed headers (exposeHeaders)`,
        ),
      );
    }
  }
  return { access, problems };
}
