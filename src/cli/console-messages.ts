/**
 * The message each engine prints in its DevTools console when it blocks a CORS request, as
 * `corsguard check` predicts it: the wording of Chromium's, Firefox's and WebKit's own CORS error
 * strings, with the URL, origin, header or status filled in. That text is what users paste into
 * a search box, so `check` shows it beside its own explanation, and `corsguard explain` reads it
 * back (explain.ts). The templates were written from messages captured in Chromium 156, Firefox
 * ESR 153 and WebKitGTK 2.50; the browser suite asserts them against what each engine prints
 * (test/browsers/console.ts, from conformance.test.ts and webkit-console.test.ts). Keyed by the problem ids of problems.ts; a problem no engine reports in its
 * console (a hidden response header, a warning) has no message.
 */
import { parseTokenList } from '../protocol/header-list.js';
import { responseAsSeenBy, type Engine, type ResponseHead } from './browser-model.js';
import type { Problem, ProblemId } from './problems.js';

/** What a message is filled in with: the failing request, and the response it failed on. */
export interface ConsoleContext {
  /** The URL the page passed to fetch(). */
  readonly url: string;
  /** The URL of the request that failed (differs from `url` after a redirect). */
  readonly failedUrl: string;
  /** The Origin the failing request carried ('null' after a redirect to another origin). */
  readonly origin: string;
  /** The page's origin (Chromium names it even where the request carried 'null'). */
  readonly pageOrigin: string;
  /** Which request failed: the preflight, or the actual request (or one of its redirects). */
  readonly step: 'preflight' | 'actual';
  readonly status: number;
  /** Response headers as the engine reads them (lower-case names, same-name lines joined). */
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** The method fetch() sends. */
  readonly method: string;
  /** The first request header the preflight did not allow, as the page wrote it. */
  readonly deniedHeader?: string | undefined;
  /** The Location a redirect pointed to (resolved against the request's URL), for redirect problems. */
  readonly location?: string | undefined;
}

/** The console lines an engine prints for one failure: the reason, then any generic follow-up. */
export interface ConsoleMessage {
  readonly engine: Engine;
  /** The problem the message reports (engines check in different orders: see reportedProblem). */
  readonly problem: ProblemId;
  /** The line that says why (the one worth searching for). */
  readonly text: string;
  /** Lines the engine prints after it that carry no reason of their own. */
  readonly followUp: readonly string[];
}

// As the engines spell it in their messages, whatever case the server sent it in (not HEADER.allowOrigin,
// which is the spelling corsguard writes on the wire).
const ACAO = 'Access-Control-Allow-Origin';

/**
 * The failures engines word differently from each other, but each in one way whatever corsguard's
 * finer diagnosis: Chromium says "not equal to the supplied origin" for a trailing slash, a case
 * or a port difference alike. Each engine's templates are written per kind.
 */
export type FailureKind =
  | 'origin-missing'
  | 'origin-multiple'
  | 'origin-mismatch'
  | 'origin-wildcard-credentials'
  | 'credentials'
  | 'preflight-status'
  | 'preflight-redirect'
  | 'method'
  | 'header'
  | 'methods-malformed'
  | 'headers-malformed'
  | 'redirect-not-http'
  | 'redirect-credentials';

const KIND_OF: Readonly<Partial<Record<ProblemId, FailureKind>>> = {
  'allow-origin-missing': 'origin-missing',
  'allow-origin-multiple': 'origin-multiple',
  'allow-origin-mismatch': 'origin-mismatch',
  'allow-origin-trailing-slash': 'origin-mismatch',
  'allow-origin-case': 'origin-mismatch',
  'allow-origin-scheme': 'origin-mismatch',
  'allow-origin-port': 'origin-mismatch',
  'allow-origin-wildcard-credentials': 'origin-wildcard-credentials',
  'allow-credentials-missing': 'credentials',
  'allow-credentials-not-true': 'credentials',
  'preflight-unauthorized': 'preflight-status',
  'preflight-forbidden': 'preflight-status',
  'preflight-no-options-route': 'preflight-status',
  'preflight-server-error': 'preflight-status',
  'preflight-status': 'preflight-status',
  'preflight-redirect': 'preflight-redirect',
  'method-not-allowed': 'method',
  'method-case-mismatch': 'method',
  'method-wildcard-credentials': 'method',
  'header-not-allowed': 'header',
  'header-wildcard-credentials': 'header',
  'authorization-wildcard': 'header',
  'allow-methods-malformed': 'methods-malformed',
  'allow-headers-malformed': 'headers-malformed',
  'redirect-not-http': 'redirect-not-http',
  'redirect-credentials': 'redirect-credentials',
};

/** The problem ids of one kind, most likely first (what `explain` offers for an engine's wording). */
export function idsOfKind(kind: FailureKind): ProblemId[] {
  return (Object.keys(KIND_OF) as ProblemId[]).filter((id) => KIND_OF[id] === kind);
}

// --- Chromium: "Access to fetch at '<url>' from origin '<origin>' has been blocked by CORS policy: <reason>"

export const CHROMIUM_PREFIX = 'Access to fetch at ';
export const CHROMIUM_POLICY = ' has been blocked by CORS policy: ';
export const CHROMIUM_PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
/**
 * Chromium's Local Network Access reasons (local-network-access.ts), measured in Chromium 156 with
 * `check --real`, followed by the address space (`loopback` or `local`) and "` address space.":
 * a secure page the user did not grant the permission (or that no one could grant it: automation),
 * and a page that is not a secure context, which is never asked.
 */
export const CHROMIUM_LNA_DENIED = 'Permission was denied for this request to access the `';
export const CHROMIUM_LNA_INSECURE = 'The request client is not a secure context and the resource is in more-private address space `';

function chromiumReason(kind: FailureKind, c: ConsoleContext): string | undefined {
  const allowOrigin = c.responseHeaders['access-control-allow-origin'] ?? '';
  switch (kind) {
    case 'origin-missing':
      return `No '${ACAO}' header is present on the requested resource.`;
    case 'origin-multiple':
      return `The '${ACAO}' header contains multiple values '${allowOrigin}', but only one is allowed. Have the server send the header with a valid value.`;
    case 'origin-mismatch':
      return `The '${ACAO}' header has a value '${allowOrigin}' that is not equal to the supplied origin. Have the server send the header with a valid value.`;
    case 'origin-wildcard-credentials':
      return `The value of the '${ACAO}' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.`;
    case 'credentials':
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${c.responseHeaders['access-control-allow-credentials'] ?? ''}' which must be 'true' when the request's credentials mode is 'include'.`;
    case 'preflight-status':
      return 'It does not have HTTP ok status.';
    case 'preflight-redirect':
      return 'Redirect is not allowed for a preflight request.';
    case 'method':
      return `Method ${c.method} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'header':
      return `Request header field ${(c.deniedHeader ?? '').toLowerCase()} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'methods-malformed':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'headers-malformed':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'redirect-credentials':
      // Chromium leaves the location out.
      return "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.";
    default:
      return undefined;
  }
}

/** Failures Chromium reports on a preflight without its "Response to preflight request..." lead. */
const CHROMIUM_BARE_PREFLIGHT: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'preflight-redirect',
  'method',
  'header',
  'methods-malformed',
  'headers-malformed',
  'redirect-credentials',
]);

function chromium(kind: FailureKind, c: ConsoleContext): Omit<ConsoleMessage, 'problem'> | undefined {
  const reason = chromiumReason(kind, c);
  if (reason === undefined) return undefined;
  const lead = c.step === 'preflight' && !CHROMIUM_BARE_PREFLIGHT.has(kind) ? CHROMIUM_PREFLIGHT : '';
  const at = c.failedUrl === c.url ? `'${c.url}'` : `'${c.failedUrl}' (redirected from '${c.url}')`;
  return {
    engine: 'chromium',
    text: `${CHROMIUM_PREFIX}${at} from origin '${c.pageOrigin}'${CHROMIUM_POLICY}${lead}${reason}`,
    followUp: ['Failed to load resource: net::ERR_FAILED'],
  };
}

// --- Firefox: "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: <reason>)."

export const FIREFOX_PREFIX = 'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ';
export const FIREFOX_REASON = '. (Reason: ';

function firefoxReason(kind: FailureKind, c: ConsoleContext): string | undefined {
  switch (kind) {
    case 'origin-missing':
      return `CORS header ‘${ACAO}’ missing). Status code: ${c.status}.`;
    case 'origin-multiple':
      return `Multiple CORS header ‘${ACAO}’ not allowed).`;
    case 'origin-mismatch':
      return `CORS header ‘${ACAO}’ does not match ‘${c.responseHeaders['access-control-allow-origin'] ?? ''}’).`;
    case 'origin-wildcard-credentials':
      return `Credential is not supported if the CORS header ‘${ACAO}’ is ‘*’).`;
    case 'credentials':
      return 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).';
    case 'preflight-status':
    case 'preflight-redirect':
      return `CORS preflight response did not succeed). Status code: ${c.status}.`;
    case 'method':
      return 'Did not find method in CORS header ‘Access-Control-Allow-Methods’).';
    case 'header':
      return `header ‘${(c.deniedHeader ?? '').toLowerCase()}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`;
    default:
      return undefined;
  }
}

/** Firefox's line for the request as a whole, printed after a failed preflight. */
function firefoxDidNotSucceed(url: string): string {
  return `${FIREFOX_PREFIX}${url}${FIREFOX_REASON}CORS request did not succeed). Status code: (null).`;
}

function firefox(kind: FailureKind, c: ConsoleContext): Omit<ConsoleMessage, 'problem'> | undefined {
  const reason = firefoxReason(kind, c);
  if (reason === undefined) return undefined;
  // Firefox quotes the URL in this one message only.
  const url = kind === 'origin-wildcard-credentials' ? `‘${c.failedUrl}’` : c.failedUrl;
  return {
    engine: 'firefox',
    text: `${FIREFOX_PREFIX}${url}${FIREFOX_REASON}${reason}`,
    followUp: c.step === 'preflight' ? [firefoxDidNotSucceed(c.failedUrl)] : [],
  };
}

// --- WebKit: the reason on one line, then "Fetch API cannot load <url> due to access control checks."

export const WEBKIT_CANNOT_LOAD = 'Fetch API cannot load ';
export const WEBKIT_ACCESS_CHECKS = ' due to access control checks.';

function webkitReason(kind: FailureKind, c: ConsoleContext): string | undefined {
  switch (kind) {
    case 'origin-missing':
    case 'origin-mismatch':
      return `Origin ${c.origin} is not allowed by ${ACAO}. Status code: ${c.status}`;
    case 'origin-multiple':
      return `${ACAO} cannot contain more than one origin.`;
    case 'origin-wildcard-credentials':
      return `Cannot use wildcard in ${ACAO} when credentials flag is true.`;
    case 'credentials':
      return 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".';
    case 'preflight-status':
    case 'preflight-redirect':
      return `Preflight response is not successful. Status code: ${c.status}`;
    case 'method':
      return `Method ${c.method} is not allowed by Access-Control-Allow-Methods.`;
    case 'header':
      return `Request header field ${c.deniedHeader ?? ''} is not allowed by Access-Control-Allow-Headers.`;
    case 'redirect-not-http':
      return `Cross-origin redirection to ${c.location ?? ''} denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme`;
    case 'redirect-credentials':
      return `Cross-origin redirection to ${withoutCredentials(c.location ?? '')} denied by Cross-Origin Resource Sharing policy: redirection URL ${c.location ?? ''} has credentials`;
    default:
      return undefined;
  }
}

/** The URL without its user:password@ (WebKit names the target that way first). */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

function webkit(kind: FailureKind, c: ConsoleContext): Omit<ConsoleMessage, 'problem'> | undefined {
  const reason = webkitReason(kind, c);
  if (reason === undefined) return undefined;
  return { engine: 'webkit', text: reason, followUp: [`${WEBKIT_CANNOT_LOAD}${c.url}${WEBKIT_ACCESS_CHECKS}`] };
}

const BY_ENGINE: Readonly<Record<Engine, (kind: FailureKind, c: ConsoleContext) => Omit<ConsoleMessage, 'problem'> | undefined>> = {
  chromium,
  firefox,
  webkit,
};

/** What `engine` prints in its console for the problem `id`, or undefined when it prints nothing we model. */
export function consoleMessage(engine: Engine, id: ProblemId, context: ConsoleContext): ConsoleMessage | undefined {
  const kind = KIND_OF[id];
  const message = kind === undefined ? undefined : BY_ENGINE[engine](kind, context);
  return message === undefined ? undefined : { ...message, problem: id };
}

/**
 * Engines that run the CORS check of a preflight response (Access-Control-Allow-Origin and
 * -Credentials) before looking at its status, and so report a 403 without CORS headers as a
 * missing Access-Control-Allow-Origin (measured: Chromium 156, Firefox ESR 153).
 */
const CORS_CHECK_BEFORE_STATUS: Readonly<Record<Engine, boolean>> = { chromium: true, firefox: true, webkit: false };

/** The problem an engine's console reports: the first error, in the order that engine checks. */
function reportedProblem(engine: Engine, problems: readonly Problem[]): Problem | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  if (CORS_CHECK_BEFORE_STATUS[engine] && errors.length > 1 && KIND_OF[errors[0]!.id] === 'preflight-status') {
    return errors.find((p) => KIND_OF[p.id] !== 'preflight-status') ?? errors[0];
  }
  return errors[0];
}

/** A request the check sent on an engine's path, and its answer (check.ts's Exchange). */
export interface SentExchange {
  readonly step: 'preflight' | 'actual' | 'probe';
  readonly request: { readonly method: string; readonly url: string; readonly headers: readonly (readonly [string, string])[] };
  readonly response: ResponseHead;
}

function requestHeader(exchange: SentExchange, lowerName: string): string | undefined {
  return exchange.request.headers.find(([name]) => name.toLowerCase() === lowerName)?.[1];
}

/**
 * The request header an engine names when the preflight does not allow it: the first name of
 * Access-Control-Request-Headers (sorted, lower case) that Access-Control-Allow-Headers lacks,
 * written as the page wrote it.
 */
function deniedHeader(
  preflight: SentExchange,
  response: ResponseHead,
  credentials: boolean,
  pageHeaders: readonly (readonly [string, string])[],
): string | undefined {
  const requested = requestHeader(preflight, 'access-control-request-headers');
  if (requested === undefined) return undefined;
  const allowed = new Set((parseTokenList(response.headers['access-control-allow-headers'] ?? '') ?? []).map((n) => n.toLowerCase()));
  const wildcard = allowed.has('*') && !credentials;
  for (const name of parseTokenList(requested) ?? []) {
    if (allowed.has(name) || (wildcard && name !== 'authorization')) continue;
    return pageHeaders.find(([given]) => given.toLowerCase() === name)?.[0] ?? name;
  }
  return undefined;
}

function resolvedLocation(location: string | undefined, base: string): string | undefined {
  if (location === undefined) return undefined;
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** What one engine's path ended on: enough to fill in the console message it prints. */
export interface EnginePathFacts {
  readonly engine: Engine;
  readonly url: string;
  /** The page's origin. */
  readonly origin: string;
  readonly credentials: boolean;
  /** The headers the page set, as it wrote them. */
  readonly pageHeaders: readonly (readonly [string, string])[];
  readonly problems: readonly Problem[];
  /** The requests this engine sent, in order. */
  readonly exchanges: readonly SentExchange[];
}

/**
 * The console message `facts.engine` prints for the failure that ended its path: the first
 * error, filled in from the last request the engine sent. Undefined when the path did not fail
 * on a request, or fails in a way the engine does not explain in its console.
 */
export function predictConsoleMessage(facts: EnginePathFacts): ConsoleMessage | undefined {
  const first = reportedProblem(facts.engine, facts.problems);
  const last = facts.exchanges.at(-1);
  if (first === undefined || last === undefined || last.step === 'probe') return undefined;
  const seen = responseAsSeenBy(last.response, facts.engine);
  const method =
    last.step === 'preflight' ? (requestHeader(last, 'access-control-request-method') ?? last.request.method) : last.request.method;
  return consoleMessage(facts.engine, first.id, {
    url: facts.url,
    failedUrl: last.request.url,
    origin: requestHeader(last, 'origin') ?? 'null',
    pageOrigin: facts.origin,
    step: last.step,
    status: last.response.status,
    responseHeaders: seen.headers,
    method,
    deniedHeader: last.step === 'preflight' ? deniedHeader(last, seen, facts.credentials, facts.pageHeaders) : undefined,
    location: resolvedLocation(seen.headers['location'], last.request.url),
  });
}
