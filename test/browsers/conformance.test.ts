/**
 * Browser conformance: every scenario of scenarios.ts, in Chromium, Firefox ESR and WebKitGTK,
 * against the API served by corsguard through each adapter. A cell fails when anything the
 * page or the server saw differs from the table, or when a blocked request's console message
 * (where the driver sees the console) is not the one `corsguard check` predicts (console.ts).
 * Writes reports/browser-conformance.md and reports/console-messages.json.
 *
 * Environment: CORSGUARD_BROWSERS=chromium,webkit limits the engines; CORSGUARD_SCENARIOS=text
 * limits the scenarios to ids containing text; CORSGUARD_ADAPTERS=node,express limits the adapters; CORSGUARD_UPDATE_BROWSER_REPORT=1 copies a full
 * run's report to docs/browser-report.md. Under CI=true a missing engine fails the suite.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, startApi, TrafficLog, type ApiServer } from './api.js';
import { consoleMismatches, isCorsLine, settle, writeConsoleReport } from './console.js';
import {
  DRIVERS,
  INSTALL_HINT,
  missingExecutables,
  STEP_TIMEOUT_MS,
  withTimeout,
  type BrowserPage,
  type BrowserSession,
} from './engines.js';
import { startPages, type PageHost } from './pages.js';
import { renderReport, type CellResult, type EngineRun } from './report.js';
import { MULTI_HOP_SCENARIOS, pageOrigin, SCENARIOS, type EngineName, type PageKind, type Scenario } from './scenarios.js';
import { describeActual, describeExpected, expectationFor, mismatches } from './verdict.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const inCi = process.env.CI === 'true';

const engineFilter = process.env.CORSGUARD_BROWSERS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const scenarioFilter = process.env.CORSGUARD_SCENARIOS;
const drivers = DRIVERS.filter((d) => engineFilter === undefined || engineFilter.includes(d.name));
const scenarios = [...SCENARIOS, ...MULTI_HOP_SCENARIOS].filter((s) => scenarioFilter === undefined || s.id.includes(scenarioFilter));
const adapterFilter = process.env.CORSGUARD_ADAPTERS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const adapterNames = [...ADAPTERS.keys()].filter((a) => adapterFilter === undefined || adapterFilter.includes(a));

const cells: CellResult[] = [];
const engineRuns: EngineRun[] = [];
const startedAt = new Date();
let pages: PageHost;
const apis: Api[] = [];

type Api = { readonly server: ApiServer; readonly traffic: TrafficLog };

/** The Origin header a page of this kind sends to `api`. */
function sentOrigin(kind: PageKind, api: Api): string {
  if (kind === 'same-origin') return api.server.origin;
  return kind === 'file' || kind === 'sandboxed-iframe' ? 'null' : pageOrigin(kind, pages.port);
}

/** Runs a scenario's steps against one API from an open page; returns what did not match. */
async function runSteps(page: BrowserPage, engine: EngineName, attempt: number, api: Api, scenario: Scenario): Promise<string[]> {
  const problems: string[] = [];
  // Each adapter and attempt gets its own URLs (and so its own cookie path and cache entries).
  const key = `${engine}-${api.server.name}${attempt === 1 ? '' : `-attempt${attempt}`}/${scenario.id}`;
  for (const [index, step] of scenario.steps.entries()) {
    const before = api.traffic.snapshot(key);
    const url = `${api.server.origin}/s/${key}/${step.request.route}`;
    const printedBefore = page.consoleLines?.().length ?? 0;
    const observation = await withTimeout(
      page.run({
        ...step.request,
        url,
        sandboxed: scenario.page === 'sandboxed-iframe',
        timeoutMs: STEP_TIMEOUT_MS / 2,
      }),
      STEP_TIMEOUT_MS,
      'the page request',
    );
    const after = api.traffic.snapshot(key);
    const actual = {
      observation,
      traffic: {
        preflights: after.preflights - before.preflights,
        handlerRuns: after.handlerRuns - before.handlerRuns,
        origin: after.origin,
      },
    };
    const expected = expectationFor(step, engine);
    const found = mismatches(expected, actual, expected.originSent ?? sentOrigin(scenario.page, api));
    const lines = page.consoleLines;
    // A sandboxed iframe is removed as soon as it answers, and its console lines with it.
    if (
      lines !== undefined &&
      !observation.fetched &&
      expected.outcome === 'blocked' &&
      step.request.api !== 'xhr-upload' &&
      scenario.page !== 'sandboxed-iframe'
    ) {
      // The engine's own CORS lines about this request (they name its URL), against check's prediction.
      const printed = (): string[] =>
        lines()
          .slice(printedBefore)
          .filter((line) => line.includes(`/s/${key}/`) && isCorsLine(line));
      await settle(() => printed().length > 0);
      const blocked = {
        engine,
        scenario: scenario.id,
        step: index + 1,
        adapter: api.server.name,
        url,
        origin: sentOrigin(scenario.page, api),
        request: step.request,
      };
      found.push(...(await consoleMismatches(blocked, printed())));
    }
    if (found.length > 0) {
      problems.push(
        `step ${index + 1} (${step.request.method} ${step.request.route}): ${found.join('; ')}`,
        `  expected: ${describeExpected(expected)}`,
        `  actual:   ${describeActual(actual)}`,
      );
    }
  }
  return problems;
}

/**
 * One fresh page per scenario, which calls every adapter's API in turn (a same-origin page lives
 * on each API server, so each adapter gets its own); problems per adapter.
 */
async function runScenario(session: BrowserSession, engine: EngineName, attempt: number, scenario: Scenario): Promise<string[][]> {
  const groups = scenario.page === 'same-origin' ? apis.map((api) => [api]) : [apis];
  const problems: string[][] = [];
  for (const group of groups) {
    const url = pages.url(scenario.page, group[0]!.server.origin);
    const page = await withTimeout(session.open(url), STEP_TIMEOUT_MS, 'opening the page');
    try {
      for (const api of group) problems.push(await runSteps(page, engine, attempt, api, scenario));
    } finally {
      await withTimeout(page.close(), STEP_TIMEOUT_MS, 'closing the page').catch(() => {});
    }
  }
  return problems;
}

/** Runs `work` over `items`, at most `limit` at a time; results keep the order of `items`. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

describe('browser conformance', () => {
  before(async () => {
    pages = await startPages();
    for (const name of adapterNames) {
      const traffic = new TrafficLog();
      apis.push({ server: await startApi(name, scenarios, pages.port, traffic), traffic });
    }
  });

  after(async () => {
    await Promise.all(apis.map((a) => a.server.close()));
    await pages?.close();
    const summary = {
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      scenarios,
      adapters: adapterNames,
      engines: engineRuns,
      cells,
    };
    const report = renderReport(summary);
    const reportPath = join(root, 'reports', 'browser-conformance.md');
    mkdirSync(join(root, 'reports'), { recursive: true });
    writeFileSync(reportPath, report);
    writeConsoleReport(root);
    const full =
      scenarioFilter === undefined &&
      adapterFilter === undefined &&
      engineRuns.length === DRIVERS.length &&
      engineRuns.every((e) => e.notRun === undefined);
    if (full && process.env.CORSGUARD_UPDATE_BROWSER_REPORT === '1') copyFileSync(reportPath, join(root, 'docs', 'browser-report.md'));
    const failed = cells.filter((c) => !c.passed).length;
    console.log(`browser conformance: ${cells.length - failed}/${cells.length} cells passed; report: ${reportPath}`);
    for (const e of engineRuns) if (e.notRun !== undefined) console.log(`browser conformance: not run: ${e.notRun}`);
  });

  test('the scenario table is well formed', () => {
    assert.ok(SCENARIOS.length >= 50, `only ${SCENARIOS.length} scenarios`);
    const ids = new Set<string>();
    for (const s of [...SCENARIOS, ...MULTI_HOP_SCENARIOS]) {
      assert.match(s.id, /^[a-z0-9-]+$/, `scenario id ${s.id}`);
      assert.ok(!ids.has(s.id), `duplicate scenario id ${s.id}`);
      ids.add(s.id);
      assert.ok(s.steps.length > 0, `${s.id} has no steps`);
    }
  });

  for (const driver of drivers) {
    test(`${driver.label} (${driver.name})`, { timeout: 15 * 60_000 }, async (t) => {
      const missing = missingExecutables(driver);
      if (missing.length > 0) {
        const message = `${driver.label} not found: ${missing.join(', ')}. Install the browsers with: ${INSTALL_HINT}`;
        engineRuns.push({ engine: driver.name, label: driver.label, notRun: message });
        if (inCi) assert.fail(`${message} (CI=true: a missing engine is a failure)`);
        console.log(`browser conformance: ${message}`);
        t.skip(message);
        return;
      }
      const session = await driver.launch();
      engineRuns.push({ engine: driver.name, label: driver.label, version: session.version });
      try {
        const outcomes = await inParallel(scenarios, driver.concurrency, async (scenario) => {
          // A driver failure (not a verdict) is retried once on fresh URLs; a mismatch never is.
          let failure = '';
          for (let attempt = 1; attempt <= 2; attempt++) {
            try {
              return await runScenario(session, driver.name, attempt, scenario);
            } catch (error) {
              failure += `attempt ${attempt} failed: ${error instanceof Error ? error.message : String(error)}. `;
            }
          }
          return apis.map(() => [`the browser run failed: ${failure}`]);
        });
        for (const [index, scenario] of scenarios.entries()) {
          for (const [a, api] of apis.entries()) {
            const details = outcomes[index]![a]!;
            cells.push({ scenarioId: scenario.id, engine: driver.name, adapter: api.server.name, passed: details.length === 0, details });
            await t.test(`${scenario.id} [${api.server.name}]`, () => {
              if (details.length > 0) {
                assert.fail(`${scenario.id} in ${driver.label} via corsguard/${api.server.name}: ${scenario.title}\n${details.join('\n')}`);
              }
            });
          }
        }
      } finally {
        await session.close();
      }
    });
  }
});
