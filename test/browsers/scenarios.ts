/**
 * The browser conformance table: what a page on another origin does against an API served
 * by corsguard, and what the browser lets it see. Every example and common issue of the
 * FastAPI CORS guide is here, plus the rules corsguard adds. Plain data (see scenario-types.ts).
 */
import type { CorsOptionFields, CorsOptions } from '../../src/core/options.js';
import {
  PAGE_ORIGIN,
  type EngineName,
  type PageKind,
  type RawServer,
  type RequestExpectation,
  type Scenario,
  type ScenarioOptions,
  type ScenarioRequest,
  type ScenarioStep,
} from './scenario-types.js';

export * from './scenario-types.js';

/**
 * The origin a scenario's `{page}` placeholder stands for: the http page server, as
 * `localhost` for same-site pages and `127.0.0.1` otherwise (file and sandboxed pages are
 * not on it: they send `null`).
 */
export function pageOrigin(kind: PageKind, pagePort: number): string {
  return kind === 'same-site' ? `http://localhost:${pagePort}` : `http://127.0.0.1:${pagePort}`;
}

/** The scenario's options as corsguard options, with the page origin filled in. */
export function resolveOptions(options: ScenarioOptions, origin: string): CorsOptions {
  const resolved: CorsOptionFields = { ...options };
  const origins = options.allowOrigins;
  if (origins !== undefined) {
    const list = typeof origins === 'string' ? [origins] : origins;
    resolved.allowOrigins = list.map((o) => (o === PAGE_ORIGIN ? origin : o));
  }
  return resolved as CorsOptions; // a scenario without an origin option tests the runtime refusal
}


// --- configurations from the guide -------------------------------------------------------------

/** The guide's first example, without `allow_credentials=True` (corsguard rejects `*` with credentials). */
const WILDCARD: ScenarioOptions = { allowOrigins: '*', allowMethods: '*', allowHeaders: '*' };

/** The guide's production example; the test page's origin stands in for the React dev server. */
const PRODUCTION: ScenarioOptions = {
  allowOrigins: ['http://localhost:3000', PAGE_ORIGIN, 'https://yourdomain.com', 'https://www.yourdomain.com'],
  allowCredentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
};

/** The production example as deployed, with the page's origin missing from the list. */
const PRODUCTION_WITHOUT_PAGE: ScenarioOptions = {
  ...PRODUCTION,
  allowOrigins: ['http://localhost:3000', 'https://yourdomain.com', 'https://www.yourdomain.com'],
};

/** The guide's "Exposing Custom Headers" example. */
const EXPOSING: ScenarioOptions = {
  allowOrigins: [PAGE_ORIGIN],
  allowCredentials: true,
  allowMethods: '*',
  allowHeaders: '*',
  exposeHeaders: ['Custom-Header', 'X-Total-Count'],
};

/** The guide's "Local File Origin Edge Case" example. */
const NULL_ORIGIN: ScenarioOptions = {
  allowOrigins: ['null'],
  dangerouslyAllowNullOrigin: true,
  allowCredentials: true,
  allowMethods: '*',
  allowHeaders: '*',
};

/** Custom headers alongside Authorization, listed explicitly. */
const API_KEYS: ScenarioOptions = {
  allowOrigins: [PAGE_ORIGIN],
  allowCredentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
  allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key'],
};

/** Only the page's origin, everything else at corsguard's defaults (safelisted methods and headers only). */
const DEFAULTS: ScenarioOptions = { allowOrigins: [PAGE_ORIGIN] };

/** Credentials with `*` for methods and headers: corsguard answers with what was asked, after checking it. */
const CREDENTIALED_WILDCARDS: ScenarioOptions = { allowOrigins: [PAGE_ORIGIN], allowCredentials: true, allowMethods: '*', allowHeaders: '*' };

/** A first-party session cookie: the frontend and the API share a site. */
const SESSION: ScenarioOptions = { allowOrigins: [PAGE_ORIGIN], allowCredentials: true, allowHeaders: ['Authorization', 'Content-Type'], allowMethods: ['PUT'] };

function cached(maxAge: number | undefined, extra: ScenarioOptions = API_KEYS): ScenarioOptions {
  return maxAge === undefined ? extra : { ...extra, maxAge };
}

// --- expectation shorthands ----------------------------------------------------------------------

/** The page reads a response: the handler ran once. */
function succeeds(extra: Partial<RequestExpectation> = {}): RequestExpectation {
  return { outcome: 'succeeds', status: 200, handlerRuns: 1, preflights: 0, ...extra };
}

/** The browser refused the preflight: the handler never ran. */
function blockedAtPreflight(extra: Partial<RequestExpectation> = {}): RequestExpectation {
  return { outcome: 'blocked', handlerRuns: 0, preflights: 1, ...extra };
}

/** A request without preflight that the browser hides from the page: the server did the work anyway. */
function blockedAfterHandler(extra: Partial<RequestExpectation> = {}): RequestExpectation {
  return { outcome: 'blocked', handlerRuns: 1, preflights: 0, ...extra };
}

/** Authorization and every request-body header allowed from any origin, without credentials. */
const REDIRECT_HEADERS: ScenarioOptions = {
  allowOrigins: '*',
  allowMethods: ['GET', 'PUT'],
  allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'Content-Location', 'Content-Disposition'],
};

/** The four request-body headers a redirect to GET removes, and one more it keeps. */
const BODY_HEADERS = {
  'Content-Type': 'application/json',
  'Content-Language': 'en',
  'Content-Encoding': 'identity',
  'Content-Location': '/drafts/1',
  'Content-Disposition': 'inline',
};

const GET_ITEMS: ScenarioRequest = { method: 'GET', route: 'items' };
const JSON_BODY = '{"name":"widget"}';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const BEARER = { Authorization: 'Bearer demo-token' };

function one(
  id: string,
  title: string,
  covers: string,
  options: ScenarioOptions,
  page: Scenario['page'],
  request: ScenarioRequest,
  expect: RequestExpectation,
): Scenario {
  return { id, title, covers, options, page, steps: [{ request, expect }] };
}

function several(
  id: string,
  title: string,
  covers: string,
  options: ScenarioOptions,
  page: Scenario['page'],
  ...steps: Scenario['steps']
): Scenario {
  return { id, title, covers, options, page, steps };
}

// --- where engines depart from the standard (issue 11, items 7, 16 and 17) ---------------------

/** One request from a cross-site page on which one engine differs from the other two, with the reason. */
function oneSplit(
  id: string,
  title: string,
  covers: string,
  options: ScenarioOptions,
  request: ScenarioRequest,
  expect: RequestExpectation,
  engine: EngineName,
  differs: Partial<RequestExpectation>,
  why: string,
  rawServer?: RawServer,
): Scenario {
  const step: ScenarioStep = { request, expect, engines: { [engine]: { expect: differs, why } } };
  return { id, title, covers, options, page: 'cross-site', steps: [step], ...(rawServer === undefined ? {} : { rawServer }) };
}

/** A hand-written answer: `Access-Control-Allow-Origin: *` and a small JSON body. */
const RAW_JSON_LINES: readonly (readonly [string, string])[] = [['Content-Type', 'application/json']];
const RAW_BODY = '{"route":"raw"}';

/** A hand-written server whose preflight answer allows PUT with the given Max-Age lines. */
function maxAgeServer(...maxAge: string[]): Scenario['rawServer'] {
  return {
    preflight: { status: 204, lines: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', 'PUT'], ...maxAge.map((v) => ['Access-Control-Max-Age', v] as const)] },
    actual: { status: 200, lines: [['Access-Control-Allow-Origin', '*'], ...RAW_JSON_LINES], body: RAW_BODY },
  };
}

/** Two PUTs from one page against a preflight answered with the given Max-Age lines. */
function maxAgeScenario(id: string, title: string, second: ScenarioStep, ...maxAge: string[]): Scenario {
  const put: ScenarioRequest = { method: 'PUT', route: 'items', body: 'x' };
  return {
    id, title, covers: 'issue 11 item 17: Access-Control-Max-Age per engine', options: {}, page: 'cross-site', rawServer: maxAgeServer(...maxAge),
    steps: [{ request: put, expect: succeeds({ preflights: 1, bodyIncludes: RAW_BODY }) }, { ...second, request: put }],
  };
}

/** The second PUT: Chromium and WebKit answer from their preflight cache (5 s, or the value), Firefox preflights again. */
const CACHED_EXCEPT_FIREFOX: ScenarioStep = {
  request: GET_ITEMS,
  expect: succeeds({ preflights: 0, bodyIncludes: RAW_BODY }),
  engines: {
    firefox: {
      expect: { preflights: 1 },
      why: 'Firefox does not cache a preflight whose Access-Control-Max-Age is not one plain number (600s, +600, two lines); Chromium and WebKit cache it (for 5 seconds, or 600 for +600).',
    },
  },
};

const byte = (c: string, n: number): string => c.repeat(n);
/** Seven 128-byte values Chromium safelists (three standard names and its client hints): 896 bytes. */
const CHROMIUM_SAFELISTED_896: readonly (readonly [string, string])[] = [
  ['Accept-Language', byte('b', 128)], ['Content-Language', byte('c', 128)], ['Content-Type', `text/plain;a=${byte('d', 115)}`],
  ['DPR', `1.${byte('0', 126)}`], ['Device-Memory', `8.${byte('0', 126)}`], ['Width', byte('1', 128)], ['Viewport-Width', byte('1', 128)],
];
const ANY_HEADER: ScenarioOptions = { allowOrigins: [PAGE_ORIGIN], allowHeaders: '*' };

const ENGINE_DIFFERENCES: readonly Scenario[] = [
  maxAgeScenario('quirk-max-age-negative', 'Access-Control-Max-Age: -1: no engine caches the preflight (the standard would cache 5 s)',
    { request: GET_ITEMS, expect: succeeds({ preflights: 1, bodyIncludes: RAW_BODY }) }, '-1'),
  maxAgeScenario('quirk-max-age-unit', "Access-Control-Max-Age: 600s: Chromium and WebKit cache it 5 s, Firefox not at all", CACHED_EXCEPT_FIREFOX, '600s'),
  maxAgeScenario('quirk-max-age-plus', 'Access-Control-Max-Age: +600: Chromium and WebKit read 600, Firefox does not cache', CACHED_EXCEPT_FIREFOX, '+600'),
  maxAgeScenario('quirk-max-age-two-lines', 'Two Access-Control-Max-Age lines: Chromium and WebKit cache 5 s, Firefox not at all', CACHED_EXCEPT_FIREFOX, '600', '600'),
  oneSplit('quirk-accept-twice', 'Accept set twice (70 bytes each): Chromium and WebKit judge the joined 142-byte value and preflight',
    'issue 11 item 17: same-name request headers', { allowOrigins: [PAGE_ORIGIN], allowHeaders: ['Accept'] },
    { method: 'GET', route: 'items', headers: [['Accept', byte('a', 70)], ['Accept', byte('b', 70)]] },
    succeeds({ preflights: 1 }), 'firefox', { preflights: 0 },
    'Firefox checks each Accept line on its own (70 bytes, safelisted); Chromium and WebKit join them into one 142-byte value, above the 128-byte limit.'),
  oneSplit('quirk-safelist-no-total-firefox', 'Nine 128-byte Accept lines (1152 bytes): Firefox has no 1024-byte total',
    'issue 11 item 17: the safelisted total', { allowOrigins: [PAGE_ORIGIN], allowHeaders: ['Accept'] },
    { method: 'GET', route: 'items', headers: Array.from({ length: 9 }, () => ['Accept', byte('a', 128)] as const) },
    succeeds({ preflights: 1 }), 'firefox', { preflights: 0 },
    'Firefox checks each line against the 128-byte limit and applies no total; Chromium and WebKit join the lines into one value far above 128 bytes.'),
  oneSplit('quirk-safelist-total-1024', 'Safelisted values of exactly 1024 bytes: Chromium sends no preflight',
    'issue 11 item 17: the safelisted total (Chromium reaches it through the client hints it safelists)', ANY_HEADER,
    { method: 'GET', route: 'items', headers: [...CHROMIUM_SAFELISTED_896, ['Accept', byte('a', 128)]] },
    succeeds({ preflights: 1 }), 'chromium', { preflights: 0 },
    'Chromium safelists the client hints DPR, Device-Memory, Width and Viewport-Width, so these eight values (1024 bytes) are all safelisted and within the total; Firefox and WebKit do not safelist the client hints.'),
  one('quirk-safelist-total-1025', 'Safelisted values of 1025 bytes: Chromium preflights (above the 1024-byte total)', 'issue 11 item 17: the safelisted total', ANY_HEADER, 'cross-site',
    { method: 'GET', route: 'items', headers: [...CHROMIUM_SAFELISTED_896, ['Accept', byte('a', 121)], ['Range', 'bytes=0-']] },
    succeeds({ preflights: 1 })),
  oneSplit('quirk-client-hint-dpr', 'DPR: 2 is safelisted in Chromium only', "issue 11 item 17: Chromium's safelist",
    { allowOrigins: [PAGE_ORIGIN], allowHeaders: ['DPR'] }, { method: 'GET', route: 'items', headers: { DPR: '2' } },
    succeeds({ preflights: 1 }), 'chromium', { preflights: 0 },
    'Chromium safelists the client hints DPR, Device-Memory, Width, Viewport-Width and Save-Data; the standard, Firefox and WebKit do not.'),
  oneSplit('quirk-range-unit-case', 'Range: BYTES=0- is safelisted in WebKit only', 'issue 11 item 17: the Range unit',
    { allowOrigins: [PAGE_ORIGIN], allowHeaders: ['Range'] }, { method: 'GET', route: 'items', headers: { Range: 'BYTES=0-' } },
    succeeds({ preflights: 1 }), 'webkit', { preflights: 0 },
    "WebKit reads the Range unit case-insensitively; the standard, Chromium and Firefox require 'bytes' in lower case."),
  oneSplit('quirk-allow-origin-space-before-colon', "'Access-Control-Allow-Origin : *' (a space before the colon): only Chromium reads it",
    'issue 11 item 16: a malformed header name', {}, GET_ITEMS, blockedAfterHandler(), 'chromium', succeeds({ bodyIncludes: RAW_BODY }),
    'Chromium strips white space before the colon and uses the line; Firefox and WebKit ignore the malformed line, so the response has no Access-Control-Allow-Origin.',
    { actual: { status: 200, lines: [['Access-Control-Allow-Origin ', '*'], ...RAW_JSON_LINES], body: RAW_BODY } }),
  oneSplit('quirk-allow-origin-space-and-valid', "'Access-Control-Allow-Origin : *' next to a well-formed line: Chromium sees two values",
    'issue 11 item 16: a malformed header name', {}, GET_ITEMS, succeeds({ bodyIncludes: RAW_BODY }), 'chromium', blockedAfterHandler(),
    "Chromium reads both lines as Access-Control-Allow-Origin, and '*, *' is not one value; Firefox and WebKit ignore the malformed line.",
    { actual: { status: 200, lines: [['Access-Control-Allow-Origin ', '*'], ['Access-Control-Allow-Origin', '*'], ...RAW_JSON_LINES], body: RAW_BODY } }),
  {
    ...one('quirk-204-with-body', 'A 204 that carries a body: every engine resolves it', 'issue 11 item 16: responses Node refuses', {}, 'cross-site',
      GET_ITEMS, succeeds({ status: 204 })),
    rawServer: { actual: { status: 204, lines: [['Access-Control-Allow-Origin', '*'], ['Content-Length', '5']], body: 'hello' } },
  },
  {
    ...one('quirk-null-allow-methods-xhr-upload', 'XHR PUT with an upload listener, preflight without Access-Control-Allow-Methods: blocked (the standard would allow it)',
      'issue 11 item 7: a null methods list with the use-CORS-preflight flag', {}, 'cross-site',
      { method: 'PUT', route: 'items', body: 'x', api: 'xhr-upload' }, blockedAtPreflight()),
    rawServer: { preflight: { status: 204, lines: [['Access-Control-Allow-Origin', '*']] }, actual: { status: 200, lines: [['Access-Control-Allow-Origin', '*'], ...RAW_JSON_LINES], body: RAW_BODY } },
  },
  one('quirk-same-origin', "A page on the API's own origin: no preflight and every header readable, though the API allows only another origin",
    'issue 11 item 17: same-origin requests use no CORS', { allowOrigins: ['https://app.example.com'] }, 'same-origin',
    { method: 'PUT', route: 'items', headers: { ...JSON_HEADERS, 'X-API-Key': 'k-same' }, body: JSON_BODY, readHeaders: ['X-Total-Count'] },
    succeeds({ bodyIncludes: '"apiKey":"k-same"', readable: { 'X-Total-Count': '42' } })),
];

export const SCENARIOS: readonly Scenario[] = [
  // --- wildcard -----------------------------------------------------------------------------------
  one('wildcard-get', 'Any origin reads a simple GET', 'guide: basic configuration (allow_origins=["*"])', WILDCARD, 'cross-site',
    { ...GET_ITEMS, readHeaders: ['Content-Type'] },
    succeeds({ bodyIncludes: '"method":"GET"', readable: { 'Content-Type': 'application/json; charset=utf-8' } })),
  one('wildcard-post-json', 'A JSON POST is preflighted and allowed', 'guide: basic configuration', WILDCARD, 'cross-site',
    { method: 'POST', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    succeeds({ bodyIncludes: '"method":"POST"', preflights: 1 })),
  one('wildcard-put', 'PUT under allow_methods=["*"]', 'guide: basic configuration', WILDCARD, 'cross-site',
    { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    succeeds({ bodyIncludes: '"method":"PUT"', preflights: 1 })),
  one('wildcard-delete', 'DELETE under allow_methods=["*"]', 'guide: basic configuration', WILDCARD, 'cross-site',
    { method: 'DELETE', route: 'items' },
    succeeds({ bodyIncludes: '"method":"DELETE"', preflights: 1 })),
  one('wildcard-custom-header', 'A custom header under allow_headers=["*"]', 'guide: basic configuration', WILDCARD, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'X-API-Key': 'k-123' } },
    succeeds({ bodyIncludes: '"apiKey":"k-123"', preflights: 1 })),
  one('wildcard-authorization-denied', 'Authorization is not covered by allow_headers=["*"]', 'denied: Authorization under *', WILDCARD, 'cross-site',
    { method: 'GET', route: 'items', headers: BEARER },
    blockedAtPreflight()),
  one('wildcard-credentials-denied', "credentials: 'include' against Access-Control-Allow-Origin: *", 'guide warning: * with credentials', WILDCARD, 'cross-site',
    { ...GET_ITEMS, credentials: 'include' },
    blockedAfterHandler()),
  one('wildcard-file-page', 'A file:// page (Origin: null) reads a wildcard API', 'guide: local file origin', WILDCARD, 'file',
    GET_ITEMS, succeeds({ bodyIncludes: '"route":"items"' })),
  one('wildcard-sandboxed-iframe', 'A sandboxed iframe (Origin: null) reads a wildcard API', 'guide: null origin', WILDCARD, 'sandboxed-iframe',
    GET_ITEMS, succeeds({ bodyIncludes: '"route":"items"' })),
  one('wildcard-x-total-count-hidden', 'X-Total-Count stays hidden without expose_headers', 'guide: exposing custom headers', WILDCARD, 'cross-site',
    { ...GET_ITEMS, readHeaders: ['X-Total-Count', 'Content-Type'] },
    succeeds({ readable: { 'X-Total-Count': null, 'Content-Type': 'application/json; charset=utf-8' } })),

  // --- production list ----------------------------------------------------------------------------
  one('production-get', 'A listed origin reads a GET', 'guide: production configuration', PRODUCTION, 'cross-site',
    GET_ITEMS, succeeds({ bodyIncludes: '"method":"GET"' })),
  one('production-get-credentials', "A listed origin reads a GET with credentials: 'include'", 'guide: production configuration', PRODUCTION, 'cross-site',
    { ...GET_ITEMS, credentials: 'include' }, succeeds({ bodyIncludes: '"method":"GET"' })),
  one('production-post-json', 'A JSON POST (Content-Type is allowed)', 'guide: production configuration', PRODUCTION, 'cross-site',
    { method: 'POST', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    succeeds({ bodyIncludes: '"method":"POST"', preflights: 1 })),
  one('production-post-text', 'A text/plain POST needs no preflight', 'guide: production configuration', PRODUCTION, 'cross-site',
    { method: 'POST', route: 'items', headers: { 'Content-Type': 'text/plain' }, body: 'hello' },
    succeeds({ bodyIncludes: '"method":"POST"' })),
  one('production-put-authorization', 'PUT with Authorization and a JSON body', 'guide: production configuration, custom headers with Authorization', PRODUCTION, 'cross-site',
    { method: 'PUT', route: 'items', headers: { ...BEARER, ...JSON_HEADERS }, body: JSON_BODY, credentials: 'include' },
    succeeds({ bodyIncludes: '"authorization":true', preflights: 1 })),
  one('production-delete', 'DELETE from a listed origin', 'guide: production configuration (PUT and DELETE)', PRODUCTION, 'cross-site',
    { method: 'DELETE', route: 'items', headers: BEARER, credentials: 'include' },
    succeeds({ bodyIncludes: '"method":"DELETE"', preflights: 1 })),
  one('production-head', 'HEAD from a listed origin', 'guide: production configuration', PRODUCTION, 'cross-site',
    { method: 'HEAD', route: 'items' }, succeeds()),
  one('production-patch-denied', 'PATCH is not in allow_methods', 'denied: wrong method', PRODUCTION, 'cross-site',
    { method: 'PATCH', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    blockedAtPreflight()),
  one('production-header-denied', 'X-API-Key is not in allow_headers', 'denied: header not allowed', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'X-API-Key': 'k-123' } },
    blockedAtPreflight()),
  one('production-wrong-origin-get', 'An unlisted origin cannot read a simple GET (but the handler ran)', 'denied: wrong origin', PRODUCTION_WITHOUT_PAGE, 'cross-site',
    GET_ITEMS, blockedAfterHandler()),
  one('production-wrong-origin-put', 'An unlisted origin is refused at the preflight', 'denied: wrong origin', PRODUCTION_WITHOUT_PAGE, 'cross-site',
    { method: 'PUT', route: 'items', headers: { ...BEARER, ...JSON_HEADERS }, body: JSON_BODY },
    blockedAtPreflight()),
  one('production-wrong-port', 'Same host, other port: http://localhost:3000 does not cover this page', 'denied: wrong origin', PRODUCTION_WITHOUT_PAGE, 'same-site',
    { ...GET_ITEMS, credentials: 'include' }, blockedAfterHandler()),

  // --- custom headers with Authorization ----------------------------------------------------------
  one('api-key-and-authorization', 'Authorization and X-API-Key together, with credentials', 'guide: custom headers with Authorization', API_KEYS, 'cross-site',
    { method: 'GET', route: 'items', headers: { ...BEARER, 'X-API-Key': 'k-123' }, credentials: 'include' },
    succeeds({ bodyIncludes: '"authorization":true,"apiKey":"k-123"', preflights: 1 })),
  one('api-key-lower-case', 'Header names match case-insensitively (x-api-key vs X-API-Key)', 'guide: custom headers', API_KEYS, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'x-api-key': 'k-9' } },
    succeeds({ bodyIncludes: '"apiKey":"k-9"', preflights: 1 })),
  one('api-patch-allowed', 'PATCH when allow_methods lists it', 'guide: limit allowed methods', API_KEYS, 'cross-site',
    { method: 'PATCH', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    succeeds({ bodyIncludes: '"method":"PATCH"', preflights: 1 })),
  one('api-lowercase-patch-denied', "fetch does not upper-case 'patch', and method names are case-sensitive", 'denied: wrong method', API_KEYS, 'cross-site',
    { method: 'patch', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    blockedAtPreflight()),
  one('credentialed-star-headers', "allowHeaders '*' with credentials: the requested header is echoed", 'guide: exposing custom headers (allow_headers=["*"] with credentials)', CREDENTIALED_WILDCARDS, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'X-API-Key': 'k-7' }, credentials: 'include' },
    succeeds({ bodyIncludes: '"apiKey":"k-7"', preflights: 1 })),
  one('credentialed-star-authorization-denied', "allowHeaders '*' with credentials still excludes Authorization", 'denied: Authorization under *', CREDENTIALED_WILDCARDS, 'cross-site',
    { method: 'GET', route: 'items', headers: BEARER, credentials: 'include' },
    blockedAtPreflight()),
  one('credentialed-star-methods', "allowMethods '*' with credentials: the requested method is echoed", 'guide: allow_methods=["*"] with credentials', CREDENTIALED_WILDCARDS, 'cross-site',
    { method: 'PATCH', route: 'items', credentials: 'include' },
    succeeds({ bodyIncludes: '"method":"PATCH"', preflights: 1 })),
  one('star-headers-plus-authorization', "allowHeaders ['*', 'Authorization'] allows Authorization", 'custom headers with Authorization', { allowOrigins: '*', allowHeaders: ['*', 'Authorization'] }, 'cross-site',
    { method: 'GET', route: 'items', headers: { ...BEARER, 'X-API-Key': 'k-2' } },
    succeeds({ bodyIncludes: '"authorization":true', preflights: 1 })),
  one('defaults-json-denied', 'Content-Type: application/json needs allowHeaders', 'denied: header not allowed', DEFAULTS, 'cross-site',
    { method: 'POST', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    blockedAtPreflight()),
  one('defaults-put-denied', 'PUT needs allowMethods', 'denied: wrong method', DEFAULTS, 'cross-site',
    { method: 'PUT', route: 'items', body: 'x' },
    blockedAtPreflight()),
  one('defaults-form-post', 'A form-encoded POST needs no preflight and no allowMethods', 'simple requests', DEFAULTS, 'cross-site',
    { method: 'POST', route: 'items', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
    succeeds({ bodyIncludes: '"method":"POST"' })),
  one('long-accept-preflighted', 'An Accept value over 128 bytes is no longer safelisted', 'safelisted request headers', DEFAULTS, 'cross-site',
    { method: 'GET', route: 'items', headers: { Accept: `application/json, ${'text/x-long;q=0.5, '.repeat(8)}*/*` } },
    blockedAtPreflight()),
  one('range-simple', 'A simple Range header needs no preflight', 'safelisted request headers', DEFAULTS, 'cross-site',
    { method: 'GET', route: 'items', headers: { Range: 'bytes=0-' } },
    succeeds()),
  one('content-language-safe', 'Content-Language: de-DE is safelisted: no preflight', 'safelisted request headers', DEFAULTS, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'Content-Language': 'de-DE' } },
    succeeds()),
  one('content-language-unsafe', 'Content-Language with a byte outside the safelist (de_DE) needs a preflight', 'safelisted request headers', DEFAULTS, 'cross-site',
    { method: 'GET', route: 'items', headers: { 'Content-Language': 'de_DE' } },
    blockedAtPreflight()),
  one('options-as-actual-method', 'An OPTIONS request is preflighted, then reaches the handler', 'preflight vs OPTIONS request', { allowOrigins: [PAGE_ORIGIN], allowMethods: ['OPTIONS'] }, 'cross-site',
    { method: 'OPTIONS', route: 'items' },
    succeeds({ bodyIncludes: '"method":"OPTIONS"', preflights: 1 })),
  one('preflight-status-200', 'preflightStatus 200 for old clients', 'corsguard: preflightStatus', { ...API_KEYS, preflightStatus: 200 }, 'cross-site',
    { method: 'DELETE', route: 'items', headers: BEARER, credentials: 'include' },
    succeeds({ bodyIncludes: '"method":"DELETE"', preflights: 1 })),

  one('custom-method-under-star', "allowMethods '*' allows a custom method (PURGE)", 'guide: allow_methods=["*"]', WILDCARD, 'cross-site',
    { method: 'PURGE', route: 'items' },
    succeeds({ bodyIncludes: '"method":"PURGE"', preflights: 1 })),
  // --- exposed headers ----------------------------------------------------------------------------
  one('exposed-x-total-count', 'X-Total-Count and Custom-Header readable when exposed', 'guide: exposing custom headers', EXPOSING, 'cross-site',
    { ...GET_ITEMS, readHeaders: ['X-Total-Count', 'Custom-Header', 'Content-Type'] },
    succeeds({ readable: { 'X-Total-Count': '42', 'Custom-Header': 'hello', 'Content-Type': 'application/json; charset=utf-8' } })),
  one('exposed-with-credentials', 'Exposed headers on a credentialed response', 'guide: exposing custom headers', EXPOSING, 'cross-site',
    { ...GET_ITEMS, credentials: 'include', readHeaders: ['X-Total-Count'] },
    succeeds({ readable: { 'X-Total-Count': '42' } })),
  one('exposed-after-preflight', 'Exposed headers on a preflighted PUT', 'guide: exposing custom headers', EXPOSING, 'cross-site',
    { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY, readHeaders: ['X-Total-Count'] },
    succeeds({ preflights: 1, readable: { 'X-Total-Count': '42' } })),
  one('exposed-star', "exposeHeaders '*' without credentials exposes everything", 'exposed headers', { allowOrigins: '*', exposeHeaders: '*' }, 'cross-site',
    { ...GET_ITEMS, readHeaders: ['X-Total-Count', 'Custom-Header'] },
    succeeds({ readable: { 'X-Total-Count': '42', 'Custom-Header': 'hello' } })),
  one('production-x-total-count-hidden', 'X-Total-Count hidden under the production example (not exposed)', 'guide: exposing custom headers', PRODUCTION, 'cross-site',
    { ...GET_ITEMS, credentials: 'include', readHeaders: ['X-Total-Count', 'Custom-Header', 'Content-Type'] },
    succeeds({ readable: { 'X-Total-Count': null, 'Custom-Header': null, 'Content-Type': 'application/json; charset=utf-8' } })),
  one('exposed-one-only', 'Only the listed header is exposed', 'guide: exposing custom headers', { ...EXPOSING, exposeHeaders: ['X-Total-Count'] }, 'cross-site',
    { ...GET_ITEMS, readHeaders: ['X-Total-Count', 'Custom-Header'] },
    succeeds({ readable: { 'X-Total-Count': '42', 'Custom-Header': null } })),

  // --- the null origin ----------------------------------------------------------------------------
  one('null-file-get', "A file:// page reads the API with allow_origins=['null']", 'guide: local file origin edge case', NULL_ORIGIN, 'file',
    GET_ITEMS, succeeds({ bodyIncludes: '"route":"items"' })),
  one('null-file-credentials', "A file:// page with credentials: 'include' (Allow-Origin: null)", 'guide: local file origin edge case', NULL_ORIGIN, 'file',
    { ...GET_ITEMS, credentials: 'include' }, succeeds({ bodyIncludes: '"route":"items"' })),
  one('null-file-preflight', 'A file:// page sends a preflighted PUT', 'guide: local file origin edge case', NULL_ORIGIN, 'file',
    { method: 'PUT', route: 'items', headers: { 'X-API-Key': 'k-f', ...JSON_HEADERS }, body: JSON_BODY },
    succeeds({ bodyIncludes: '"apiKey":"k-f"', preflights: 1 })),
  one('null-sandboxed-get', "A sandboxed iframe reads the API with allow_origins=['null']", 'null origin from a sandboxed iframe', NULL_ORIGIN, 'sandboxed-iframe',
    GET_ITEMS, succeeds({ bodyIncludes: '"route":"items"' })),
  one('null-sandboxed-credentials', "A sandboxed iframe with credentials: 'include' (Allow-Origin: null)", 'null origin from a sandboxed iframe', NULL_ORIGIN, 'sandboxed-iframe',
    { ...GET_ITEMS, credentials: 'include' }, succeeds({ bodyIncludes: '"route":"items"' })),
  one('null-sandboxed-preflight', 'A sandboxed iframe sends a preflighted DELETE', 'null origin from a sandboxed iframe', NULL_ORIGIN, 'sandboxed-iframe',
    { method: 'DELETE', route: 'items', headers: { 'X-API-Key': 'k-s' } },
    succeeds({ bodyIncludes: '"method":"DELETE"', preflights: 1 })),
  one('null-file-denied', 'A file:// page is refused when null is not listed', 'denied: wrong origin (null)', PRODUCTION, 'file',
    GET_ITEMS, blockedAfterHandler()),
  one('null-sandboxed-denied', "A sandboxed iframe is refused even though its parent's origin is listed", 'denied: wrong origin (null)', PRODUCTION, 'sandboxed-iframe',
    { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY },
    blockedAtPreflight()),
  one('null-only-refuses-pages', "allow_origins=['null'] does not let an http page in", 'denied: wrong origin', NULL_ORIGIN, 'cross-site',
    GET_ITEMS, blockedAfterHandler()),

  // --- errors -------------------------------------------------------------------------------------
  one('error-500-json', 'A 500 keeps its CORS headers: the page reads the JSON error', 'guide: CORS not working with errors', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'error', credentials: 'include' },
    succeeds({ status: 500, bodyIncludes: '"error":"database unavailable"' })),
  one('error-404-json', 'A 404 keeps its CORS headers: the page reads the JSON error', 'guide: handle errors properly', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'missing' },
    succeeds({ status: 404, bodyIncludes: '"error":"not found"' })),
  one('error-handler-throws', 'A handler that throws: corsguard answers a readable 500', 'guide: CORS not working with errors', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'throw', credentials: 'include' },
    succeeds({ status: 500 })),
  one('error-handler-rejects', 'A handler whose promise rejects (the missing await): a readable 500', 'guide: CORS not working with errors', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'reject' },
    succeeds({ status: 500 })),
  one('error-500-after-preflight', 'A preflighted DELETE that fails with 500 is still readable', 'guide: CORS not working with errors', PRODUCTION, 'cross-site',
    { method: 'DELETE', route: 'error', headers: BEARER, credentials: 'include' },
    succeeds({ status: 500, bodyIncludes: '"error"', preflights: 1 })),
  one('error-404-after-preflight', 'A preflighted PUT to a missing route: a readable 404', 'guide: handle errors properly', PRODUCTION, 'cross-site',
    { method: 'PUT', route: 'missing', headers: JSON_HEADERS, body: JSON_BODY },
    succeeds({ status: 404, bodyIncludes: '"error":"not found"', preflights: 1 })),
  one('error-throws-wildcard', 'A throwing handler under the wildcard configuration', 'guide: CORS not working with errors', WILDCARD, 'cross-site',
    { method: 'GET', route: 'throw' },
    succeeds({ status: 500 })),
  several('error-exposed-header', 'An exposed header stays readable on a 500 and a 404', 'guide: handle errors properly, exposing custom headers', { ...PRODUCTION, exposeHeaders: ['X-Request-Id'] }, 'cross-site',
    { request: { method: 'GET', route: 'error', readHeaders: ['X-Request-Id'] }, expect: succeeds({ status: 500, readable: { 'X-Request-Id': 'req-500' } }) },
    { request: { method: 'GET', route: 'missing', readHeaders: ['X-Request-Id'] }, expect: succeeds({ status: 404, readable: { 'X-Request-Id': 'req-404' } }) }),
  one('error-500-wrong-origin', 'An error for an unlisted origin stays unreadable', 'denied: wrong origin', PRODUCTION_WITHOUT_PAGE, 'cross-site',
    { method: 'GET', route: 'error' },
    blockedAfterHandler()),

  // --- credentials and cookies --------------------------------------------------------------------
  several('cookie-round-trip', 'The API sets a session cookie; the next credentialed request sends it back', 'guide: allow_credentials with a real cookie', SESSION, 'same-site',
    { request: { method: 'POST', route: 'login', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    { request: { method: 'GET', route: 'whoami', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"cookie":"session=cookie-round-trip"' }) }),
  several('cookie-needs-include', "Without credentials: 'include' the cookie stays home", 'credentials mode', SESSION, 'same-site',
    { request: { method: 'POST', route: 'login', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    { request: { method: 'GET', route: 'whoami' }, expect: succeeds({ bodyIncludes: '"cookie":null' }) }),
  several('cookie-with-preflighted-put', 'The cookie goes with the actual PUT, never with its preflight', 'guide: production configuration with credentials', SESSION, 'same-site',
    { request: { method: 'POST', route: 'login', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    { request: { method: 'PUT', route: 'items', headers: { ...BEARER, ...JSON_HEADERS }, body: JSON_BODY, credentials: 'include' },
      expect: succeeds({ bodyIncludes: '"cookie":"session=cookie-with-preflighted-put"', preflights: 1 }) }),
  one('cookie-without-allow-credentials', "credentials: 'include' when allowCredentials is off: blocked after the handler ran", 'guide: allow_credentials', DEFAULTS, 'same-site',
    { method: 'POST', route: 'login', credentials: 'include' },
    blockedAfterHandler()),
  several('cookie-lax-cross-site', 'A SameSite=Lax cookie is not sent from another site', 'credentials across sites', SESSION, 'cross-site',
    { request: { method: 'POST', route: 'login', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    { request: { method: 'GET', route: 'whoami', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"cookie":null' }) }),

  several('cookie-none-cross-site', 'A SameSite=None; Secure cookie from another site (a third-party cookie)', 'credentials across sites', SESSION, 'cross-site',
    { request: { method: 'POST', route: 'login-none', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    {
      request: { method: 'GET', route: 'whoami', credentials: 'include' },
      expect: succeeds({ bodyIncludes: '"cookie":null' }),
      engines: {
        firefox: {
          expect: { bodyIncludes: '"cookie":"session=cookie-none-cross-site"' },
          why: 'Firefox keeps the third-party cookie (partitioned under the top-level site) and sends it back; Chromium (in a fresh, incognito-like Playwright context) and WebKit do not send it. A cross-site session cookie cannot be relied on: serve the frontend and the API from the same site.',
        },
      },
    }),
  several('cookie-unmarked-cross-site', 'A cookie without SameSite, set and sent back from another site', 'credentials across sites', SESSION, 'cross-site',
    { request: { method: 'POST', route: 'login-unmarked', credentials: 'include' }, expect: succeeds({ bodyIncludes: '"loggedIn":true' }) },
    {
      request: { method: 'GET', route: 'whoami', credentials: 'include' },
      expect: succeeds({ bodyIncludes: '"cookie":null' }),
      engines: {
        firefox: {
          expect: { bodyIncludes: '"cookie":"session=cookie-unmarked-cross-site"' },
          why: 'Firefox treats a cookie without SameSite as SameSite=None (kept in the partition of the top-level site by Total Cookie Protection), so it goes back to the API; Chromium treats it as Lax and WebKit does not send it either. Always set SameSite explicitly.',
        },
      },
    }),

  // --- preflight caching --------------------------------------------------------------------------
  several('cache-max-age-600', 'maxAge 600: the second PUT sends no preflight', 'guide: max_age (Starlette default 600)', cached(600), 'cross-site',
    { request: { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY }, expect: succeeds({ preflights: 0 }) }),
  several('cache-max-age-0', 'maxAge 0: every PUT is preflighted', 'preflight caching', cached(0), 'cross-site',
    { request: { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'PUT', route: 'items', headers: JSON_HEADERS, body: JSON_BODY }, expect: succeeds({ preflights: 1 }) }),
  several('cache-default', 'No maxAge: the browser still caches for 5 seconds', 'preflight caching', cached(undefined), 'cross-site',
    { request: { method: 'DELETE', route: 'items', headers: BEARER }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'DELETE', route: 'items', headers: BEARER }, expect: succeeds({ preflights: 0 }) }),
  several('cache-max-age-86400', 'maxAge 86400: cached (engines cap it: WebKit 600 s, Chromium 7200 s)', 'preflight caching', cached(86400), 'cross-site',
    { request: { method: 'PUT', route: 'items', headers: BEARER, credentials: 'include' }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'PUT', route: 'items', headers: BEARER, credentials: 'include' }, expect: succeeds({ preflights: 0 }) }),
  several('cache-covers-listed-methods', 'One preflight answers for every method in Allow-Methods', 'preflight caching', cached(600), 'cross-site',
    { request: { method: 'PUT', route: 'items', body: 'x' }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'DELETE', route: 'items' }, expect: succeeds({ preflights: 0, bodyIncludes: '"method":"DELETE"' }) }),
  several('cache-covers-listed-headers', 'One preflight answers for every header in Allow-Headers', 'preflight caching', cached(600), 'cross-site',
    { request: { method: 'GET', route: 'items', headers: { 'X-API-Key': 'k-1' } }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'GET', route: 'items', headers: BEARER }, expect: succeeds({ preflights: 0, bodyIncludes: '"authorization":true' }) }),
  several('cache-echoed-headers', "Echoed '*' headers cover only what was asked: a new header needs a new preflight", 'preflight caching', cached(600, CREDENTIALED_WILDCARDS), 'cross-site',
    { request: { method: 'GET', route: 'items', headers: { 'X-API-Key': 'k-1' }, credentials: 'include' }, expect: succeeds({ preflights: 1 }) },
    { request: { method: 'GET', route: 'items', headers: { 'X-Request-Id': 'r-1' }, credentials: 'include' }, expect: succeeds({ preflights: 1 }) }),
  several('cache-no-store-request', "fetch(..., { cache: 'no-store' }): Chromium and Firefox then skip the preflight cache", 'preflight caching', cached(600), 'cross-site',
    { request: { method: 'PUT', route: 'items', body: 'x', cache: 'no-store' }, expect: succeeds({ preflights: 1 }) },
    {
      request: { method: 'PUT', route: 'items', body: 'x', cache: 'no-store' },
      expect: succeeds({ preflights: 1 }),
      engines: {
        webkit: {
          expect: { preflights: 0 },
          why: "WebKit uses the preflight cache whatever the request's cache mode (as the Fetch standard says); Chromium and Firefox bypass it for cache: 'no-store'.",
        },
      },
    }),
  several('cache-refusal-not-cached', 'A refused preflight is not cached: asking again preflights again', 'preflight caching', cached(600, PRODUCTION), 'cross-site',
    { request: { method: 'PATCH', route: 'items' }, expect: blockedAtPreflight() },
    { request: { method: 'PATCH', route: 'items' }, expect: blockedAtPreflight() }),

  // --- origin matching ----------------------------------------------------------------------------
  one('origin-regex', 'allowOriginRegex matches the whole origin', 'guide: allow_origin_regex', { allowOriginRegex: '^http://127\\.0\\.0\\.1:[0-9]+$', allowMethods: ['PUT'] }, 'cross-site',
    { method: 'PUT', route: 'items', body: 'x' }, succeeds({ preflights: 1 })),
  one('origin-regex-no-partial-match', 'allowOriginRegex is never a prefix match', 'denied: wrong origin', { allowOriginRegex: 'http://127\\.0\\.0\\.1' }, 'cross-site',
    GET_ITEMS, blockedAfterHandler()),
  one('origin-port-wildcard', "'http://127.0.0.1:*' allows any port of that host", 'corsguard: port wildcard', { allowOrigins: ['http://127.0.0.1:*'] }, 'cross-site',
    GET_ITEMS, succeeds()),
  one('origin-port-wildcard-other-host', "'http://localhost:*' does not cover 127.0.0.1", 'denied: wrong origin', { allowOrigins: ['http://localhost:*'] }, 'cross-site',
    GET_ITEMS, blockedAfterHandler()),
  one('origin-port-wildcard-same-site', "'http://localhost:*' covers the React dev server on any port", 'corsguard: port wildcard', { allowOrigins: ['http://localhost:*'], allowCredentials: true }, 'same-site',
    { ...GET_ITEMS, credentials: 'include' }, succeeds()),

  ...ENGINE_DIFFERENCES,
];

/**
 * Scenarios that take more than one HTTP exchange per request (the browser follows a redirect).
 * The real-browser suite runs them with SCENARIOS; tools that model a single exchange, such as
 * `corsguard check`, replay SCENARIOS only.
 */
export const MULTI_HOP_SCENARIOS: readonly Scenario[] = [
  one('redirect-simple', 'A simple GET follows a 307 on the API: both responses carry CORS headers', 'redirects', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'redirect', credentials: 'include' },
    succeeds({ bodyIncludes: '"route":"items"', handlerRuns: 2 })),
  one('redirect-preflighted', 'A preflighted PUT follows a 307: the new URL gets its own preflight', 'redirects', PRODUCTION, 'cross-site',
    { method: 'PUT', route: 'redirect', headers: { ...BEARER, ...JSON_HEADERS }, body: JSON_BODY, credentials: 'include' },
    succeeds({ bodyIncludes: '"method":"PUT"', handlerRuns: 2, preflights: 2 })),
  one('redirect-away-wildcard', 'A GET redirected to another origin arrives with Origin: null; a wildcard API still answers', 'redirects', WILDCARD, 'cross-site',
    { method: 'GET', route: 'redirect-away' },
    succeeds({ bodyIncludes: '"route":"items"', handlerRuns: 2, originSent: 'null' })),
  one('redirect-away-listed', 'After a redirect to another origin, a listed page origin no longer matches (Origin: null)', 'redirects', PRODUCTION, 'cross-site',
    { method: 'GET', route: 'redirect-away', credentials: 'include' },
    blockedAfterHandler({ handlerRuns: 2, originSent: 'null' })),
  several('redirect-away-authorization', 'A GET with Authorization redirected to another origin: who keeps the token, who preflights', 'redirects: credentials on a cross-origin hop', REDIRECT_HEADERS, 'cross-site',
    {
      request: { method: 'GET', route: 'redirect-away', headers: BEARER },
      expect: succeeds({ bodyIncludes: '"authorization":false', handlerRuns: 2, preflights: 2, originSent: 'null' }),
      engines: {
        chromium: { expect: { preflights: 1 }, why: 'Every engine removes Authorization on the cross-origin hop; Chromium then sees a simple GET and sends no second preflight, while Firefox and WebKit preflight the new origin because the request needed one.' },
      },
    }),
  several('redirect-away-authorization-credentialed', 'A credentialed GET with Authorization redirected to another origin', 'redirects: credentials on a cross-origin hop', { ...REDIRECT_HEADERS, allowOrigins: [PAGE_ORIGIN, 'null'], dangerouslyAllowNullOrigin: true, allowCredentials: true }, 'cross-site',
    {
      request: { method: 'GET', route: 'redirect-away', headers: BEARER, credentials: 'include' },
      expect: succeeds({ bodyIncludes: '"authorization":false', handlerRuns: 2, preflights: 2, originSent: 'null' }),
      engines: {
        chromium: { expect: { preflights: 1 }, why: 'Every engine removes Authorization on the cross-origin hop; Chromium then sees a simple GET and sends no second preflight.' },
      },
    }),
  several('redirect-away-preflight-origin', 'The preflight after a cross-origin redirect: which Origin it carries', 'redirects: tainted origin on the second preflight', { allowOrigins: [PAGE_ORIGIN], allowHeaders: ['Authorization'] }, 'cross-site',
    {
      request: { method: 'GET', route: 'redirect-away', headers: BEARER },
      expect: blockedAfterHandler({ handlerRuns: 2, preflights: 2, originSent: 'null' }),
      engines: {
        chromium: { expect: { preflights: 1 }, why: 'Chromium removes Authorization on the cross-origin hop and sends the simple GET without a preflight (Origin: null, which the API does not list).' },
        webkit: { expect: { handlerRuns: 1 }, why: "WebKit's preflight at the new origin carries Origin: null, which the API does not list, so it stops there; Firefox's carries the page's origin and passes, and only its actual GET (Origin: null) is refused." },
      },
    }),
  several('redirect-302-preflighted-post', 'A preflighted JSON POST answered with a 302 becomes a GET at the target', 'redirects: POST to GET', PRODUCTION, 'cross-site',
    {
      request: { method: 'POST', route: 'redirect-302', headers: JSON_HEADERS, body: JSON_BODY, credentials: 'include' },
      expect: succeeds({ bodyIncludes: '"method":"GET"', handlerRuns: 2, preflights: 2 }),
      engines: {
        chromium: { expect: { preflights: 1 }, why: 'Chromium decides again after the redirect: the GET without Content-Type is simple, so it sends no preflight; Firefox and WebKit preflight the target again.' },
      },
    }),
  one('redirect-303-body-headers', 'After a 303, a PUT becomes a GET that loses only the four request-body headers', 'redirects: 303 removes Content-Type, -Encoding, -Language, -Location', REDIRECT_HEADERS, 'cross-site',
    { method: 'PUT', route: 'redirect-303', headers: BODY_HEADERS, body: JSON_BODY },
    succeeds({ bodyIncludes: '"contentHeaders":["content-disposition"]', handlerRuns: 2, preflights: 2 })),
  one('redirect-userinfo', 'A redirect to a URL with user:password@ is a network error', 'redirects: credentials in the URL', WILDCARD, 'cross-site',
    { method: 'GET', route: 'redirect-userinfo' },
    blockedAfterHandler()),
  one('redirect-data-url', 'A redirect to a data: URL is a network error', 'redirects: non-HTTP target', WILDCARD, 'cross-site',
    { method: 'GET', route: 'redirect-data' },
    blockedAfterHandler()),
  several('redirect-two-locations', 'A redirect with two different Location lines', 'redirects: ambiguous Location', WILDCARD, 'cross-site',
    {
      request: { method: 'GET', route: 'redirect-two-locations' },
      expect: blockedAfterHandler(),
      engines: {
        webkit: {
          expect: { outcome: 'succeeds', status: 404, bodyIncludes: 'not found', handlerRuns: 2 },
          why: "WebKit joins the two lines into 'items, whoami', a relative URL (the path 'items,%20whoami' on the API), and follows it; Chromium and Firefox fail the fetch.",
        },
      },
    }),
];
