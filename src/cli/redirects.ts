/**
 * What a browser's fetch() does with a redirect (the Fetch standard's "HTTP-redirect fetch"),
 * and where each engine departs from it, as measured by the browser suite
 * (test/browsers/scenarios.ts, MULTI_HOP_SCENARIOS) in Chromium 156, Firefox ESR 153 and
 * WebKitGTK 2.50. Pure functions: check.ts does the I/O.
 */
import type { Engine, PageRequest, ResponseHead } from './browser-model.js';
import { problem, type Problem } from './problems.js';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 20;

/** How one engine follows a redirect, where engines differ. */
export interface RedirectRules {
  /**
   * A request that needed a preflight is preflighted again at every later hop, even when what
   * is left of it (after a 302 to GET, or Authorization removed) is a simple request.
   * Chromium decides afresh at each hop.
   */
  readonly preflightsEveryHopOnceNeeded: boolean;
  /** The preflight at a later hop carries the page's origin, where the actual request sends `null`. */
  readonly preflightKeepsPageOrigin: boolean;
  /** Several `Location` lines are joined with ', ' and followed, where the standard fails the fetch. */
  readonly joinsLocationLines: boolean;
}

export const REDIRECT_RULES: Readonly<Record<Engine, RedirectRules>> = {
  chromium: { preflightsEveryHopOnceNeeded: false, preflightKeepsPageOrigin: false, joinsLocationLines: false },
  firefox: { preflightsEveryHopOnceNeeded: true, preflightKeepsPageOrigin: true, joinsLocationLines: false },
  webkit: { preflightsEveryHopOnceNeeded: true, preflightKeepsPageOrigin: false, joinsLocationLines: true },
};

/** Fetch's request-body header names: what a redirect to GET removes (and nothing else). */
const REQUEST_BODY_HEADERS: ReadonlySet<string> = new Set(['content-encoding', 'content-language', 'content-location', 'content-type']);

/** What follows a response. */
export type RedirectStep =
  /** Not a redirect (or a redirect status without Location): this is the response the page gets. */
  | { readonly kind: 'final' }
  /** fetch() rejects with a network error. */
  | { readonly kind: 'network-error'; readonly problem: Problem }
  /** The request to send next; `removed` names the headers the redirect took off it. */
  | { readonly kind: 'follow'; readonly url: URL; readonly page: PageRequest; readonly removed: readonly string[] };

function networkError(id: Parameters<typeof problem>[0], message: string, fix: string): RedirectStep {
  return { kind: 'network-error', problem: problem(id, message, fix) };
}

/**
 * The next step after `response` to `page` at `url` (HTTP-redirect fetch). `pageOrigin` is the
 * page's own origin (`page.origin` may already be the tainted `null`); `corsSoFar` tells whether
 * any URL so far was cross-origin to the page (the response tainting is then "cors"); `hop`
 * counts redirects followed so far.
 */
export function nextStep(
  response: ResponseHead,
  url: URL,
  page: PageRequest,
  pageOrigin: string,
  corsSoFar: boolean,
  hop: number,
  engine: Engine,
): RedirectStep {
  if (!REDIRECT_STATUSES.has(response.status)) return { kind: 'final' };
  const location = response.headers['location'];
  if (location === undefined) return { kind: 'final' };
  const where = `The ${response.status} redirect${hop === 0 ? '' : ` after redirect ${hop}`}`;
  if ((response.lineCounts['location'] ?? 1) > 1 && !REDIRECT_RULES[engine].joinsLocationLines) {
    return networkError(
      'redirect-location-invalid',
      `${where} has several Location lines ('${location}'); the fetch fails with a network error (WebKit alone joins the lines into one URL and follows it)`,
      'send one Location header',
    );
  }
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    return networkError(
      'redirect-location-invalid',
      `${where} has Location '${location}', which is not a URL; fetch() fails with a network error`,
      'send an absolute http(s) URL, or a path, in Location',
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return networkError(
      'redirect-not-http',
      `${where} goes to a ${next.protocol} URL; fetch() follows redirects only to http and https URLs, so it fails with a network error`,
      'redirect to an http(s) URL, or answer the request directly',
    );
  }
  if (hop >= MAX_REDIRECTS) {
    return networkError(
      'redirect-limit',
      `the request was redirected more than ${MAX_REDIRECTS} times; fetch() gives up`,
      'fix the redirect loop',
    );
  }
  if ((next.username !== '' || next.password !== '') && (corsSoFar || next.origin !== pageOrigin)) {
    // A CORS request is never sent to a URL with credentials in it (measured: a network error in
    // all three engines, never a request carrying `Authorization: Basic`).
    return networkError(
      'redirect-credentials',
      `${where} goes to a URL with a user name or password in it; fetch() refuses that for a cross-origin request with a network error (and sends no credentials)`,
      'remove the user:password@ part from the redirect target; authenticate with a header the page sets instead',
    );
  }
  const toGet =
    (response.status === 303 && page.method !== 'GET' && page.method !== 'HEAD') ||
    ((response.status === 301 || response.status === 302) && page.method === 'POST');
  const crossOrigin = url.origin !== next.origin;
  const removed: string[] = [];
  const headers = page.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    // Every engine removes Authorization on a hop to another origin (the CORS non-wildcard
    // request-header name), and the request-body headers when the method becomes GET.
    const drop = (toGet && REQUEST_BODY_HEADERS.has(lower)) || (crossOrigin && lower === 'authorization');
    if (drop) removed.push(name);
    return !drop;
  });
  // The redirect-tainted origin: a hop to another origin, from a URL that is not the page's origin.
  const origin = crossOrigin && page.origin !== url.origin ? 'null' : page.origin;
  return {
    kind: 'follow',
    url: next,
    page: { ...page, origin, method: toGet ? 'GET' : page.method, body: toGet ? undefined : page.body, headers },
    removed,
  };
}
