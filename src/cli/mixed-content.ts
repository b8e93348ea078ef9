/**
 * Mixed content: a page served over https that calls a plain-http URL. Browsers block such a
 * fetch() before it leaves the page (nothing is sent, no CORS step runs), unless the URL's host is
 * potentially trustworthy: loopback (127.0.0.0/8, ::1, localhost and *.localhost), which the Mixed
 * Content standard, Chromium and Firefox let through. WebKit does not: WebKitGTK 2.50.6 blocks an
 * https page's fetch() of http://127.0.0.1 ("[blocked] The page at … requested insecure content
 * from …", measured by `check --real`), and WebKit keeps it so on purpose (WebKit bug 171934).
 * `check` does not predict that block: it is what a development server on loopback, checked with
 * the production origin, meets, and says nothing about the deployed API (`--real` shows it as a
 * DIFFERENCE). The browser model (browser-model.ts) does not know about mixed content; `check`
 * asks here first.
 */
import { isLoopbackHost } from '../protocol/origin.js';
import type { Engine } from './browser-model.js';
import type { ConsoleMessage } from './console-messages.js';
import { problem, type Problem } from './problems.js';

/** The mixed-content problem for a request from `origin` to `url`, or undefined when there is none. */
export function mixedContentProblem(origin: string, url: URL): Problem | undefined {
  // The URL parser gives the host in lower case.
  if (!origin.startsWith('https:') || url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return problem(
    'mixed-content',
    `the page is served over https but ${url.origin} is plain http (and not loopback): the browser blocks this mixed-content request before sending it, so no CORS step runs`,
    `serve the API over https (https://${url.host}), or call it from an http page while developing`,
  );
}

/**
 * The console lines of a mixed-content block of fetch(), as each engine prints them (what
 * `corsguard explain` reads). Chromium (captured from Chromium 156 by `check --real`):
 * "Mixed Content: The page at '<page URL>' was loaded over HTTPS, but requested an insecure
 * resource '<URL>'. This request has been blocked; the content must be served over HTTPS."
 * (`XMLHttpRequest endpoint` instead of `resource` for XHR). Firefox (captured from Firefox ESR
 * 153): "Blocked loading mixed active content “<URL>”". WebKit (MixedContentChecker.cpp):
 * "[blocked] The page at <page URL> requested insecure content from <URL>. This content was blocked
 * and must be served over HTTPS.", and before 2023 "[blocked] The page at <page URL> was not
 * allowed to run insecure content from <URL>.".
 */
export const CHROMIUM_MIXED_PAGE = "Mixed Content: The page at '";
export const CHROMIUM_MIXED_LOADED = "' was loaded over HTTPS, but requested an insecure ";
export const CHROMIUM_MIXED_BLOCKED = "'. This request has been blocked";
export const FIREFOX_MIXED = 'Blocked loading mixed active content \u201c';
export const FIREFOX_MIXED_END = '\u201d';
export const WEBKIT_MIXED_PAGE = 'The page at ';
export const WEBKIT_MIXED_REQUESTED = ' requested insecure content from ';
export const WEBKIT_MIXED_BLOCKED = '. This content was blocked';
export const WEBKIT_MIXED_NOT_ALLOWED = ' was not allowed to run insecure content from ';

/**
 * What an engine prints for a mixed-content block, where the text depends on the request alone:
 * Firefox's line (captured from Firefox ESR 153 by `check --real`). Chromium's names the page's
 * own URL ("The page at '...' was loaded over HTTPS"), which check does not know, and WebKit's was
 * not captured: neither is predicted.
 */
export function mixedContentConsoleMessage(engine: Engine, url: string, problems: readonly Problem[]): ConsoleMessage | undefined {
  if (engine !== 'firefox' || !problems.some((p) => p.id === 'mixed-content')) return undefined;
  return { engine, problem: 'mixed-content', text: `${FIREFOX_MIXED}${url}${FIREFOX_MIXED_END}`, followUp: [] };
}
