/**
 * `corsguard check` agrees with the browsers: every scenario of the browser conformance table
 * (test/browsers/scenarios.ts, SCENARIOS and the redirects of MULTI_HOP_SCENARIOS, whose
 * expectations the real Chromium, Firefox and WebKit suite verifies) is replayed through `check`,
 * once per engine (`--browser`), against the same corsguard API, and check's verdict must be the
 * browser's (the redirect scenarios also with the three engines in one run, each on its own path):
 * - the page reads the response, or fetch() rejects;
 * - the status the page sees;
 * - which response headers the page can read;
 * - whether the request reached the handler, and how often (check stops after a failed preflight and
 *   follows redirects, as browsers do);
 * - whether a preflight was sent (check has no preflight cache, so it must say "needed" whenever
 *   a browser sent one, and may only differ where a browser answered from its cache, which the
 *   previous step's cache time must then allow; where the browser preflighted the same request
 *   again at once, the previous step's cache time must be 0);
 * - the Origin of the last request; for redirects, also the exact number of preflights and the
 *   body the page read (which says whether Authorization and the body headers arrived).
 *
 * Each step runs twice: through `check` against the API on a loopback server, and through
 * corsguard/testing's simulateFetch against the same API in-process (its request listener, tested
 * as the same origin). simulateFetch's verdict must agree with the browser in the same way, and be
 * exactly the object `check --json` prints for check's run (whose bodies are checked above).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { apiListener, startApi, TrafficLog, type ApiServer } from '../browsers/api.js';
import {
  MULTI_HOP_SCENARIOS,
  pageOrigin,
  SCENARIOS,
  ENGINE_NAMES,
  type EngineName,
  type PageKind,
  type RequestExpectation,
  type Scenario,
  type ScenarioRequest,
} from '../browsers/scenarios.js';
import { expectationFor } from '../browsers/verdict.js';
import { runCheck, type CheckReport } from '../../src/cli/check.js';
import { checkJson } from '../../src/cli/format-check.js';
import { simulateFetch, type FetchVerdict } from '../../src/testing/index.js';

/** Pages are never served here: the port only shapes the Origin a page would send. */
const PAGE_PORT = 3999;

function sentOrigin(kind: PageKind): string {
  if (kind === 'same-origin') return api.origin;
  return kind === 'file' || kind === 'sandboxed-iframe' ? 'null' : pageOrigin(kind, PAGE_PORT);
}

let api: ApiServer;
/** The same API, in-process, for simulateFetch. */
let inProcess: RequestListener;
const traffic = new TrafficLog();

before(async () => {
  api = await startApi('node', [...SCENARIOS, ...MULTI_HOP_SCENARIOS], PAGE_PORT, traffic);
  inProcess = await apiListener('node', [...SCENARIOS, ...MULTI_HOP_SCENARIOS], PAGE_PORT, traffic);
});
after(async () => {
  await api.close();
});

const urlOf = (key: string, request: ScenarioRequest): string => `${api.origin}/s/${key}/${request.route}`;

function check(key: string, scenario: Scenario, request: ScenarioRequest, engines: readonly EngineName[]): Promise<CheckReport> {
  return runCheck({
    url: urlOf(key, request),
    origin: sentOrigin(scenario.page),
    method: request.method,
    headers: Array.isArray(request.headers) ? request.headers : Object.entries(request.headers ?? {}),
    credentials: request.credentials === 'include',
    readHeaders: request.readHeaders ?? [],
    body: request.body,
    engines,
    probes: false,
    timeoutMs: 10_000,
  });
}

/** The same step through simulateFetch: the API in-process, the redirect to 127.0.0.1 served by it too. */
function simulate(key: string, scenario: Scenario, request: ScenarioRequest, engines: readonly EngineName[]): Promise<FetchVerdict> {
  const port = new URL(api.origin).port;
  return simulateFetch(
    inProcess,
    {
      url: urlOf(key, request),
      origin: sentOrigin(scenario.page),
      method: request.method,
      headers: request.headers,
      credentials: request.credentials,
      readHeaders: request.readHeaders,
      body: request.body,
      engine: engines,
    },
    { probes: false, timeoutMs: 10_000, origins: { [`http://127.0.0.1:${port}`]: inProcess } },
  );
}

/**
 * One engine's verdict (from the object `check --json` prints) against what that browser did.
 * Redirect scenarios (one request each, no preflight cache in play) must match exactly: the number
 * of preflights and the Origin of the last request.
 */
function assertAgrees(report: FetchVerdict, engine: EngineName, expected: RequestExpectation, scenario: Scenario, where: string): void {
  const verdict = report.verdicts[engine]!;
  const errors = verdict.problems.filter((p) => p.severity === 'error');
  const path = verdict.exchanges.map((i) => report.exchanges[i]!);
  assert.equal(verdict.responseReadable, expected.outcome === 'succeeds', `outcome, ${where}`);
  if (expected.outcome === 'blocked') {
    assert.ok(errors.length > 0, `a blocked request is explained, ${where}`);
  } else {
    if (expected.status !== undefined) assert.equal(verdict.status, expected.status, `status, ${where}`);
    for (const [name, value] of Object.entries(expected.readable ?? {})) {
      const access = verdict.readHeaders.find((h) => h.name === name);
      assert.equal(access?.readable, value !== null, `${name} readable, ${where}`);
    }
    assert.equal(verdict.allowed, errors.length === 0);
  }
  const actuals = path.filter((e) => e.step === 'actual').length;
  assert.equal(actuals, expected.handlerRuns, `requests that reached the handler, ${where}`);
  if (expected.preflights > 0) assert.equal(verdict.preflight, true, `preflight needed, ${where}`);
  const preflightsSent = path.filter((e) => e.step === 'preflight').length;
  // Without a cache, check sends at least every preflight a browser sent (one per redirect hop).
  assert.ok(preflightsSent >= expected.preflights, `${preflightsSent} preflight(s) sent, ${where}`);
  const last = path.at(-1)!;
  const origin = last.request.headers.find(([name]) => name === 'Origin' || name === 'origin')?.[1];
  assert.equal(origin, expected.originSent ?? sentOrigin(scenario.page), `Origin of the last request, ${where}`);
  if (MULTI_HOP_SCENARIOS.includes(scenario)) assert.equal(preflightsSent, expected.preflights, `preflights, ${where}`);
}

/** The body the page read, from check's own report (the JSON has none): what reached the last server. */
function assertBody(report: CheckReport, engine: EngineName, expected: RequestExpectation, scenario: Scenario, where: string): void {
  if (!MULTI_HOP_SCENARIOS.includes(scenario) || expected.outcome !== 'succeeds') return;
  const verdict = report.verdicts.find((v) => v.engine === engine)!;
  const body = report.exchanges[verdict.exchanges.at(-1)!]!.response.bodyStart;
  if (expected.bodyIncludes !== undefined) assert.ok(body.includes(expected.bodyIncludes), `body ${body}, ${where}`);
  if (expected.bodyExcludes !== undefined) assert.ok(!body.includes(expected.bodyExcludes), `body ${body}, ${where}`);
}

/**
 * Runs one step through check and through simulateFetch; each must agree with the browser, and
 * simulateFetch's verdict must be check's JSON. Resolves with that verdict.
 */
async function assertBothAgree(
  key: string,
  scenario: Scenario,
  request: ScenarioRequest,
  engines: readonly EngineName[],
  where: string,
): Promise<FetchVerdict> {
  const runs: [string, () => Promise<FetchVerdict>][] = [
    [
      'check',
      async () => {
        const report = await check(key, scenario, request, engines);
        for (const engine of engines)
          assertBody(
            report,
            engine,
            expectationFor(stepOf(scenario, request), engine),
            scenario,
            `${engine}, ${where}: ${describeProblems(report)}`,
          );
        return checkJson(report);
      },
    ],
    ['simulateFetch', () => simulate(key, scenario, request, engines)],
  ];
  const verdicts: FetchVerdict[] = [];
  for (const [route, run] of runs) {
    const before = traffic.snapshot(key);
    const verdict = await run();
    const at = `${route}, ${where}: ${describeProblems(verdict)}`;
    assert.deepEqual(verdict.browsers, engines);
    for (const engine of engines)
      assertAgrees(verdict, engine, expectationFor(stepOf(scenario, request), engine), scenario, `${engine}, ${at}`);
    assert.equal(
      verdict.allowed,
      engines.every((engine) => verdict.verdicts[engine]!.allowed),
    );
    // Identical requests are shared: the handler ran once per distinct request, not once per engine.
    const actuals = verdict.exchanges.filter((e) => e.step === 'actual');
    assert.equal(traffic.snapshot(key).handlerRuns - before.handlerRuns, actuals.length, `handler runs, ${at}`);
    const keys = verdict.exchanges.map((e) => JSON.stringify([e.request.method, e.request.url, e.request.headers]));
    assert.equal(new Set(keys).size, keys.length, `no request sent twice, ${at}`);
    verdicts.push(verdict);
  }
  assert.deepEqual(withoutDate(verdicts[1]!), withoutDate(verdicts[0]!), `simulateFetch's verdict is check's JSON, ${where}`);
  return verdicts[0]!;
}

/** The verdict without the responses' Date lines: the two runs may straddle a second. */
function withoutDate(verdict: FetchVerdict): FetchVerdict {
  const exchanges = verdict.exchanges.map((e) => ({
    ...e,
    response: { ...e.response, headers: e.response.headers.filter(([name]) => name.toLowerCase() !== 'date') },
  }));
  return { ...verdict, exchanges };
}

function stepOf(scenario: Scenario, request: ScenarioRequest): Scenario['steps'][number] {
  return scenario.steps.find((step) => step.request === request)!;
}

const describeProblems = (report: { readonly problems: readonly { readonly message: string }[] }): string =>
  JSON.stringify(report.problems.map((p) => p.message));

for (const engine of ENGINE_NAMES) {
  describe(`check and simulateFetch agree with ${engine}`, () => {
    for (const scenario of [...SCENARIOS, ...MULTI_HOP_SCENARIOS]) {
      test(scenario.id, async () => {
        let previous: FetchVerdict | undefined;
        for (const [index, step] of scenario.steps.entries()) {
          const expected = expectationFor(step, engine);
          const where = `step ${index + 1} (${step.request.method} ${step.request.route})`;
          const report = await assertBothAgree(`${engine}/${scenario.id}`, scenario, step.request, [engine], where);
          assert.equal(Object.keys(report.verdicts).length, 1);
          if (expected.preflights === 0 && report.preflight) {
            // The browser answered from its preflight cache: the previous step must have filled it.
            assert.ok((previous?.preflightCacheSeconds?.[engine] ?? 0) > 0, `a cached preflight, ${where}`);
          }
          const previousRequest = index > 0 ? scenario.steps[index - 1]!.request : undefined;
          const request = step.request;
          if (
            expected.preflights > 0 &&
            JSON.stringify(previousRequest) === JSON.stringify(request) &&
            (request.cache ?? 'default') === 'default'
          ) {
            // The same request preflighted again at once: the browser did not cache the previous answer.
            assert.equal(previous?.preflightCacheSeconds?.[engine] ?? 0, 0, `no cached preflight, ${where}`);
          }
          previous = report;
        }
      });
    }
  });
}

describe('check and simulateFetch with the three engines at once: one verdict per engine, each request sent once', () => {
  for (const scenario of MULTI_HOP_SCENARIOS) {
    test(scenario.id, async () => {
      await assertBothAgree(`all/${scenario.id}`, scenario, scenario.steps[0]!.request, ENGINE_NAMES, 'three engines');
    });
  }
});
