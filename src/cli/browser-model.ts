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
  normalizeMethod,
} from '../spec/fetch-standard.js';
import { parseTokenList } from '../spec/header-list.js';
import { corsUnsafeRequestHeaders, type UnsafeRequestHeader } from '../spec/request-safelist.js';
import { problem, type Problem } from './problems.js';

export type Engine = keyof typeof MAX_AGE_CAP_SECONDS;
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

/** A response as the CORS algorithms see it. */
export interface ResponseHead {
  readonly status: number;
  /** Lower-case names; several lines of one name joined with ', ', as a browser's "get" does. */
  readonly headers: Readonly<Record<string, string>>;
  /** How many lines carried each lower-case name. */
  readonly lineCounts: Readonly<Record<string, number>>;
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
}

/** What fetch() actually does with a PageRequest. */
export interface RequestPlan {
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
  return Object.prototype.hasOwnProperty.call(headers, name);
}

function get(response: ResponseHead, name: string): string | undefined {
  return has(response.headers, name) ? response.headers[name] : undefined;
}

/** Decides what fetch() sends, and whether a preflight comes first. */
export function planRequest(page: PageRequest): RequestPlan {
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
  const unsafeHeaders = corsUnsafeRequestHeaders(headers);
  const preflightReasons: string[] = [];
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
    method,
    headers,
    unsafeHeaders,
    preflight: preflightReasons.length > 0,
    preflightReasons,
    preflightHeaders,
    problems,
  };
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
export function corsCheck(response: ResponseHead, origin: string, credentials: boolean, where: string): Problem[] {
  const allowOrigin = get(response, 'access-control-allow-origin');
  if (allowOrigin === undefined) {
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
        'enable credentials in the server\'s CORS configuration (allowCredentials: true) so it sends Access-Control-Allow-Credentials: true',
      ),
    ];
  }
  return [
    problem(
      'allow-credentials-not-true',
      `${where} has Access-Control-Allow-Credentials: '${allowCredentials}', and only the exact lower-case value 'true' (sent once) counts`,
      "send Access-Control-Allow-Credentials: true, once, in lower case",
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

/** Parses `Access-Control-Max-Age` as a browser does: one line of digits, else the default. */
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

/** Evaluates a preflight response for the request it precedes (Fetch "CORS-preflight fetch"). */
export function evaluatePreflight(
  plan: RequestPlan,
  page: PageRequest,
  response: ResponseHead,
  engines: readonly Engine[],
): PreflightVerdict {
  const where = 'The preflight response';
  const problems: Problem[] = [];
  const status = statusProblem(response.status, where, page.origin);
  if (status !== undefined) problems.push(status);
  const cors = corsCheck(response, page.origin, page.credentials, where);
  problems.push(...cors);
  const cacheSeconds = { chromium: 0, firefox: 0, webkit: 0 };
  if (problems.length > 0) return { problems, cacheSeconds };

  const methodsValue = get(response, 'access-control-allow-methods');
  const headersValue = get(response, 'access-control-allow-headers');
  const methods = methodsValue === undefined ? [] : parseTokenList(methodsValue);
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

  const method = plan.method;
  if (!methods.includes(method) && !SAFELISTED_METHODS.has(method)) {
    if (!page.credentials && methods.includes('*')) {
      // Covered by the wildcard.
    } else if (methods.includes('*')) {
      problems.push(
        problem(
          'method-wildcard-credentials',
          `Access-Control-Allow-Methods is '*', which means the literal name '*' for a request with credentials, so ${method} is not allowed`,
          `list ${method} explicitly in the allowed methods`,
        ),
      );
    } else if (methods.some((m) => m.toLowerCase() === method.toLowerCase())) {
      problems.push(
        problem(
          'method-case-mismatch',
          `Access-Control-Allow-Methods has '${methods.find((m) => m.toLowerCase() === method.toLowerCase())}' but the request's method is '${method}'; methods are compared case-sensitively` +
            (method !== method.toUpperCase() ? ` (fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so '${method}' stays as written)` : ''),
          method !== method.toUpperCase()
            ? `write the method in upper case in the page: method: '${method.toUpperCase()}'`
            : `list the method exactly as '${method}' in the allowed methods`,
        ),
      );
    } else {
      problems.push(
        problem(
          'method-not-allowed',
          `the preflight response does not allow method ${method} (Access-Control-Allow-Methods: ${methodsValue === undefined ? 'absent' : `'${methodsValue}'`})`,
          `add ${method} to the server's allowed methods`,
        ),
      );
    }
  }

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
            (missing.includes('content-type') ? ' (Content-Type is safelisted only for form and text/plain bodies; JSON needs it allowed)' : ''),
        ),
      );
    }
  }
  if (problems.length > 0) return { problems, cacheSeconds };

  const maxAge = preflightMaxAge(response);
  const raw = get(response, 'access-control-max-age');
  if (raw !== undefined && maxAge === undefined) {
    problems.push(
      problem(
        'max-age-invalid',
        `Access-Control-Max-Age is '${raw}'${(response.lineCounts['access-control-max-age'] ?? 1) > 1 ? ' (on several lines)' : ''}, which browsers cannot parse, so they cache the preflight for ${DEFAULT_MAX_AGE_SECONDS} seconds`,
        'send a single non-negative number of seconds, at most 600 to be honoured everywhere',
      ),
    );
  }
  const seconds = maxAge ?? DEFAULT_MAX_AGE_SECONDS;
  const clamped: string[] = [];
  for (const engine of ENGINES) {
    cacheSeconds[engine] = Math.min(seconds, MAX_AGE_CAP_SECONDS[engine]);
    if (engines.includes(engine) && seconds > MAX_AGE_CAP_SECONDS[engine]) {
      clamped.push(`${engine} caps it at ${MAX_AGE_CAP_SECONDS[engine]}`);
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
  return { problems, cacheSeconds };
}

/** Whether the page can read one response header. */
export interface HeaderAccess {
  readonly name: string;
  readonly readable: boolean;
  /** Whether the response had the header at all. */
  readonly present: boolean;
}

/** Which of `wanted` the page can read from a response that passed the CORS check. */
export function readableHeaders(
  response: ResponseHead,
  credentials: boolean,
  wanted: readonly string[],
): { access: HeaderAccess[]; problems: Problem[] } {
  const value = get(response, 'access-control-expose-headers');
  const exposed = value === undefined ? [] : parseTokenList(value) ?? [];
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
    const readable = SAFELISTED_RESPONSE_HEADERS.has(lower) || exposedLower.has(lower) || all;
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
