/**
 * Mixed content: a page served over https that calls a plain-http URL. Browsers block such a
 * fetch() before it leaves the page (nothing is sent, no CORS step runs), unless the URL's host is
 * potentially trustworthy: loopback (127.0.0.0/8, ::1, localhost and *.localhost), which Chromium,
 * Firefox and current WebKit let through. The browser model (browser-model.ts) does not know about
 * it; `check` asks here first.
 */
import { problem, type Problem } from './problems.js';

/** Whether a URL host is loopback, the hosts the Secure Contexts spec calls potentially trustworthy. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The mixed-content problem for a request from `origin` to `url`, or undefined when there is none. */
export function mixedContentProblem(origin: string, url: URL): Problem | undefined {
  if (!origin.startsWith('https:') || url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return problem(
    'mixed-content',
    `the page is served over https but ${url.origin} is plain http (and not loopback): the browser blocks this mixed-content request before sending it, so no CORS step runs`,
    `serve the API over https (https://${url.host}), or call it from an http page while developing`,
  );
}
