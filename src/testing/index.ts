/**
 * corsguard/testing: what each browser does with a fetch() to your own app, inside your test
 * suite. simulateFetch runs `corsguard check` (the browser model, each engine's path through
 * preflight and redirects, the fragility probes) with the app as its transport, and resolves to
 * the object `corsguard check --json` prints.
 */
import { AssertionError } from 'node:assert';
import { ENGINES, type Engine } from '../cli/browser-model.js';
import { runCheck } from '../cli/check.js';
import { checkJson } from '../cli/format-check.js';
import { RequestFailedError, type Transport } from '../cli/http.js';
import { isForbiddenMethod, isToken } from '../protocol/fetch-standard.js';
import { openTarget, recognise, SimulateFetchError, type OpenTarget, type Recognised, type Target } from './targets.js';

export { SimulateFetchError, type FetchHandler, type Target } from './targets.js';
export type { Engine };

/** The verdict: the object `corsguard check --json` prints (see docs/cli.md). */
export type FetchVerdict = ReturnType<typeof checkJson>;

/** What the page calls fetch() with, in fetch()'s own words. */
export interface SimulatedRequest {
  /** A path (resolved against a base URL target, or `http://localhost` for an app), or a full URL. */
  readonly url: string;
  /** The page's origin, e.g. `'https://app.example'`; `'null'` for a file:// page or a sandboxed iframe. */
  readonly origin: string;
  /** As written in the page (default GET): fetch() upper-cases only the standard methods, `patch` stays `patch`. */
  readonly method?: string | undefined;
  /** The headers the page sets: a plain object, a list of pairs or a `Headers`. */
  readonly headers?:
    | Readonly<Record<string, string>>
    | readonly (readonly [string, string])[]
    | Iterable<readonly [string, string]>
    | undefined;
  /** A string (fetch() labels it text/plain;charset=UTF-8 unless Content-Type is set) or URLSearchParams. */
  readonly body?: string | URLSearchParams | undefined;
  /** Default 'same-origin': cookies go to the page's own origin only. 'include' sends them cross-origin. */
  readonly credentials?: 'omit' | 'same-origin' | 'include' | undefined;
  /** Response headers the page reads (`response.headers.get(name)`); each must be readable for `allowed`. */
  readonly readHeaders?: readonly string[] | undefined;
  /** One engine, or several (default: chromium, firefox and webkit); `allowed` means allowed in each. */
  readonly engine?: Engine | readonly Engine[] | undefined;
}

export interface SimulateOptions {
  /**
   * Also probe what works today but is fragile (`Vary: Origin`, CORS headers on error responses),
   * as `check` does unless `--skip-probes`: three more requests (default true).
   */
  readonly probes?: boolean | undefined;
  /** How long each request may take, in milliseconds (default 4000, below Jest's and Vitest's 5 s test timeout). */
  readonly timeoutMs?: number | undefined;
  /**
   * Apps serving other origins, by origin: where a redirect leads, e.g.
   * `{ 'https://auth.example': authApp }`. An app target serves only its own origin (that of
   * `url`), so a redirect to an origin not listed here fails the call with a SimulateFetchError;
   * a base URL target follows it over the network, as `check` does.
   */
  readonly origins?: Readonly<Record<string, Target>> | undefined;
}

/** Where a path is served when the target is an app: the origin the app is tested as. */
export const DEFAULT_APP_ORIGIN = 'http://localhost';
const DEFAULT_TIMEOUT_MS = 4000;

function invalid(message: string): never {
  throw new SimulateFetchError(`simulateFetch: ${message}`);
}

function parseOrigin(origin: unknown, what: string): string {
  if (origin === 'null') return origin;
  if (typeof origin === 'string') {
    try {
      const url = new URL(origin);
      if (url.origin === origin) return origin;
      if (url.origin !== 'null')
        invalid(`${what} '${origin}' is not an origin; did you mean '${url.origin}'? (scheme://host[:port], no path, no trailing slash)`);
    } catch (error) {
      if (error instanceof SimulateFetchError) throw error;
    }
  }
  return invalid(`${what} ${JSON.stringify(origin)} is not an origin such as 'https://app.example' (or 'null')`);
}

function headerPairs(headers: SimulatedRequest['headers']): [string, string][] {
  if (headers === undefined) return [];
  const pairs: [string, string][] =
    Symbol.iterator in headers
      ? [...(headers as Iterable<readonly [string, string]>)].map(([n, v]) => [n, v])
      : Object.entries(headers as Record<string, string>);
  for (const [name, value] of pairs) {
    if (typeof name !== 'string' || !isToken(name)) invalid(`${JSON.stringify(name)} is not a header name (fetch() throws a TypeError)`);
    if (typeof value !== 'string' || /[\0\r\n]/.test(value))
      invalid(`the value of ${name} is not a string without NUL, CR and LF (fetch() throws a TypeError)`);
  }
  return pairs;
}

function engineList(engine: SimulatedRequest['engine']): Engine[] {
  const engines = engine === undefined ? [...ENGINES] : typeof engine === 'string' ? [engine] : [...engine];
  for (const e of engines) if (!ENGINES.includes(e)) invalid(`engine '${e}' is not one of ${ENGINES.join(', ')}`);
  if (engines.length === 0) invalid('engine is an empty list; leave it out for every engine');
  if (new Set(engines).size !== engines.length) invalid(`engine lists an engine twice: ${engines.join(', ')}`);
  return engines;
}

/** Opens the target and the other origins' apps; on a failure, closes what it opened. */
async function openAll(
  target: Recognised,
  url: URL,
  others: ReadonlyMap<string, Recognised>,
): Promise<{ main: OpenTarget; byOrigin: Map<string, OpenTarget> }> {
  const byOrigin = new Map<string, OpenTarget>();
  try {
    const main = await openTarget(target);
    if (!main.network) byOrigin.set(url.origin, main);
    for (const [origin, other] of others) byOrigin.set(origin, await openTarget(other));
    return { main, byOrigin };
  } catch (error) {
    await Promise.all([...byOrigin.values()].map((open) => open.close()));
    throw error;
  }
}

/**
 * What a browser's `fetch(url, { method, headers, body, credentials })` from a page at `origin`
 * does with `target` (see Target): in Chromium, Firefox and WebKit (or `engine`), with the
 * preflight when one is needed and each redirect followed as that engine follows it. Resolves to
 * the verdict `corsguard check --json` prints: `allowed`, `preflight`, `status`, `readHeaders`,
 * `problems` (each with its `id`) and one entry per engine in `verdicts`. A blocked request is a
 * verdict (`allowed: false`), not an error; the promise rejects (SimulateFetchError) only when the
 * simulation cannot run: a target or request it cannot take, an app that throws or does not answer
 * in time, a redirect to an origin no target serves. Every server it opened is closed before it
 * settles.
 */
export async function simulateFetch(target: Target, request: SimulatedRequest, options: SimulateOptions = {}): Promise<FetchVerdict> {
  if (typeof request !== 'object' || request === null) invalid('the request must be an object such as { url, origin }');
  const recognised = recognise(target);
  const others = new Map<string, Recognised>();
  for (const [key, other] of Object.entries(options.origins ?? {}))
    others.set(parseOrigin(key, 'options.origins key'), recognise(other, `options.origins['${key}']`));
  const origin = parseOrigin(request.origin, 'origin');
  let url: URL;
  try {
    url = new URL(request.url, recognised.kind === 'url' ? recognised.url : DEFAULT_APP_ORIGIN);
  } catch {
    return invalid(`url ${JSON.stringify(request.url)} is neither a path nor a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`url '${url.href}' is not an http(s) URL`);
  if (others.has(url.origin)) invalid(`options.origins names ${url.origin}, the origin the target itself is tested as`);
  const method = request.method ?? 'GET';
  if (!isToken(method)) invalid(`'${method}' is not a method (fetch() throws a TypeError)`);
  if (isForbiddenMethod(method)) invalid(`${method} is a forbidden method: fetch() throws a TypeError`);
  const headers = headerPairs(request.headers);
  let body = request.body;
  if (body instanceof URLSearchParams) {
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type'))
      headers.push(['Content-Type', 'application/x-www-form-urlencoded;charset=UTF-8']);
    body = body.toString();
  }
  if (body !== undefined && typeof body !== 'string') invalid('body must be a string or URLSearchParams');
  const upper = method.toUpperCase();
  if (body !== undefined && (upper === 'GET' || upper === 'HEAD'))
    invalid(`a ${upper} request cannot have a body: fetch() throws a TypeError`);
  const credentials = request.credentials ?? 'same-origin';
  if (!['omit', 'same-origin', 'include'].includes(credentials))
    invalid(`credentials '${String(credentials)}' is not 'omit', 'same-origin' or 'include'`);
  const readHeaders = [...(request.readHeaders ?? [])];
  for (const name of readHeaders) if (!isToken(name)) invalid(`readHeaders: ${JSON.stringify(name)} is not a header name`);
  const engines = engineList(request.engine);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    invalid(`timeoutMs must be a positive whole number of milliseconds, got ${String(timeoutMs)}`);

  const { main, byOrigin } = await openAll(recognised, url, others);
  const transport: Transport = (sent, ms) => {
    const served = byOrigin.get(new URL(sent.url).origin);
    if (served !== undefined) return served.transport(sent, ms);
    if (main.network) return main.transport(sent, ms);
    return Promise.reject(
      new SimulateFetchError(
        `simulateFetch: the app was asked for ${sent.url} (a redirect), but it serves only ${url.origin}; pass options.origins: { '${new URL(sent.url).origin}': app } to serve that origin too`,
      ),
    );
  };
  try {
    const report = await runCheck(
      {
        url: url.href,
        origin,
        method,
        headers,
        credentials: credentials === 'include',
        readHeaders,
        // fetch() sends a string body as UTF-8; the client sends the Latin-1 string of its bytes.
        body: body === undefined ? undefined : Buffer.from(body, 'utf8').toString('latin1'),
        engines,
        probes: options.probes ?? true,
        timeoutMs,
      },
      transport,
    );
    return checkJson(report);
  } catch (error) {
    if (error instanceof RequestFailedError) throw new SimulateFetchError(`simulateFetch: ${error.message}`, { cause: error });
    throw error;
  } finally {
    await Promise.all([...new Set([main, ...byOrigin.values()])].map((open) => open.close()));
  }
}

function problemLines(problems: readonly { id: string; severity: string; message: string }[]): string[] {
  return problems.map((p) => `    ${p.severity} ${p.id}: ${p.message}`);
}

/** Each engine's outcome and problems, for an assertion message; engines that agree share one entry. */
function byEngine(verdict: FetchVerdict): string {
  const groups = new Map<string, string[]>();
  for (const [engine, v] of Object.entries(verdict.verdicts)) {
    const outcome = v.allowed
      ? 'allowed'
      : v.responseReadable
        ? 'response read, but not every header the page reads'
        : 'blocked (fetch() rejects)';
    const text = [outcome, ...problemLines(v.problems)].join('\n');
    groups.set(text, [...(groups.get(text) ?? []), engine]);
  }
  return [...groups].map(([text, engines]) => `  ${engines.join(', ')}: ${text}`).join('\n');
}

function request(verdict: FetchVerdict): string {
  return `${verdict.method} ${verdict.url} from ${verdict.origin}${verdict.credentials ? ' with credentials' : ''}`;
}

/** Throws an AssertionError, listing each engine's problems, unless the request is allowed in every engine. */
export function expectAllowed(verdict: FetchVerdict): void {
  if (verdict.allowed) return;
  throw new AssertionError({
    message: `expected ${request(verdict)} to be allowed, but:\n${byEngine(verdict)}`,
    actual: false,
    expected: true,
    operator: 'expectAllowed',
  });
}

/**
 * Throws an AssertionError unless the request is blocked (not allowed) in some engine, and, given
 * a problem id (e.g. 'allow-origin-mismatch'), unless that problem is among the reasons.
 */
export function expectBlocked(verdict: FetchVerdict, problemId?: string): void {
  if (verdict.allowed) {
    throw new AssertionError({
      message: `expected ${request(verdict)} to be blocked, but every engine allows it`,
      actual: true,
      expected: false,
      operator: 'expectBlocked',
    });
  }
  if (problemId !== undefined && !verdict.problems.some((p) => p.id === problemId)) {
    throw new AssertionError({
      message: `expected ${request(verdict)} to be blocked with ${problemId}, but the problems are:\n${byEngine(verdict)}`,
      actual: verdict.problems.map((p) => p.id),
      expected: problemId,
      operator: 'expectBlocked',
    });
  }
}
