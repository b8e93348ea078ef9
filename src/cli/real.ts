/**
 * `corsguard check --real`: the same request, made by the real browsers installed here, from a
 * page whose origin is the `--origin` value, beside the model's prediction.
 *
 * The page: the driver intercepts the navigation to `<origin>/__corsguard-real` and answers it
 * itself (Playwright's route.fulfill, Puppeteer's request.respond over WebDriver BiDi), so the
 * browser never resolves the origin's host or needs its certificate; it loads a blank page whose
 * origin is exactly `--origin` (an https origin is a secure context, so mixed content applies).
 * The interception is removed before the page runs fetch(), so the request itself, its preflight
 * and the CORS checks are the browser's own, over the real network.
 *
 * Drivers are optional peers, loaded only here: playwright-core for Chromium, puppeteer-core for
 * Firefox. Executables are looked up on PATH (CORSGUARD_CHROMIUM_PATH / CORSGUARD_FIREFOX_PATH
 * override). WebKit needs no package: WebKitGTK's MiniBrowser runs behind a local proxy that
 * places the page, and prints its console to stdout (real-webkit.ts).
 */
import type { Engine } from './browser-model.js';
import type { CheckOptions, CheckReport, EngineVerdict } from './check.js';
import { isLoopbackHost } from '../protocol/origin.js';
import { findExecutable, outcome, type PageResult, pageScript, RUNNER_HTML, RUNNER_PATH, settle, within } from './real-page.js';
import { runWebKit } from './real-webkit.js';

/** What one real browser did with the request. */
export interface RealOutcome {
  readonly engine: Engine;
  /** The browser that ran it ('Chromium 140.0...'), when one did. */
  readonly browser?: string;
  /** Why this engine could not run (not installed, no driver, no way to place the page). */
  readonly unavailable?: string;
  /** fetch() resolved: the page could read the response. */
  readonly fetched?: boolean;
  readonly status?: number;
  /** fetch()'s rejection, when it rejected. */
  readonly error?: string;
  /** Lines the browser printed in the page's console while the request ran. */
  readonly console?: readonly string[];
}

/** How the model and a real browser disagree, one sentence each (empty when they agree). */
export function realDifferences(verdict: EngineVerdict, real: RealOutcome): string[] {
  if (real.fetched === undefined) return [];
  const found: string[] = [];
  if (real.fetched !== verdict.responseReadable) {
    found.push(
      `the model predicts ${verdict.responseReadable ? 'allowed' : 'blocked'}, ${real.browser ?? real.engine} ${real.fetched ? 'allowed it' : 'blocked it'}`,
    );
  } else if (real.fetched && real.status !== verdict.status) {
    found.push(`the model predicts status ${verdict.status}, ${real.browser ?? real.engine} read ${real.status}`);
  }
  const predicted = verdict.consoleMessage?.text;
  if (predicted !== undefined && !real.fetched && !(real.console ?? []).includes(predicted)) {
    found.push(
      `the model predicts the console message ${JSON.stringify(predicted)}, ${real.browser ?? real.engine} printed ${JSON.stringify(real.console ?? [])}`,
    );
  }
  return found;
}

/** Loads an optional peer, or says how to install it. */
async function loadPeer<T>(name: string): Promise<T | string> {
  try {
    return (await import(name)) as T;
  } catch {
    return `the optional package ${name} is not installed (npm install --save-dev ${name})`;
  }
}

/** Chromium without its background traffic, sandbox or GPU (a headless run in a container); the browser suite uses them too. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface PlaywrightRoute {
  fulfill(response: { status: number; contentType: string; body: string }): Promise<void>;
}
interface PlaywrightPage {
  route(url: string, handler: (route: PlaywrightRoute) => unknown): Promise<void>;
  unrouteAll(): Promise<void>;
  on(event: 'console', listener: (message: { text(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}
interface PlaywrightBrowser {
  version(): string;
  newPage(): Promise<PlaywrightPage>;
  close(): Promise<void>;
}
interface PlaywrightModule {
  chromium: { launch(options: { executablePath: string; args: string[]; timeout: number }): Promise<PlaywrightBrowser> };
}

async function runChromium(options: CheckOptions, runner: string, script: string): Promise<RealOutcome> {
  const executable = findExecutable(process.env['CORSGUARD_CHROMIUM_PATH'], [
    'chromium',
    'chromium-browser',
    'google-chrome',
    'google-chrome-stable',
  ]);
  if (executable === undefined)
    return { engine: 'chromium', unavailable: 'no Chromium on PATH (chromium, chromium-browser, google-chrome)' };
  const peer = await loadPeer<PlaywrightModule>('playwright-core');
  if (typeof peer === 'string') return { engine: 'chromium', unavailable: peer };
  const browser = await peer.chromium.launch({
    executablePath: executable,
    timeout: 60_000,
    args: [
      ...CHROMIUM_ARGS,
      // A page the driver answers itself has no IP address, so Chromium counts it as public and
      // applies Local Network Access to its requests to loopback. A page at a loopback origin is
      // served from loopback, where those checks do not apply: they are turned off for it only.
      ...(isLoopbackHost(new URL(options.origin).hostname) ? ['--disable-features=LocalNetworkAccessChecks'] : []),
    ],
  });
  try {
    const page = await browser.newPage();
    await page.route(runner, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: RUNNER_HTML }));
    await page.goto(runner);
    await page.unrouteAll();
    const lines: string[] = [];
    page.on('console', (message) => lines.push(message.text()));
    const result = (await within(page.evaluate(script), options.timeoutMs + 5000, 'the request in Chromium')) as PageResult;
    await settle(lines, result.fetched);
    return outcome('chromium', `Chromium ${browser.version()}`, options, result, lines);
  } finally {
    await within(browser.close(), 20_000, 'closing Chromium').catch(() => {});
  }
}

interface PuppeteerRequest {
  url(): string;
  respond(response: { status: number; contentType: string; body: string }): Promise<void>;
  continue(): Promise<void>;
}
interface PuppeteerPage {
  setRequestInterception(on: boolean): Promise<void>;
  on(event: 'request', listener: (request: PuppeteerRequest) => void): void;
  on(event: 'console', listener: (message: { text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: unknown) => void): void;
  off(event: 'request', listener: (request: PuppeteerRequest) => void): void;
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}
interface PuppeteerBrowser {
  version(): Promise<string>;
  newPage(): Promise<PuppeteerPage>;
  close(): Promise<void>;
  process(): { kill(signal: string): boolean } | null;
}
interface PuppeteerModule {
  default: {
    launch(options: { browser: 'firefox'; executablePath: string; timeout: number; protocolTimeout: number }): Promise<PuppeteerBrowser>;
  };
}

async function runFirefox(options: CheckOptions, runner: string, script: string): Promise<RealOutcome> {
  const executable = findExecutable(process.env['CORSGUARD_FIREFOX_PATH'], ['firefox-esr', 'firefox']);
  if (executable === undefined) return { engine: 'firefox', unavailable: 'no Firefox on PATH (firefox-esr, firefox)' };
  const peer = await loadPeer<PuppeteerModule>('puppeteer-core');
  if (typeof peer === 'string') return { engine: 'firefox', unavailable: peer };
  const browser = await peer.default.launch({ browser: 'firefox', executablePath: executable, timeout: 60_000, protocolTimeout: 20_000 });
  try {
    const page = await browser.newPage();
    const serve = (request: PuppeteerRequest): void => {
      const answer =
        request.url() === runner
          ? request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: RUNNER_HTML })
          : request.continue();
      answer.catch(() => {});
    };
    await page.setRequestInterception(true);
    page.on('request', serve);
    await page.goto(runner);
    page.off('request', serve);
    await page.setRequestInterception(false);
    const lines: string[] = [];
    // Firefox reports its CORS errors as script errors (BiDi log.entryAdded of type javascript).
    page.on('pageerror', (error) => lines.push(error instanceof Error ? error.message : String(error)));
    page.on('console', (message) => lines.push(message.text()));
    const result = (await within(page.evaluate(script), options.timeoutMs + 5000, 'the request in Firefox')) as PageResult;
    await settle(lines, result.fetched);
    return outcome('firefox', `Firefox ${(await browser.version()).replace(/^firefox\//, '')}`, options, result, lines);
  } finally {
    await within(browser.close(), 20_000, 'closing Firefox').catch(() => browser.process()?.kill('SIGKILL'));
  }
}

/**
 * Runs the request in each real browser of `engines` that is installed, one after the other
 * (browsers are heavy). An engine that cannot run says why; one that fails while running says
 * that too: neither stops the others.
 */
export async function runReal(options: CheckOptions): Promise<RealOutcome[]> {
  const outcomes: RealOutcome[] = [];
  if (options.origin === 'null') {
    return options.engines.map((engine) => ({
      engine,
      unavailable: "--real needs a real origin; 'null' (an opaque origin) has no page to place",
    }));
  }
  const runner = `${options.origin}${RUNNER_PATH}`;
  const script = pageScript(options);
  for (const engine of options.engines) {
    try {
      if (engine === 'chromium') outcomes.push(await runChromium(options, runner, script));
      else if (engine === 'firefox') outcomes.push(await runFirefox(options, runner, script));
      else outcomes.push(await runWebKit(options, script));
    } catch (error) {
      outcomes.push({
        engine,
        unavailable: `the browser failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      });
    }
  }
  return outcomes;
}

export interface RealComparison {
  readonly engine: Engine;
  readonly real: RealOutcome;
  /** Where the real browser and the model disagree (empty when they agree). */
  readonly differences: readonly string[];
}

/** The real outcomes paired with the report's verdicts. */
export function compareReal(report: CheckReport, outcomes: readonly RealOutcome[]): RealComparison[] {
  return outcomes.flatMap((real) => {
    const verdict = report.verdicts.find((v) => v.engine === real.engine);
    return verdict === undefined ? [] : [{ engine: real.engine, real, differences: realDifferences(verdict, real) }];
  });
}
