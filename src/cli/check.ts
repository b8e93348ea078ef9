/**
 * `corsguard check`: plays a browser's fetch() against a real server (preflight if needed,
 * then the actual request, following redirects as fetch does), judges each response with the
 * browser model, and then probes for what works today but is fragile.
 */
import { varyTokens } from '../spec/header-list.js';
import {
  corsCheck,
  evaluatePreflight,
  planRequest,
  readableHeaders,
  type Engine,
  type HeaderAccess,
  type PageRequest,
  type ResponseHead,
} from './browser-model.js';
import { sendRequest, type ReceivedResponse, type SentRequest } from './http.js';
import { problem, type Problem } from './problems.js';

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
}

export interface CheckReport {
  readonly url: string;
  readonly origin: string;
  /** The method fetch() sends (normalized). */
  readonly method: string;
  readonly credentials: boolean;
  readonly engines: readonly Engine[];
  /** Whether a browser sends a preflight first. */
  readonly preflight: boolean;
  readonly preflightReasons: readonly string[];
  /** The page gets what it asked for: the response, and every header it wants to read. */
  readonly allowed: boolean;
  /** fetch() resolves (the CORS checks passed); false means it rejects with a TypeError. */
  readonly responseReadable: boolean;
  /** Status of the final actual response, when one was sent. */
  readonly status: number | undefined;
  readonly readHeaders: readonly HeaderAccess[];
  /** Seconds each engine caches the preflight answer. */
  readonly preflightCacheSeconds: Readonly<Record<Engine, number>> | undefined;
  readonly problems: readonly Problem[];
  readonly exchanges: readonly Exchange[];
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
const UNRELATED_ORIGIN = 'https://corsguard-probe.invalid';

type Send = (req: SentRequest, timeoutMs: number) => Promise<ReceivedResponse>;

function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

/** Runs the check. Throws RequestFailedError when a request cannot be made at all. */
export async function runCheck(options: CheckOptions, send: Send = sendRequest): Promise<CheckReport> {
  const exchanges: Exchange[] = [];
  const problems: Problem[] = [];
  const exchange = async (step: Exchange['step'], label: string, request: SentRequest): Promise<ReceivedResponse> => {
    const response = await send(request, options.timeoutMs);
    exchanges.push({ step, label, request, response });
    return response;
  };

  // With one engine selected, the model answers as that engine; otherwise as the standard.
  const engine = options.engines.length === 1 ? options.engines[0] : undefined;
  let page: PageRequest = {
    url: options.url,
    origin: options.origin,
    method: options.method,
    headers: options.headers,
    credentials: options.credentials,
    body: options.body,
  };
  const firstPlan = planRequest(page, engine);
  problems.push(...firstPlan.problems);
  let url = new URL(options.url);
  let cacheSeconds: Record<Engine, number> | undefined;
  let final: ReceivedResponse | undefined;
  let passed = false;

  for (let hop = 0; ; hop++) {
    if (hop > MAX_REDIRECTS) {
      problems.push(
        problem('redirect-limit', `the request was redirected more than ${MAX_REDIRECTS} times; fetch() gives up`, 'fix the redirect loop'),
      );
      break;
    }
    const plan = planRequest(page, engine);
    const suffix = hop === 0 ? '' : ` (after redirect ${hop})`;
    if (plan.preflight) {
      const preflightResponse = await exchange('preflight', `preflight${suffix}`, {
        method: 'OPTIONS',
        url: url.href,
        headers: plan.preflightHeaders,
      });
      const verdict = evaluatePreflight(plan, page, preflightResponse, options.engines);
      problems.push(...verdict.problems);
      if (verdict.problems.some((p) => p.severity === 'error')) break;
      cacheSeconds = verdict.cacheSeconds;
    }
    const response = await exchange('actual', `${plan.method} request${suffix}`, {
      method: plan.method,
      url: url.href,
      headers: [
        // fetch() adds Accept: */* only when the page set no Accept.
        ...(plan.headers.some(([name]) => name.toLowerCase() === 'accept') ? [] : [['Accept', '*/*'] as const]),
        ...plan.headers,
        ['Origin', page.origin],
      ],
      body: page.body,
    });
    const where = hop === 0 ? 'The response' : `The response after redirect ${hop}`;
    const failures = plan.sameOrigin ? [] : corsCheck(response, page.origin, page.credentials, where, engine);
    problems.push(...failures);
    if (failures.length > 0) break;
    const location = response.headers['location'];
    if (REDIRECT_STATUSES.has(response.status) && location !== undefined) {
      const next = new URL(location, url);
      // A cross-origin hop taints the origin: later hops send `Origin: null`.
      const origin = !sameOrigin(url, next) && page.origin !== url.origin ? 'null' : page.origin;
      const toGet =
        (response.status === 303 && page.method !== 'GET' && page.method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && plan.method === 'POST');
      page = {
        ...page,
        url: next.href,
        origin,
        method: toGet ? 'GET' : page.method,
        body: toGet ? undefined : page.body,
        headers: toGet ? page.headers.filter(([n]) => !n.toLowerCase().startsWith('content-')) : page.headers,
      };
      url = next;
      continue;
    }
    final = response;
    passed = true;
    break;
  }

  let access: HeaderAccess[] = [];
  if (passed && final !== undefined) {
    const read = readableHeaders(final, options.credentials, options.readHeaders, engine, firstPlan.sameOrigin);
    access = read.access;
    problems.push(...read.problems);
    if (options.probes) problems.push(...(await probeFragility(options, url, final, exchange)));
  }

  return {
    url: options.url,
    origin: options.origin,
    method: firstPlan.method,
    credentials: options.credentials,
    engines: options.engines,
    preflight: firstPlan.preflight,
    preflightReasons: firstPlan.preflightReasons,
    allowed: passed && !problems.some((p) => p.severity === 'error'),
    responseReadable: passed,
    status: final?.status,
    readHeaders: access,
    preflightCacheSeconds: cacheSeconds,
    problems,
    exchanges,
  };
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
async function probeFragility(
  options: CheckOptions,
  url: URL,
  actual: ReceivedResponse,
  exchange: (step: Exchange['step'], label: string, request: SentRequest) => Promise<ReceivedResponse>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  // A GET is harmless; the actual request's method might not be.
  const other = await exchange('probe', 'GET from an unrelated origin', {
    method: 'GET',
    url: url.href,
    headers: [['Accept', '*/*'], ['Origin', UNRELATED_ORIGIN]],
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
    headers: [['Accept', '*/*'], ['Origin', options.origin]],
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
