/**
 * WebKit's console messages for blocked requests, captured for real. WebKitWebDriver 2.50 has no
 * WebDriver BiDi and no log endpoint, and MiniBrowser under automation does not write console
 * messages to stdout, so the conformance suite cannot see them (engines.ts). Here MiniBrowser runs
 * WITHOUT automation, with its `enable-write-console-messages-to-stdout` setting, on a runner page
 * that takes each request from this test over HTTP, runs it with the suite's page script, and
 * marks its start and end in the console. The lines between the marks are that request's.
 *
 * Each cross-site scenario's steps run in order (state such as the preflight cache carries over,
 * as in the conformance suite) against corsguard on node:http; for every blocked step, WebKit's
 * printed CORS line must be the one `corsguard check --browser webkit` predicts, and `explain`
 * must read it back to check's problem. Pages of other kinds (same-site, file, sandboxed) and
 * XMLHttpRequest steps are left to the other engines. Filters: CORSGUARD_BROWSERS (runs when it
 * names webkit or is unset), CORSGUARD_SCENARIOS.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startApi, TrafficLog, type ApiServer } from './api.js';
import { consoleText } from '../../src/cli/real-webkit.js';
import { consoleMismatches, isCorsLine, writeConsoleReport } from './console.js';
import { INSTALL_HINT, killGroup, MINIBROWSER, missingExecutables, DRIVERS, startXvfb, track, STEP_TIMEOUT_MS } from './engines.js';
import { pageScript } from './pages.js';
import { MULTI_HOP_SCENARIOS, pageOrigin, SCENARIOS, type Scenario } from './scenarios.js';
import { expectationFor } from './verdict.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const engineFilter = process.env.CORSGUARD_BROWSERS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const scenarioFilter = process.env.CORSGUARD_SCENARIOS;
const scenarios = [...SCENARIOS, ...MULTI_HOP_SCENARIOS].filter(
  (s) =>
    s.page === 'cross-site' &&
    (scenarioFilter === undefined || s.id.includes(scenarioFilter)) &&
    s.steps.some((step) => expectationFor(step, 'webkit').outcome === 'blocked'),
);
const wanted = engineFilter === undefined || engineFilter.includes('webkit');

/** The runner page: asks for the next request, runs it between console marks, reports back. */
const RUNNER_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>corsguard console runner</title></head><body><script>
(async () => {
  for (;;) {
    const job = await (await fetch('/next', { cache: 'no-store' })).json();
    if (job.done) break;
    console.log('corsguard-job-start ' + job.id);
    let result;
    try { result = await (0, eval)(job.script); } catch (e) { result = { fetched: false, error: String(e) }; }
    console.log('corsguard-job-end ' + job.id);
    await fetch('/result', { method: 'POST', body: JSON.stringify({ id: job.id, result }) });
  }
})();
</script></body></html>`;

interface Job {
  readonly id: number;
  readonly script: string;
}

/** The page server: hands out jobs one at a time (long-poll) and collects their results. */
class Runner {
  readonly #queue: Job[] = [];
  #waiting: ((job: Job | undefined) => void) | undefined;
  readonly #results = new Map<number, (result: { fetched: boolean }) => void>();
  #nextId = 1;
  #done = false;
  server = http.createServer((req, res) => {
    if (req.url === '/page.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(RUNNER_HTML);
    } else if (req.url === '/next') {
      const send = (job: Job | undefined): void => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(job ?? { done: true }));
      };
      const job = this.#queue.shift();
      if (job !== undefined || this.#done) send(job);
      else this.#waiting = send;
    } else if (req.url === '/result' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { id, result } = JSON.parse(body) as { id: number; result: { fetched: boolean } };
        this.#results.get(id)?.(result);
        res.writeHead(204).end();
      });
    } else {
      res.writeHead(404).end();
    }
  });

  /** Runs a page script in MiniBrowser; resolves with the job id and the page's observation. */
  run(script: string): { id: number; result: Promise<{ fetched: boolean }> } {
    const job = { id: this.#nextId++, script };
    const result = new Promise<{ fetched: boolean }>((resolve) => this.#results.set(job.id, resolve));
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) waiting(job);
    else this.#queue.push(job);
    return { id: job.id, result };
  }

  finish(): void {
    this.#done = true;
    this.#waiting?.(undefined);
    this.#waiting = undefined;
  }
}

describe('WebKitGTK console messages (MiniBrowser without automation)', { skip: !wanted }, () => {
  const runner = new Runner();
  const traffic = new TrafficLog();
  const output: string[] = [];
  let api: ApiServer;
  let xvfb: ChildProcess | undefined;
  let browser: ChildProcess | undefined;
  let pagePort: number;

  before(async () => {
    await new Promise<void>((resolve) => runner.server.listen(0, '127.0.0.1', () => resolve()));
    pagePort = (runner.server.address() as AddressInfo).port;
    api = await startApi('node', scenarios, pagePort, traffic);
  });

  after(async () => {
    runner.finish();
    if (browser !== undefined) killGroup(browser);
    if (xvfb !== undefined) killGroup(xvfb);
    await api?.close();
    runner.server.closeAllConnections();
    await new Promise<void>((resolve) => runner.server.close(() => resolve()));
    writeConsoleReport(root);
  });

  test('each blocked cross-site step: WebKit prints what check predicts, and explain reads it back', {
    timeout: 10 * 60_000,
  }, async (t) => {
    const webkit = DRIVERS.find((d) => d.name === 'webkit')!;
    const missing = missingExecutables(webkit);
    if (missing.length > 0) {
      if (process.env.CI === 'true') assert.fail(`WebKitGTK not found: ${missing.join(', ')}. Install with: ${INSTALL_HINT}`);
      t.skip(`WebKitGTK not found: ${missing.join(', ')}`);
      return;
    }
    const started = await startXvfb();
    xvfb = started.process;
    browser = track(
      spawn(MINIBROWSER, ['--enable-write-console-messages-to-stdout=true', `http://127.0.0.1:${pagePort}/page.html`], {
        env: { ...process.env, DISPLAY: started.display },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    let partial = '';
    const collect = (chunk: Buffer): void => {
      partial += chunk.toString();
      let newline = partial.indexOf('\n');
      while (newline !== -1) {
        output.push(partial.slice(0, newline));
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
      }
    };
    browser.stdout!.on('data', collect);
    browser.stderr!.on('data', collect);

    const failures: string[] = [];
    let compared = 0;
    for (const scenario of scenarios) {
      failures.push(...(await runScenario(scenario)));
    }
    async function runScenario(scenario: Scenario): Promise<string[]> {
      const found: string[] = [];
      const origin = pageOrigin('cross-site', pagePort);
      for (const [index, step] of scenario.steps.entries()) {
        const url = `${api.origin}/s/webkit-console/${scenario.id}/${step.request.route}`;
        const job = runner.run(pageScript({ ...step.request, url, sandboxed: false, timeoutMs: STEP_TIMEOUT_MS / 2 }));
        const result = await Promise.race([
          job.result,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), STEP_TIMEOUT_MS)),
        ]);
        if (result === undefined)
          return [`${scenario.id} step ${index + 1}: MiniBrowser did not run the request within ${STEP_TIMEOUT_MS} ms`];
        const expected = expectationFor(step, 'webkit');
        if (result.fetched || expected.outcome !== 'blocked' || step.request.api === 'xhr-upload') continue;
        const start = output.findIndex((line) => line.endsWith(`corsguard-job-start ${job.id}`));
        const end = output.findIndex((line) => line.endsWith(`corsguard-job-end ${job.id}`));
        const printed = output
          .slice(start + 1, end === -1 ? undefined : end)
          .map(consoleText)
          .filter((text): text is string => text !== undefined && isCorsLine(text));
        compared++;
        const blocked = {
          engine: 'webkit' as const,
          scenario: scenario.id,
          step: index + 1,
          adapter: 'node',
          url,
          origin,
          request: step.request,
        };
        for (const problem of await consoleMismatches(blocked, printed)) found.push(`${scenario.id} step ${index + 1}: ${problem}`);
      }
      return found;
    }
    console.log(`webkit console: ${compared} blocked requests compared`);
    assert.ok(compared > 0 || scenarios.length === 0, 'no blocked request was compared');
    assert.deepEqual(failures, []);
  });
});
