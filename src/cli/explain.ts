/**
 * `corsguard explain "<console message>"`: reads a CORS error as Chromium, Firefox or WebKit
 * prints it in the DevTools console (console-messages.ts has the wordings) and says which engine
 * printed it, which request failed, the likely causes (the problem ids `check` uses), the fix in
 * corsguard's options, and the `check` command that confirms it.
 *
 * The text is pasted by a user and may come from anywhere: it is read at most MAX_MESSAGE_LENGTH
 * characters, line by line with indexOf (no split, no regular expression), and everything taken
 * from it is printed through forTerminal by the formatter.
 */
import { corsCheck, type Engine } from './browser-model.js';
import {
  CHROMIUM_LNA_DENIED,
  CHROMIUM_LNA_INSECURE,
  CHROMIUM_POLICY,
  CHROMIUM_PREFLIGHT,
  FIREFOX_PREFIX,
  FIREFOX_REASON,
  idsOfKind,
  WEBKIT_ACCESS_CHECKS,
} from './console-messages.js';
import {
  CHROMIUM_MIXED_BLOCKED,
  CHROMIUM_MIXED_LOADED,
  CHROMIUM_MIXED_PAGE,
  FIREFOX_MIXED,
  FIREFOX_MIXED_END,
  WEBKIT_MIXED_BLOCKED,
  WEBKIT_MIXED_NOT_ALLOWED,
  WEBKIT_MIXED_PAGE,
  WEBKIT_MIXED_REQUESTED,
} from './mixed-content.js';
import { parseArgs } from 'node:util';
import { EXIT_BLOCKED, EXIT_OK, UsageError, type CliIo } from './cli.js';
import type { ProblemId } from './problems.js';
import { colourWanted, createStyle, type Style } from './style.js';
import { forTerminal, jsonForTerminal } from './terminal-text.js';

/** Longer input is not a console message; it is refused rather than scanned. */
export const MAX_MESSAGE_LENGTH = 16_384;

/**
 * Which request failed: the preflight (OPTIONS), the actual request, a redirect of it,
 * `not-sent` when the browser refused to send anything (mixed content), or `unknown` where the
 * engine's wording does not say (Firefox and WebKit word a missing Access-Control-Allow-Origin the
 * same way for both).
 */
export type FailedStep = 'preflight' | 'actual' | 'redirect' | 'not-sent' | 'unknown';

export interface Explanation {
  readonly engine: Engine;
  readonly step: FailedStep;
  /** The problem ids `check` would report, most likely first. */
  readonly problems: readonly { readonly id: ProblemId }[];
  /** The URL the message names, when it names one. */
  readonly url: string | undefined;
  /** The page's origin, when the message names it (Chromium and WebKit do, Firefox does not). */
  readonly origin: string | undefined;
  /** The method, when the message names it. */
  readonly method: string | undefined;
  /** The request header the preflight refused, when the message names it. */
  readonly header: string | undefined;
  /** The HTTP status, when the message names it. */
  readonly status: number | undefined;
  /** The engine's own reason, as printed. */
  readonly reason: string;
}

const STATUS_FAMILY = idsOfKind('preflight-status');
const ORIGIN_MISMATCH_FAMILY = idsOfKind('origin-mismatch');
const CREDENTIALS_FAMILY = idsOfKind('credentials');
const METHOD_FAMILY = idsOfKind('method');

/** authorization-wildcard only for Authorization, and then first ('*' never covers it). */
function headerFamily(header: string | undefined): ProblemId[] {
  const family = idsOfKind('header').filter((id) => id !== 'authorization-wildcard');
  return header?.toLowerCase() === 'authorization' ? ['authorization-wildcard', ...family] : family;
}

/** The preflight problem a status names (by `check`'s rules), or every one when it is unknown. */
function preflightStatusIds(status: number | undefined): ProblemId[] {
  if (status === undefined) return ['preflight-redirect', ...STATUS_FAMILY];
  if (status >= 300 && status <= 399) return ['preflight-redirect'];
  if (status === 401) return ['preflight-unauthorized'];
  if (status === 403) return ['preflight-forbidden'];
  if (status === 404 || status === 405) return ['preflight-no-options-route'];
  if (status >= 500) return ['preflight-server-error'];
  return ['preflight-status'];
}

/** How an Access-Control-Allow-Origin value misses `origin`, by the browser model's own rules. */
function originMismatchIds(allowOrigin: string, origin: string | undefined): ProblemId[] {
  if (origin === undefined) return [...ORIGIN_MISMATCH_FAMILY];
  const found = corsCheck({ status: 200, headers: { 'access-control-allow-origin': allowOrigin }, lineCounts: {} }, origin, false, '');
  return found.length > 0 ? [found[0]!.id] : [...ORIGIN_MISMATCH_FAMILY];
}

/** `text` between `open` and the next `close` from `from`, with where it ends; undefined if absent. */
function between(text: string, open: string, close: string, from = 0): { value: string; end: number } | undefined {
  const start = text.indexOf(open, from);
  if (start === -1) return undefined;
  const valueStart = start + open.length;
  const stop = text.indexOf(close, valueStart);
  if (stop === -1) return undefined;
  return { value: text.slice(valueStart, stop), end: stop + close.length };
}

/** The decimal number that starts `text` at `from`, or undefined. */
function numberAt(text: string, from: number): number | undefined {
  let end = from;
  while (end < text.length && end - from < 4 && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
  return end === from ? undefined : Number(text.slice(from, end));
}

function statusAfter(text: string, marker: string): number | undefined {
  const at = text.indexOf(marker);
  return at === -1 ? undefined : numberAt(text, at + marker.length);
}

/** What one line says; `problems` is empty for a line that carries no reason (a follow-up). */
interface LineReading {
  readonly engine: Engine;
  readonly step?: FailedStep | undefined;
  readonly problems: readonly ProblemId[];
  readonly url?: string | undefined;
  readonly origin?: string | undefined;
  readonly method?: string | undefined;
  readonly header?: string | undefined;
  readonly status?: number | undefined;
  readonly reason: string;
}

/** "Access to fetch at '<url>' [(redirected from '<url>')] from origin '<origin>' has been blocked by CORS policy: <reason>" */
function readChromium(line: string): LineReading | undefined {
  const policy = line.indexOf(CHROMIUM_POLICY);
  const access = line.indexOf('Access to ');
  if (policy === -1 || access === -1 || access > policy) return undefined;
  const head = line.slice(access, policy);
  const at = between(head, " at '", "'");
  if (at === undefined) return undefined;
  const redirectedFrom = between(head, " (redirected from '", "'", at.end);
  const origin = between(head, " from origin '", "'", redirectedFrom?.end ?? at.end)?.value;
  let reason = line.slice(policy + CHROMIUM_POLICY.length);
  const preflight = reason.startsWith(CHROMIUM_PREFLIGHT);
  if (preflight) reason = reason.slice(CHROMIUM_PREFLIGHT.length);
  const base = { engine: 'chromium' as const, url: redirectedFrom?.value ?? at.value, origin, reason };
  const actualStep: FailedStep = preflight ? 'preflight' : redirectedFrom !== undefined ? 'redirect' : 'actual';
  const value = between(reason, "header has a value '", "' that is not equal");
  if (reason.startsWith("No 'Access-Control-Allow-Origin' header is present")) {
    // On a preflight, Chromium says this before it looks at the status: a 401, 403 or 404 from a layer without CORS.
    const problems: ProblemId[] = preflight
      ? ['allow-origin-missing', 'preflight-forbidden', 'preflight-unauthorized', 'preflight-no-options-route']
      : ['allow-origin-missing'];
    return { ...base, step: actualStep, problems };
  }
  if (reason.includes("header contains multiple values '")) return { ...base, step: actualStep, problems: ['allow-origin-multiple'] };
  if (value !== undefined) return { ...base, step: actualStep, problems: originMismatchIds(value.value, origin) };
  if (reason.includes("must not be the wildcard '*'"))
    return { ...base, step: actualStep, problems: ['allow-origin-wildcard-credentials'] };
  const credentials = between(reason, "'Access-Control-Allow-Credentials' header in the response is '", "' which must be 'true'");
  if (credentials !== undefined) {
    return { ...base, step: actualStep, problems: [credentials.value === '' ? 'allow-credentials-missing' : 'allow-credentials-not-true'] };
  }
  if (reason.startsWith('It does not have HTTP ok status.')) return { ...base, step: 'preflight', problems: [...STATUS_FAMILY] };
  if (reason.startsWith('Redirect is not allowed for a preflight request.'))
    return { ...base, step: 'preflight', problems: ['preflight-redirect'] };
  const method = between(reason, 'Method ', ' is not allowed by Access-Control-Allow-Methods');
  if (method !== undefined) return { ...base, step: 'preflight', method: method.value, problems: [...METHOD_FAMILY] };
  const header = between(reason, 'Request header field ', ' is not allowed by Access-Control-Allow-Headers');
  if (header !== undefined) return { ...base, step: 'preflight', header: header.value, problems: headerFamily(header.value) };
  if (reason.startsWith('Cannot parse Access-Control-Allow-Methods'))
    return { ...base, step: 'preflight', problems: ['allow-methods-malformed'] };
  if (reason.startsWith('Cannot parse Access-Control-Allow-Headers'))
    return { ...base, step: 'preflight', problems: ['allow-headers-malformed'] };
  if (reason.startsWith('Redirect location') && reason.includes('username and password'))
    return { ...base, step: 'redirect', problems: ['redirect-credentials'] };
  if (reason.startsWith('Redirect location') && reason.includes('disallowed scheme'))
    return { ...base, step: 'redirect', problems: ['redirect-not-http'] };
  // Local Network Access (local-network-access.ts): checked before anything is sent.
  if (reason.startsWith(CHROMIUM_LNA_DENIED) || reason.startsWith(CHROMIUM_LNA_INSECURE))
    return { ...base, step: 'not-sent', problems: ['local-network-access'] };
  return { ...base, step: actualStep, problems: [] };
}

/** "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: <reason>)." */
function readFirefox(line: string): LineReading | undefined {
  const start = line.indexOf(FIREFOX_PREFIX);
  if (start === -1) return undefined;
  const urlStart = start + FIREFOX_PREFIX.length;
  const reasonAt = line.indexOf(FIREFOX_REASON, urlStart);
  if (reasonAt === -1) return undefined;
  let url = line.slice(urlStart, reasonAt);
  if (url.startsWith('‘') && url.endsWith('’')) url = url.slice(1, -1);
  const reason = line.slice(reasonAt + FIREFOX_REASON.length);
  const status = statusAfter(reason, 'Status code: ');
  const close = reason.indexOf(')');
  const base = { engine: 'firefox' as const, url, status, reason: close === -1 ? reason : reason.slice(0, close) };
  if (reason.startsWith('CORS header ‘Access-Control-Allow-Origin’ missing')) {
    // Firefox checks the headers before the status: on a failed preflight, the status says who answered instead of CORS.
    const problems: ProblemId[] =
      status !== undefined && (status < 200 || status > 299)
        ? ['allow-origin-missing', ...preflightStatusIds(status)]
        : ['allow-origin-missing'];
    return { ...base, step: 'unknown', problems };
  }
  if (reason.startsWith('CORS header ‘Access-Control-Allow-Origin’ does not match'))
    return { ...base, step: 'unknown', problems: [...ORIGIN_MISMATCH_FAMILY] };
  if (reason.startsWith('Multiple CORS header ‘Access-Control-Allow-Origin’'))
    return { ...base, step: 'unknown', problems: ['allow-origin-multiple'] };
  if (reason.startsWith('Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’')) {
    return { ...base, step: 'unknown', problems: ['allow-origin-wildcard-credentials'] };
  }
  if (reason.startsWith('expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’'))
    return { ...base, step: 'unknown', problems: [...CREDENTIALS_FAMILY] };
  if (reason.startsWith('CORS preflight response did not succeed'))
    return { ...base, step: 'preflight', problems: preflightStatusIds(status) };
  if (reason.startsWith('Did not find method in CORS header ‘Access-Control-Allow-Methods’'))
    return { ...base, step: 'preflight', problems: [...METHOD_FAMILY] };
  const header = between(reason, 'header ‘', '’ is not allowed according to header ‘Access-Control-Allow-Headers’');
  const missingToken = between(reason, 'missing token ‘', '’ in CORS header ‘Access-Control-Allow-Headers’');
  const named = header ?? missingToken;
  if (named !== undefined) return { ...base, step: 'preflight', header: named.value, problems: headerFamily(named.value) };
  if (reason.startsWith('invalid token') && reason.includes('‘Access-Control-Allow-Methods’'))
    return { ...base, step: 'preflight', problems: ['allow-methods-malformed'] };
  if (reason.startsWith('invalid token') && reason.includes('‘Access-Control-Allow-Headers’'))
    return { ...base, step: 'preflight', problems: ['allow-headers-malformed'] };
  if (reason.startsWith('CORS request not HTTP')) return { ...base, step: 'redirect', problems: ['redirect-not-http'] };
  if (reason.startsWith('CORS request external redirect not allowed'))
    return { ...base, step: 'redirect', problems: ['redirect-not-http', 'redirect-credentials'] };
  // "CORS request did not succeed": printed after a failed preflight, or alone when nothing answered.
  return { ...base, step: undefined, problems: [] };
}

/** WebKit prints the reason alone, then "Fetch API cannot load <url> due to access control checks." */
function readWebKit(line: string): LineReading | undefined {
  const cannotLoad = line.indexOf(' cannot load ');
  const checks = line.indexOf(WEBKIT_ACCESS_CHECKS);
  if (cannotLoad !== -1 && checks > cannotLoad) {
    return {
      engine: 'webkit',
      url: line.slice(cannotLoad + ' cannot load '.length, checks),
      problems: [],
      reason: line.slice(cannotLoad + 1),
    };
  }
  const base = { engine: 'webkit' as const };
  const notAllowed = between(line, 'Origin ', ' is not allowed by Access-Control-Allow-Origin.');
  if (notAllowed !== undefined) {
    const reason = line.slice(line.indexOf('Origin '));
    return {
      ...base,
      step: 'unknown',
      origin: notAllowed.value,
      status: statusAfter(reason, 'Status code: '),
      reason,
      problems: ['allow-origin-missing', ...ORIGIN_MISMATCH_FAMILY],
    };
  }
  const readings: readonly [string, (reason: string) => Omit<LineReading, 'engine' | 'reason'> | undefined][] = [
    [
      'Preflight response is not successful.',
      (r) => {
        const status = statusAfter(r, 'Status code: ');
        return { step: 'preflight', status, problems: preflightStatusIds(status) };
      },
    ],
    [
      'Method ',
      (r) => {
        const method = between(r, 'Method ', ' is not allowed by Access-Control-Allow-Methods.');
        return method === undefined ? undefined : { step: 'preflight', method: method.value, problems: [...METHOD_FAMILY] };
      },
    ],
    [
      'Request header field ',
      (r) => {
        const header = between(r, 'Request header field ', ' is not allowed by Access-Control-Allow-Headers.');
        return header === undefined ? undefined : { step: 'preflight', header: header.value, problems: headerFamily(header.value) };
      },
    ],
    ['Access-Control-Allow-Origin cannot contain more than one origin.', () => ({ step: 'unknown', problems: ['allow-origin-multiple'] })],
    [
      'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
      () => ({ step: 'unknown', problems: ['allow-origin-wildcard-credentials'] }),
    ],
    [
      'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
      () => ({ step: 'unknown', problems: [...CREDENTIALS_FAMILY] }),
    ],
    [
      'Cross-origin redirection to ',
      (r) => ({
        step: 'redirect',
        url: undefined,
        problems: r.includes('non CORS scheme')
          ? ['redirect-not-http']
          : r.includes('has credentials')
            ? ['redirect-credentials']
            : ['redirect-not-http', 'redirect-credentials'],
      }),
    ],
  ];
  for (const [marker, read] of readings) {
    const at = line.indexOf(marker);
    if (at === -1) continue;
    const reason = line.slice(at);
    const found = read(reason);
    if (found !== undefined) return { ...base, ...found, reason };
  }
  return undefined;
}

/** The origin of a page URL the message names: scheme, host and port, up to the path. */
function originOf(pageUrl: string): string | undefined {
  const scheme = pageUrl.indexOf('://');
  if (scheme === -1) return undefined;
  let end = scheme + 3;
  while (end < pageUrl.length && pageUrl[end] !== '/' && pageUrl[end] !== '?' && pageUrl[end] !== '#') end++;
  return pageUrl.slice(0, end);
}

/**
 * A mixed-content block (mixed-content.ts has each engine's wording): the https page asked for a
 * plain-http URL and the browser sent nothing. Chromium and WebKit name the page, whose origin the
 * check command needs; Firefox names only the URL.
 */
function readMixedContent(line: string): LineReading | undefined {
  const base = { step: 'not-sent' as const, problems: ['mixed-content' as const] };
  const chromiumAt = line.indexOf(CHROMIUM_MIXED_PAGE);
  if (chromiumAt !== -1) {
    const page = between(line, CHROMIUM_MIXED_PAGE, CHROMIUM_MIXED_LOADED, chromiumAt);
    const blocked = page === undefined ? -1 : line.indexOf(CHROMIUM_MIXED_BLOCKED, page.end);
    const quote = page === undefined ? -1 : line.indexOf(" '", page.end);
    if (page === undefined || blocked === -1 || quote === -1 || quote > blocked) return undefined;
    const url = line.slice(quote + 2, blocked);
    return { ...base, engine: 'chromium', url, origin: originOf(page.value), reason: line.slice(chromiumAt) };
  }
  const firefox = between(line, FIREFOX_MIXED, FIREFOX_MIXED_END);
  if (firefox !== undefined) {
    return { ...base, engine: 'firefox', url: firefox.value, reason: line.slice(line.indexOf(FIREFOX_MIXED)) };
  }
  const webkitAt = line.indexOf(WEBKIT_MIXED_PAGE);
  if (webkitAt === -1 || !line.includes('[blocked]')) return undefined;
  for (const [middle, end] of [
    [WEBKIT_MIXED_REQUESTED, WEBKIT_MIXED_BLOCKED],
    [WEBKIT_MIXED_NOT_ALLOWED, '.'],
  ] as const) {
    const page = between(line, WEBKIT_MIXED_PAGE, middle, webkitAt);
    if (page === undefined) continue;
    const stop = end === '.' ? line.lastIndexOf('.') : line.indexOf(end, page.end);
    if (stop < page.end) return undefined;
    return { ...base, engine: 'webkit', url: line.slice(page.end, stop), origin: originOf(page.value), reason: line.slice(webkitAt) };
  }
  return undefined;
}

/**
 * Reads a pasted console message (one or several lines: an engine's reason and its follow-up
 * lines) and explains it; undefined when no line is a CORS error of Chromium, Firefox or WebKit.
 */
export function explainMessage(pasted: string): Explanation | undefined {
  const text = pasted.length > MAX_MESSAGE_LENGTH ? pasted.slice(0, MAX_MESSAGE_LENGTH) : pasted;
  const readings: LineReading[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    const reading = readMixedContent(line) ?? readChromium(line) ?? readFirefox(line) ?? readWebKit(line);
    if (reading !== undefined) readings.push(reading);
    start = end + 1;
  }
  const main = readings.find((r) => r.problems.length > 0) ?? readings[0];
  if (main === undefined) return undefined;
  const same = readings.filter((r) => r.engine === main.engine);
  const pick = <K extends keyof LineReading>(key: K): LineReading[K] | undefined =>
    main[key] ?? same.find((r) => r[key] !== undefined)?.[key];
  let step = main.step ?? 'unknown';
  // Firefox follows a failed preflight with "CORS request did not succeed" for the same URL.
  if (
    step === 'unknown' &&
    main.engine === 'firefox' &&
    same.some((r) => r !== main && r.problems.length === 0 && r.reason.startsWith('CORS request did not succeed'))
  ) {
    step = 'preflight';
  }
  return {
    engine: main.engine,
    step,
    problems: main.problems.map((id) => ({ id })),
    url: pick('url'),
    origin: pick('origin'),
    method: pick('method'),
    header: pick('header'),
    status: pick('status'),
    reason: main.reason,
  };
}

/** Why each problem happens, and what to change in corsguard's options. */
const ADVICE: Readonly<Partial<Record<ProblemId, { readonly cause: string; readonly fix: string }>>> = {
  'preflight-redirect': {
    cause: 'the preflight (OPTIONS) got a redirect, which browsers never follow: often a trailing-slash or http-to-https redirect',
    fix: 'call the final URL directly, or let the CORS middleware answer OPTIONS before any redirect',
  },
  'preflight-unauthorized': {
    cause: 'the preflight got 401: authentication runs before CORS, and a preflight never carries credentials',
    fix: 'mount corsguard before the authentication middleware, so it answers OPTIONS first',
  },
  'preflight-forbidden': {
    cause: "the preflight got 403: the origin is not in corsguard's allowOrigins, or an authorization layer refused it",
    fix: 'add the page origin to allowOrigins; if it is there, mount corsguard before authorization',
  },
  'preflight-no-options-route': {
    cause: 'the preflight got 404 or 405: no route answers OPTIONS, so the CORS layer never ran',
    fix: 'mount corsguard globally (before the router), not on single routes',
  },
  'preflight-server-error': {
    cause: 'the server failed (5xx) while handling OPTIONS',
    fix: "read the server's log for the OPTIONS request; mount corsguard before the code that fails",
  },
  'preflight-status': {
    cause: 'the preflight got a status outside 200-299',
    fix: 'let corsguard answer preflights (preflightStatus: 204, the default)',
  },
  'allow-origin-missing': {
    cause:
      'the response has no Access-Control-Allow-Origin: the origin is not allowed, or the CORS layer did not run for this route, method or error response',
    fix: 'add the page origin to allowOrigins, and mount corsguard before routing and error handling so every response gets the headers',
  },
  'allow-origin-multiple': {
    cause: 'Access-Control-Allow-Origin was sent twice: two CORS layers are stacked (a proxy and the app, or two middlewares)',
    fix: 'send the header from one place only: remove the other CORS layer, or corsguard',
  },
  'allow-origin-trailing-slash': {
    cause: 'the allowed origin was configured with a trailing slash',
    fix: "write the origin without it in allowOrigins: 'https://app.example.com'",
  },
  'allow-origin-case': {
    cause: 'the allowed origin differs from the page origin only in case',
    fix: 'write the origin in lower case in allowOrigins',
  },
  'allow-origin-scheme': {
    cause: 'the allowed origin has the other scheme (http vs https)',
    fix: "add the page's exact origin, scheme included, to allowOrigins",
  },
  'allow-origin-port': {
    cause: 'the allowed origin has another port, or writes the default port',
    fix: 'add the exact origin to allowOrigins, port included and a default port left out',
  },
  'allow-origin-mismatch': { cause: 'the server allows another origin, not this page', fix: 'add the page origin to allowOrigins' },
  'allow-origin-wildcard-credentials': {
    cause: "the response allows '*', which never counts for a request with credentials (cookies, credentials: 'include')",
    fix: "list the origins in allowOrigins instead of '*' (corsguard then echoes the origin, with Vary: Origin)",
  },
  'allow-credentials-missing': {
    cause: "the request has credentials (credentials: 'include'), and the response lacks Access-Control-Allow-Credentials: true",
    fix: 'set allowCredentials: true (with explicit allowOrigins)',
  },
  'allow-credentials-not-true': {
    cause: "Access-Control-Allow-Credentials is not exactly 'true' (another case, or sent twice)",
    fix: 'let corsguard send it (allowCredentials: true) and remove any other layer that adds it',
  },
  'allow-methods-malformed': {
    cause: 'Access-Control-Allow-Methods is not a comma-separated list of method names',
    fix: "list methods in allowMethods: ['GET', 'PUT']",
  },
  'allow-headers-malformed': {
    cause: 'Access-Control-Allow-Headers is not a comma-separated list of header names',
    fix: "list headers in allowHeaders: ['Authorization', 'Content-Type']",
  },
  'method-not-allowed': { cause: 'the method is not in Access-Control-Allow-Methods', fix: 'add the method to allowMethods' },
  'method-case-mismatch': {
    cause:
      "the method is listed in another case: fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so 'patch' stays 'patch'",
    fix: "write the method in upper case in the page (method: 'PATCH') and in allowMethods",
  },
  'method-wildcard-credentials': {
    cause: "allowMethods is '*', which means the literal name '*' for a request with credentials",
    fix: 'list the methods in allowMethods',
  },
  'header-not-allowed': {
    cause: 'the request sets a header that Access-Control-Allow-Headers does not list (Content-Type: application/json counts)',
    fix: 'add the header to allowHeaders',
  },
  'header-wildcard-credentials': {
    cause: "allowHeaders is '*', which means the literal name '*' for a request with credentials",
    fix: 'list the headers in allowHeaders',
  },
  'authorization-wildcard': { cause: "allowHeaders is '*', which never covers Authorization", fix: "list 'Authorization' in allowHeaders" },
  'redirect-not-http': {
    cause: 'a redirect points to a URL that is not http(s) (data:, file:...): a network error for CORS',
    fix: 'redirect to an http(s) URL, or call the final URL directly',
  },
  'mixed-content': {
    cause:
      'the page is served over https and the URL is plain http (not loopback): the browser blocks this mixed content before sending anything, so no CORS step ran',
    fix: 'serve the API over https and call its https:// URL from the page (corsguard options cannot allow mixed content); while developing, serve the page over http too',
  },
  'local-network-access': {
    cause:
      "Chromium's Local Network Access (Chromium 142+): a page on the public internet (or the local network) called a local-network or loopback address, and the user did not grant the permission (an http page cannot even ask; an automated browser has no one to ask); nothing was sent",
    fix: 'call the API at an address in the same space as the page (a public address in production, or serve the page from localhost while developing), or grant the page the permission from an https page; no server header or corsguard option lifts it',
  },
  'redirect-credentials': {
    cause: 'a redirect points to a URL with user:password@ in it',
    fix: 'drop the userinfo from the Location; authenticate with a header',
  },
};

const ENGINE_LABELS: Readonly<Record<Engine, string>> = {
  chromium: 'Chromium (Chrome, Edge, Opera)',
  firefox: 'Firefox',
  webkit: 'WebKit (Safari)',
};

const STEP_WORDS: Readonly<Record<FailedStep, string>> = {
  preflight: 'the preflight (the OPTIONS request the browser sends first) failed; the request itself was never sent',
  actual: 'the request itself reached the server, but the browser refused to let the page read its response',
  redirect: 'a redirect of the request failed the CORS check',
  'not-sent': 'none: the browser refused to send the request at all',
  unknown: 'the preflight or the request itself (this engine words both the same way)',
};

/** A word safe inside single quotes in a POSIX shell. */
function shellQuote(value: string): string {
  let out = "'";
  for (const ch of value) out += ch === "'" ? "'\\''" : ch;
  return `${out}'`;
}

/** The `corsguard check` command that confirms the explanation, with what the message told. */
export function confirmCommand(e: Explanation): string {
  const parts = [
    'corsguard check',
    e.url === undefined ? '<the URL>' : shellQuote(e.url),
    '--origin',
    e.origin === undefined ? "<your page's origin>" : shellQuote(e.origin),
  ];
  if (e.method !== undefined) parts.push('--method', shellQuote(e.method));
  else if (e.step === 'preflight') parts.push('--method', '<the method>');
  if (e.header !== undefined) parts.push('--header', shellQuote(`${e.header}: <value>`));
  const credentialed: ProblemId[] = [
    'allow-origin-wildcard-credentials',
    'allow-credentials-missing',
    'allow-credentials-not-true',
    'method-wildcard-credentials',
    'header-wildcard-credentials',
  ];
  // Only when the most likely cause needs credentials: the others are listed as less likely.
  const first = e.problems[0]?.id;
  if (first !== undefined && credentialed.includes(first)) parts.push('--credentials');
  return parts.join(' ');
}

export function formatExplanation(e: Explanation, style: Style): string {
  const out: string[] = [];
  out.push(style.bold(`corsguard explain: a CORS error from ${ENGINE_LABELS[e.engine]}`));
  out.push(`  it says: ${forTerminal(e.reason)}`);
  out.push(`  step:    ${STEP_WORDS[e.step]}`);
  if (e.url !== undefined) out.push(`  URL:     ${forTerminal(e.url)}`);
  if (e.origin !== undefined) out.push(`  origin:  ${forTerminal(e.origin)}`);
  if (e.status !== undefined) out.push(`  status:  ${e.status}`);
  out.push('');
  if (e.problems.length === 0) {
    out.push(
      style.bold('No reason in this line.') +
        (e.engine === 'firefox'
          ? " Firefox prints 'CORS request did not succeed' after a failed preflight (paste the line before it too), alone for a redirect it refuses (to a data: URL, to a URL with user:password@, a broken Location: run the check command below), or when the server did not answer at all (down, wrong port, certificate refused)."
          : ' Paste the line before it too: that one says why.'),
    );
  } else {
    out.push(style.bold(e.problems.length === 1 ? 'Cause' : 'Likely causes (most likely first)'));
    for (const { id } of e.problems) {
      const advice = ADVICE[id];
      out.push(`  ${style.red(`[${id}]`)} ${advice?.cause ?? ''}`);
      if (advice !== undefined) out.push(`    fix: ${advice.fix}`);
    }
  }
  out.push('');
  out.push(style.bold('Confirm it against the server:'));
  out.push(`  ${forTerminal(confirmCommand(e))}`);
  return `${out.join('\n')}\n`;
}

export function explainJson(e: Explanation): unknown {
  return {
    engine: e.engine,
    step: e.step,
    problems: e.problems.map(({ id }) => ({ id, cause: ADVICE[id]?.cause ?? null, fix: ADVICE[id]?.fix ?? null })),
    url: e.url ?? null,
    origin: e.origin ?? null,
    method: e.method ?? null,
    header: e.header ?? null,
    status: e.status ?? null,
    reason: e.reason,
    check: confirmCommand(e),
  };
}

export const EXPLAIN_USAGE = `Usage: corsguard explain "<console message>" [options]

Reads a CORS error as Chromium, Firefox or WebKit prints it in the browser console (paste the whole
line, or several: the engine's reason and the lines after it) and says which browser printed it,
which request failed (preflight, the request itself, a redirect, or none: a mixed-content or Local
Network Access block stops it before sending), the likely causes with the fix in
corsguard's options, and the 'corsguard check' command that confirms it. '-' reads the message
from standard input.

Options:
  --json                     Print one JSON object: { engine, step, problems: [{ id, cause, fix }], url, origin, check, ... }

Exit status: 0 explained, 1 not a CORS error message corsguard knows, 2 could not run.
`;

async function readStdin(limit: number): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > limit) break;
  }
  return text;
}

/** `corsguard explain`: exit 0 when the message is explained, 1 when it is not one it knows. */
export async function explainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(EXPLAIN_USAGE);
    return EXIT_OK;
  }
  if (positionals.length === 0) {
    throw new UsageError(
      'explain needs the console message, in quotes, as in: corsguard explain "Access to fetch at \'https://api.example.com/items\' from origin ..."',
    );
  }
  const text = positionals.length === 1 && positionals[0] === '-' ? await readStdin(MAX_MESSAGE_LENGTH) : positionals.join(' ');
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new UsageError(`the message is longer than ${MAX_MESSAGE_LENGTH} characters; paste only the console lines of the CORS error`);
  }
  const explanation = explainMessage(text);
  if (explanation === undefined) {
    const answer =
      'not a CORS error corsguard knows: expected a console line from Chromium ("Access to fetch at ... has been blocked by CORS policy: ..."), ' +
      'Firefox ("Cross-Origin Request Blocked: ... (Reason: ...)") or WebKit/Safari ("Origin ... is not allowed by Access-Control-Allow-Origin", "Preflight response is not successful", ...), ' +
      'or a mixed-content block ("Mixed Content: The page at ...", "Blocked loading mixed active content ...", "[blocked] The page at ... requested insecure content from ...")';
    if (values.json) io.stdout.write(`${jsonForTerminal({ engine: null, step: null, problems: [], error: answer })}\n`);
    else io.stderr.write(`corsguard explain: ${answer}\n`);
    return EXIT_BLOCKED;
  }
  if (values.json) io.stdout.write(`${jsonForTerminal(explainJson(explanation))}\n`);
  else io.stdout.write(formatExplanation(explanation, createStyle(colourWanted(io.stdout, io.env))));
  return EXIT_OK;
}
