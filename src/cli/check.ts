/**
 * `corsguard check`: plays a browser's fetch() against a real server (preflight if needed,
 * then the actual request, following redirects as fetch does), judges each response with the
 * browser model, and then probes for what works today but is fragile. Each engine follows its
 * own path (engines differ on redirects); a request that several paths send identically is
 * sent once and shared.
 */
import { varyTokens } from '../protocol/header-list.js';
import {
  corsCheck,
  evaluatePreflight,
  planRequest,
  readableHeaders,
  type Engine,
  type RequestPlan,
  type HeaderAccess,
  type PageRequest,
  type ResponseHead,
} from './browser-model.js';
import { predictConsoleMessage, type ConsoleMessage } from './console-messages.js';
import { sendRequest, type ReceivedResponse, type SentRequest, type Transport } from './http.js';
import { mixedContentConsoleMessage, mixedContentProblem } from './mixed-content.js';
import { problem, type Problem } from './problems.js';
import { nextStep, REDIRECT_RULES } from './redirects.js';

export interface CheckOptions {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly credentials: boolean;
  /** Response headers the page wants to read. */
  readonly readHeaders: readonly string[];
  readonly body?: string | undefined;
  /** Engines whose behaviour counts where engines differ. */
  readonly engines: readonly Engine[];
  /** Run the fragility probes (Vary, error responses). */
  readonly probes: boolean;
  readonly timeoutMs: number;
}

/** One request the check sent, and what came back. */
export interface Exchange {
  readonly step: 'preflight' | 'actual' | 'probe';
  readonly label: string;
  readonly request: SentRequest;
  readonly response: ReceivedResponse;
  /** The engines whose path sent this exact request (sent once, shared); empty for probes. */
  readonly engines: readonly Engine[];
}

/** What one engine does with the request, following its own path through redirects. */
export interface EngineVerdict {
  readonly engine: Engine;
  /** Whether this engine sends a preflight before the first request. */
  readonly preflight: boolean;
  readonly preflightReasons: readonly string[];
  /** The page gets what it asked for: the response, and every header it wants to read. */
  readonly allowed: boolean;
  /** fetch() resolves (the CORS checks passed); false means it rejects with a TypeError. */
  readonly responseReadable: boolean;
  /** Status of the final actual response, when one was read. */
  readonly status: number | undefined;
  readonly readHeaders: readonly HeaderAccess[];
  /** Seconds this engine caches the last preflight answer, when one passed. */
  readonly preflightCacheSeconds: number | undefined;
  readonly problems: readonly Problem[];
  /** Indexes into CheckReport.exchanges, in the order this engine sent them. */
  readonly exchanges: readonly number[];
  /** What this engine prints in its DevTools console for the failure, when it blocks the request. */
  readonly consoleMessage: ConsoleMessage | undefined;
}

export interface CheckReport {
  readonly url: string;
  readonly origin: string;
  /** The method fetch() sends (normalized). */
  readonly method: string;
  readonly credentials: boolean;
  readonly engines: readonly Engine[];
  /** Whether a browser sends a preflight first (any of the engines). */
  readonly preflight: boolean;
  readonly preflightReasons: readonly string[];
  /** Allowed in every engine. */
  readonly allowed: boolean;
  /** fetch() resolves in every engine. */
  readonly responseReadable: boolean;
  /** Status of the final actual response, when every engine read the same one. */
  readonly status: number | undefined;
  /** A header counts as readable only when every engine lets the page read it. */
  readonly readHeaders: readonly HeaderAccess[];
  /** Seconds each engine caches the preflight answer (engines whose preflight passed). */
  readonly preflightCacheSeconds: Readonly<Partial<Record<Engine, number>>> | undefined;
  /** Every engine's problems, once each. */
  readonly problems: readonly Problem[];
  /** Every request sent, once each, whichever engines' paths it belongs to. */
  readonly exchanges: readonly Exchange[];
  /** One verdict per engine, in the order of `engines`. */
  readonly verdicts: readonly EngineVerdict[];
}

const UNRELATED_ORIGIN = 'https://corsguard-probe.invalid';

type SendOnce = (step: Exchange['step'], label: string, request: SentRequest, engine?: Engine) => Promise<ReceivedResponse>;

/** One engine's path before the probes. */
interface EnginePath {
  readonly verdict: Omit<EngineVerdict, 'allowed' | 'problems' | 'consoleMessage'>;
  readonly problems: Problem[];
  readonly passed: boolean;
  readonly finalUrl: URL;
  readonly final: ReceivedResponse | undefined;
}

/** The exact request, as a cache key: engines whose requests are identical share one exchange. */
function requestKey(request: SentRequest): string {
  return JSON.stringify([request.method, request.url, request.headers, request.body ?? null]);
}

/**
 * Runs the check. `send` is the transport: the network by default (the CLI), an in-process app
 * for corsguard/testing; everything else (the plan, each engine's path, the verdicts) is this one
 * code path. Throws RequestFailedError when a request cannot be made at all.
 */
export async function runCheck(options: CheckOptions, send: Transport = sendRequest): Promise<CheckReport> {
  const exchanges: Exchange[] = [];
  const byRequest = new Map<string, number>();
  const sentBy = new Map<Engine, number[]>();
  const sendOnce: SendOnce = async (step, label, request, engine) => {
    const key = requestKey(request);
    let index = step === 'probe' ? undefined : byRequest.get(key);
    if (index === undefined) {
      const response = await send(request, options.timeoutMs);
      index = exchanges.push({ step, label, request, response, engines: [] }) - 1;
      if (step !== 'probe') byRequest.set(key, index);
    }
    const found = exchanges[index]!;
    if (engine !== undefined) {
      (found.engines as Engine[]).push(engine);
      sentBy.get(engine)!.push(index);
    }
    return found.response;
  };

  const paths: EnginePath[] = [];
  for (const engine of options.engines) {
    sentBy.set(engine, []);
    paths.push(await followPath(options, engine, sendOnce, sentBy.get(engine)!));
  }

  // The probes do not depend on the engine: sent once, at the URL the first passing path ended on.
  const passing = paths.find((p) => p.passed && p.final !== undefined);
  const probeProblems =
    passing !== undefined && options.probes ? await probeFragility(options, passing.finalUrl, passing.final!, sendOnce) : [];

  const verdicts: EngineVerdict[] = paths.map((path) => {
    const problems = path.passed ? [...path.problems, ...probeProblems] : path.problems;
    const consoleMessage = path.passed
      ? undefined
      : (predictConsoleMessage({
          engine: path.verdict.engine,
          url: options.url,
          origin: options.origin,
          credentials: options.credentials,
          pageHeaders: options.headers,
          problems,
          exchanges: path.verdict.exchanges.map((i) => exchanges[i]!),
        }) ?? mixedContentConsoleMessage(path.verdict.engine, options.url, problems));
    return { ...path.verdict, problems, allowed: path.passed && !problems.some((p) => p.severity === 'error'), consoleMessage };
  });
  const first = planRequest(pageOf(options));
  const statuses = new Set(verdicts.map((v) => v.status));
  const cache: Partial<Record<Engine, number>> = {};
  for (const v of verdicts) if (v.preflightCacheSeconds !== undefined) cache[v.engine] = v.preflightCacheSeconds;
  return {
    url: options.url,
    origin: options.origin,
    method: first.method,
    credentials: options.credentials,
    engines: options.engines,
    preflight: verdicts.some((v) => v.preflight),
    preflightReasons: unique(
      verdicts.flatMap((v) => v.preflightReasons),
      (r) => r,
    ),
    allowed: verdicts.length > 0 && verdicts.every((v) => v.allowed),
    responseReadable: verdicts.length > 0 && verdicts.every((v) => v.responseReadable),
    status: statuses.size === 1 ? verdicts[0]!.status : undefined,
    readHeaders: verdicts.every((v) => v.responseReadable) ? readableEverywhere(verdicts) : [],
    preflightCacheSeconds: Object.keys(cache).length > 0 ? cache : undefined,
    problems: unique(
      verdicts.flatMap((v) => v.problems),
      problemKey,
    ),
    exchanges,
    verdicts,
  };
}

export function problemKey(p: Problem): string {
  return `${p.id}\n${p.message}`;
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function readableEverywhere(verdicts: readonly EngineVerdict[]): HeaderAccess[] {
  return (verdicts[0]?.readHeaders ?? []).map((h, i) => ({
    name: h.name,
    readable: verdicts.every((v) => v.readHeaders[i]?.readable === true),
    present: verdicts.some((v) => v.readHeaders[i]?.present === true),
  }));
}

function pageOf(options: CheckOptions): PageRequest {
  return {
    url: options.url,
    origin: options.origin,
    method: options.method,
    headers: options.headers,
    credentials: options.credentials,
    body: options.body,
  };
}

/** The request headers fetch() sends on an actual request. */
function actualHeaders(headers: RequestPlan['headers'], origin: string): [string, string][] {
  return [
    // fetch() adds Accept: */* only when the page set no Accept.
    ...(headers.some(([name]) => name.toLowerCase() === 'accept') ? [] : [['Accept', '*/*'] as [string, string]]),
    ...headers.map(([n, v]) => [n, v] as [string, string]),
    ['Origin', origin],
  ];
}

/** Why fetch() sends nothing for this URL from this page (user:password@ in it, or mixed content), if it does not. */
function refusedBeforeSending(origin: string, url: URL): Problem | undefined {
  if (url.username !== '' || url.password !== '') {
    return problem(
      'url-credentials',
      `the URL has a user name or password in it; fetch() throws a TypeError for such a URL and sends nothing`,
      'remove the user:password@ part; a page authenticates with a header it sets (Authorization) or with cookies',
    );
  }
  return mixedContentProblem(origin, url);
}

/**
 * The preflight of one hop, as `engine` sends it (Firefox keeps the page's origin on it after a
 * redirect to another origin, REDIRECT_RULES), and the model's verdict on its answer.
 */
async function preflightHop(
  plan: RequestPlan,
  page: PageRequest,
  pageOrigin: string,
  url: URL,
  suffix: string,
  engine: Engine,
  sendOnce: SendOnce,
): Promise<ReturnType<typeof evaluatePreflight>> {
  const preflightPage = REDIRECT_RULES[engine].preflightKeepsPageOrigin ? { ...page, origin: pageOrigin } : page;
  const preflightPlan = preflightPage === page ? plan : planRequest(preflightPage, engine);
  const response = await sendOnce(
    'preflight',
    `preflight${suffix}`,
    { method: 'OPTIONS', url: url.href, headers: preflightPlan.preflightHeaders },
    engine,
  );
  // A single-engine list, so engine-specific rules apply to this path only.
  return evaluatePreflight(preflightPlan, preflightPage, response, [engine]);
}

/** One engine's fetch(): preflight when it would, the actual request, each redirect as it follows it. */
async function followPath(options: CheckOptions, engine: Engine, sendOnce: SendOnce, sent: readonly number[]): Promise<EnginePath> {
  const problems: Problem[] = [];
  let page = pageOf(options);
  const firstPlan = planRequest(page, engine);
  problems.push(...firstPlan.problems);
  const rules = REDIRECT_RULES[engine];
  let url = new URL(options.url);
  let cacheSeconds: number | undefined;
  let final: ReceivedResponse | undefined;
  let passed = false;
  let preflighted = false;
  let corsSoFar = url.origin !== options.origin;

  const result = (): EnginePath => {
    let access: HeaderAccess[] = [];
    if (passed && final !== undefined) {
      const read = readableHeaders(final, options.credentials, options.readHeaders, engine, firstPlan.sameOrigin);
      access = read.access;
      problems.push(...read.problems);
    }
    return {
      verdict: {
        engine,
        preflight: firstPlan.preflight,
        preflightReasons: firstPlan.preflightReasons,
        responseReadable: passed,
        status: passed ? final?.status : undefined,
        readHeaders: access,
        preflightCacheSeconds: cacheSeconds,
        exchanges: sent,
      },
      problems,
      passed,
      finalUrl: url,
      final,
    };
  };

  const refused = refusedBeforeSending(options.origin, url);
  if (refused !== undefined) {
    problems.push(refused);
    return result();
  }

  for (let hop = 0; ; hop++) {
    const plan = planRequest(page, engine);
    const suffix = hop === 0 ? '' : ` (after redirect ${hop})`;
    if (plan.preflight || (preflighted && rules.preflightsEveryHopOnceNeeded)) {
      const verdict = await preflightHop(plan, page, options.origin, url, suffix, engine, sendOnce);
      problems.push(...verdict.problems);
      if (verdict.problems.some((p) => p.severity === 'error')) break;
      cacheSeconds = verdict.cacheSeconds[engine];
      preflighted = true;
    }
    const response = await sendOnce(
      'actual',
      `${plan.method} request${suffix}`,
      { method: plan.method, url: url.href, headers: actualHeaders(plan.headers, page.origin), body: page.body },
      engine,
    );
    const where = hop === 0 ? 'The response' : `The response after redirect ${hop}`;
    const failures = plan.sameOrigin ? [] : corsCheck(response, page.origin, page.credentials, where, engine);
    problems.push(...failures);
    if (failures.length > 0) break;
    const step = nextStep(response, url, page, options.origin, corsSoFar, hop, engine);
    if (step.kind === 'network-error') {
      problems.push(step.problem);
      break;
    }
    if (step.kind === 'final') {
      final = response;
      passed = true;
      break;
    }
    if (step.removed.some((name) => name.toLowerCase() === 'authorization')) {
      problems.push(
        problem(
          'redirect-drops-authorization',
          `the ${response.status} redirect goes to another origin (${step.url.origin}), so fetch() removes Authorization: the request arrives there without it`,
          'call the final URL directly: a redirect to another origin never carries Authorization',
        ),
      );
    }
    page = { ...step.page, url: step.url.href };
    url = step.url;
    corsSoFar ||= url.origin !== options.origin;
  }
  return result();
}

function corsAnswer(response: ResponseHead): string {
  return `${response.headers['access-control-allow-origin'] ?? ''}|${response.headers['access-control-allow-credentials'] ?? ''}`;
}

function variesOnOrigin(response: ResponseHead): boolean {
  const vary = response.headers['vary'];
  if (vary === undefined) return false;
  const tokens = varyTokens(vary);
  return tokens.includes('origin') || tokens.includes('*');
}

/** Looks for what works for this request today but breaks under a cache or on an error. */
async function probeFragility(options: CheckOptions, url: URL, actual: ReceivedResponse, exchange: SendOnce): Promise<Problem[]> {
  const problems: Problem[] = [];
  // A GET is harmless; the actual request's method might not be.
  const other = await exchange('probe', 'GET from an unrelated origin', {
    method: 'GET',
    url: url.href,
    headers: [
      ['Accept', '*/*'],
      ['Origin', UNRELATED_ORIGIN],
    ],
  });
  const none = await exchange('probe', 'GET without Origin', { method: 'GET', url: url.href, headers: [['Accept', '*/*']] });
  const answers = new Set([corsAnswer(actual), corsAnswer(other), corsAnswer(none)]);
  if (answers.size > 1) {
    const lacking: string[] = [];
    if (!variesOnOrigin(actual)) lacking.push(`the response to ${options.origin}`);
    if (!variesOnOrigin(other)) lacking.push('the response to another origin');
    if (!variesOnOrigin(none)) lacking.push('the response to a request without Origin');
    if (lacking.length > 0) {
      problems.push(
        problem(
          'vary-origin-missing',
          `the CORS headers depend on the request's Origin, but ${lacking.join(', ')} ${lacking.length > 1 ? 'have' : 'has'} no Vary: Origin; a shared cache (CDN, proxy, the browser's own cache) can serve one origin's answer to another`,
          'add Vary: Origin to every response whose CORS headers depend on Origin, including responses to requests without Origin and to refused origins (append to Vary, never overwrite it)',
        ),
      );
    }
  }

  const missingPath = `/corsguard-check-${Math.random().toString(36).slice(2, 10)}/does-not-exist`;
  const errorUrl = new URL(missingPath, url);
  const error = await exchange('probe', 'GET of a path that does not exist', {
    method: 'GET',
    url: errorUrl.href,
    headers: [
      ['Accept', '*/*'],
      ['Origin', options.origin],
    ],
  });
  const failures = corsCheck(error, options.origin, options.credentials, 'the error response');
  if (failures.length > 0 && (error.status < 200 || error.status > 299)) {
    problems.push(
      problem(
        'error-response-without-cors',
        `a ${error.status} response (to ${missingPath}) fails the CORS check: ${failures[0]!.message}; when this API answers an error, the page sees only an opaque network error instead of the status and body`,
        'run the CORS layer before routing and error handling, so every response, 4xx and 5xx included, carries the CORS headers',
      ),
    );
  }
  return problems;
}
