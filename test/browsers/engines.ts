/**
 * Drivers for the three browser engines installed from Debian: Chromium through
 * playwright-core, Firefox ESR through puppeteer-core (WebDriver BiDi), and WebKitGTK's
 * MiniBrowser through WebKitWebDriver and selenium-webdriver under a private Xvfb display.
 * Each browser starts once per engine; every scenario gets a fresh page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { CHROMIUM_ARGS } from '../../src/cli/real.js';
import { pageScript, type PageObservation, type PageRequest } from './pages.js';
import type { EngineName } from './scenario-types.js';

/** How long any single browser operation may take before the suite gives up on it. */
export const STEP_TIMEOUT_MS = 20_000;
const LAUNCH_TIMEOUT_MS = 60_000;

export interface BrowserPage {
  run(request: PageRequest): Promise<PageObservation>;
  /**
   * Every line the engine printed in the page's DevTools console so far (its own CORS errors
   * included), where the driver can see them: Chromium through CDP's Log.entryAdded (Playwright's
   * 'console' event), Firefox through WebDriver BiDi's log.entryAdded (Puppeteer's 'pageerror'
   * and 'console'). Undefined for WebKitGTK: WebKitWebDriver 2.50 has no BiDi and no log endpoint,
   * and MiniBrowser under automation does not write console messages to stdout (console.test.ts
   * captures WebKit's messages from a MiniBrowser without automation instead).
   */
  readonly consoleLines?: () => readonly string[];
  close(): Promise<void>;
}

export interface BrowserSession {
  readonly version: string;
  /** A fresh page (a new browser context where the driver has them) at `url`. */
  open(url: string): Promise<BrowserPage>;
  close(): Promise<void>;
}

export interface EngineDriver {
  readonly name: EngineName;
  /** What the report calls it. */
  readonly label: string;
  /** Executables it needs, with the Debian package that provides each. */
  readonly needs: readonly { readonly path: string; readonly pkg: string }[];
  /** Scenarios run at once: pages in separate contexts are independent; MiniBrowser has one window. */
  readonly concurrency: number;
  launch(): Promise<BrowserSession>;
}

export const INSTALL_HINT = 'apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb';

/** Rejects when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executables a driver needs that are not installed. */
export function missingExecutables(driver: EngineDriver): string[] {
  return driver.needs.filter((n) => !isExecutable(n.path)).map((n) => `${n.path} (Debian package ${n.pkg})`);
}

/** What Playwright's and Puppeteer's pages and contexts have in common. */
interface IsolatedContext<P extends ContextPage> {
  newPage(): Promise<P>;
  close(): Promise<void>;
}
interface ContextPage {
  setDefaultTimeout(ms: number): void;
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}

/** `listen` subscribes to the page's console lines, before the page loads. */
async function openInContext<P extends ContextPage>(
  context: IsolatedContext<P>,
  url: string,
  listen: (page: P, line: (text: string) => void) => void,
): Promise<BrowserPage> {
  const page = await context.newPage();
  const lines: string[] = [];
  listen(page, (text) => lines.push(text));
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  await page.goto(url);
  return {
    run: (request) => page.evaluate(pageScript(request)) as Promise<PageObservation>,
    consoleLines: () => lines,
    close: () => context.close(),
  };
}

// Debian's paths; the environment can point elsewhere (another distribution, a missing engine).
const CHROMIUM = process.env.CORSGUARD_CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIREFOX = process.env.CORSGUARD_FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.CORSGUARD_WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.CORSGUARD_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB = process.env.CORSGUARD_XVFB_PATH ?? '/usr/bin/Xvfb';

const chromiumDriver: EngineDriver = {
  name: 'chromium',
  label: 'Chromium',
  needs: [{ path: CHROMIUM, pkg: 'chromium' }],
  concurrency: 2,
  async launch() {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: LAUNCH_TIMEOUT_MS,
      args: [...CHROMIUM_ARGS],
    });
    return {
      version: browser.version(),
      open: async (url) =>
        openInContext(await browser.newContext(), url, (page, line) => page.on('console', (message) => line(message.text()))),
      close: () => withTimeout(browser.close(), STEP_TIMEOUT_MS, 'closing Chromium'),
    };
  },
};

const firefoxDriver: EngineDriver = {
  name: 'firefox',
  label: 'Firefox ESR',
  needs: [{ path: FIREFOX, pkg: 'firefox-esr' }],
  // Parallel user contexts make Firefox's BiDi browsingContext.create fail now and then.
  concurrency: 1,
  async launch() {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      timeout: LAUNCH_TIMEOUT_MS,
      protocolTimeout: STEP_TIMEOUT_MS,
    });
    return {
      version: (await browser.version()).replace(/^firefox\//, ''),
      // Firefox reports its CORS errors as script errors (BiDi log.entryAdded of type javascript).
      open: async (url) =>
        openInContext(await browser.createBrowserContext(), url, (page, line) => {
          page.on('pageerror', (error: unknown) => line(error instanceof Error ? error.message : String(error)));
          page.on('console', (message) => line(message.text()));
        }),
      async close() {
        try {
          await withTimeout(browser.close(), STEP_TIMEOUT_MS, 'closing Firefox');
        } catch (error) {
          browser.process()?.kill('SIGKILL');
          throw error;
        }
      },
    };
  },
};

/**
 * Processes this module spawned and has not stopped yet. If the test process exits without
 * closing a session (a crash, a timeout), they are killed on the way out, never left behind.
 */
const spawned = new Set<ChildProcess>();
function killSpawned(): void {
  for (const child of spawned) killGroup(child);
}
process.once('exit', killSpawned);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killSpawned();
    process.kill(process.pid, signal);
  });
}

export function track(child: ChildProcess): ChildProcess {
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return child;
}

/** Starts Xvfb on a display number it picks itself (`-displayfd`), so parallel runs never collide. */
export async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = track(
    spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      detached: true,
    }),
  );
  const display = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let text = '';
      xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(`:${text.trim()}`);
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
      xvfb.once('error', reject);
    }),
    LAUNCH_TIMEOUT_MS,
    'starting Xvfb',
  ).catch((error: unknown) => {
    killGroup(xvfb);
    throw error;
  });
  return { display, process: xvfb };
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitForWebDriver(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url} within ${LAUNCH_TIMEOUT_MS} ms`);
}

/** Kills a process group this module started (Xvfb; WebKitWebDriver and the MiniBrowser it spawned). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

const webkitDriver: EngineDriver = {
  name: 'webkit',
  label: 'WebKitGTK',
  needs: [
    { path: WEBKIT_DRIVER, pkg: 'webkit2gtk-driver' },
    { path: MINIBROWSER, pkg: 'webkit2gtk-driver' },
    { path: XVFB, pkg: 'xvfb' },
  ],
  concurrency: 1,
  async launch() {
    const xvfb = await startXvfb();
    let webdriver: ChildProcess | undefined;
    let driver: WebDriver | undefined;
    const cleanUp = (): void => {
      if (webdriver !== undefined) killGroup(webdriver);
      killGroup(xvfb.process);
    };
    try {
      const port = await freePort();
      webdriver = track(
        spawn(WEBKIT_DRIVER, [`--port=${port}`], {
          env: { ...process.env, DISPLAY: xvfb.display },
          stdio: 'ignore',
          detached: true,
        }),
      );
      const url = `http://127.0.0.1:${port}`;
      await waitForWebDriver(url, webdriver);
      driver = await withTimeout(
        new Builder()
          .usingServer(url)
          .withCapabilities({
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          })
          .build(),
        LAUNCH_TIMEOUT_MS,
        'starting MiniBrowser',
      );
      await driver.manage().setTimeouts({ script: STEP_TIMEOUT_MS, pageLoad: STEP_TIMEOUT_MS });
      const version = String((await driver.getCapabilities()).get('browserVersion'));
      const session = driver;
      return {
        version,
        async open(pageUrl) {
          await session.get(pageUrl);
          return {
            run: (request) =>
              session.executeAsyncScript(
                `const done = arguments[arguments.length - 1]; (${pageScript(request)}).then(done, (e) => done({ fetched: false, error: 'page script failed: ' + e, pageOrigin: self.origin }));`,
              ) as Promise<PageObservation>,
            close: async () => {},
          };
        },
        async close() {
          try {
            await withTimeout(session.quit(), STEP_TIMEOUT_MS, 'closing MiniBrowser');
          } finally {
            cleanUp();
          }
        },
      };
    } catch (error) {
      if (driver !== undefined) await withTimeout(driver.quit(), 5000, 'closing MiniBrowser').catch(() => {});
      cleanUp();
      throw error;
    }
  },
};

export const DRIVERS: readonly EngineDriver[] = [chromiumDriver, firefoxDriver, webkitDriver];
