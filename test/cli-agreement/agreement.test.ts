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
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, TrafficLog, type ApiServer } from '../browsers/api.js';
import { MULTI_HOP_SCENARIOS, pageOrigin, SCENARIOS, ENGINE_NAMES, type EngineName, type PageKind, type RequestExpectation, type Scenario, type ScenarioRequest } from '../browsers/scenarios.js';
import { expectationFor } from '../browsers/verdict.js';
import { runCheck, type CheckReport, type EngineVerdict } from '../../src/cli/check.js';

/** Pages are never served here: the port only shapes the Origin a page would send. */
const PAGE_PORT = 3999;

function sentOrigin(kind: PageKind): string {
  if (kind === 'same-origin') return api.origin;
  return kind === 'file' || kind === 'sandboxed-iframe' ? 'null' : pageOrigin(kind, PAGE_PORT);
}

let api: ApiServer;
const traffic = new TrafficLog();

before(async () => {
  api = await startApi('node', [...SCENARIOS, ...MULTI_HOP_SCENARIOS], PAGE_PORT, traffic);
});
after(async () => {
  await api.close();
});

function check(key: string, scenario: Scenario, request: ScenarioRequest, engines: readonly EngineName[]): Promise<CheckReport> {
  return runCheck({
    url: `${api.origin}/s/${key}/${request.route}`,
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

/**
 * One engine's verdict against what that browser did. Redirect scenarios (one request each, no
 * preflight cache in play) must match exactly: the number of preflights, the Origin of the last
 * request and the body the page read (what reached the last server, Authorization included).
 */
function assertAgrees(report: CheckReport, verdict: EngineVerdict, expected: RequestExpectation, scenario: Scenario, where: string): void {
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
  if (MULTI_HOP_SCENARIOS.includes(scenario)) {
    assert.equal(preflightsSent, expected.preflights, `preflights, ${where}`);
    const body = last.response.bodyStart;
    if (expected.outcome === 'succeeds' && expected.bodyIncludes !== undefined) assert.ok(body.includes(expected.bodyIncludes), `body ${body}, ${where}`);
    if (expected.outcome === 'succeeds' && expected.bodyExcludes !== undefined) assert.ok(!body.includes(expected.bodyExcludes), `body ${body}, ${where}`);
  }
}

const describeProblems = (report: CheckReport): string => JSON.stringify(report.problems.map((p) => p.message));

for (const engine of ENGINE_NAMES) {
  describe(`check agrees with ${engine}`, () => {
    for (const scenario of [...SCENARIOS, ...MULTI_HOP_SCENARIOS]) {
      test(scenario.id, async () => {
        let previous: CheckReport | undefined;
        for (const [index, step] of scenario.steps.entries()) {
          const expected = expectationFor(step, engine);
          const key = `${engine}/${scenario.id}`;
          const before = traffic.snapshot(key);
          const report = await check(key, scenario, step.request, [engine]);
          const where = `step ${index + 1} (${step.request.method} ${step.request.route}): ${describeProblems(report)}`;
          assert.equal(report.verdicts.length, 1);
          assertAgrees(report, report.verdicts[0]!, expected, scenario, where);
          assert.equal(report.allowed, report.verdicts[0]!.allowed);
          assert.equal(traffic.snapshot(key).handlerRuns - before.handlerRuns, expected.handlerRuns, `handler runs, ${where}`);
          if (expected.preflights === 0 && report.preflight) {
            // The browser answered from its preflight cache: the previous step must have filled it.
            assert.ok((previous?.preflightCacheSeconds?.[engine] ?? 0) > 0, `a cached preflight, ${where}`);
          }
          const previousRequest = index > 0 ? scenario.steps[index - 1]!.request : undefined;
          const request = step.request;
          if (expected.preflights > 0 && JSON.stringify(previousRequest) === JSON.stringify(request) && (request.cache ?? 'default') === 'default') {
            // The same request preflighted again at once: the browser did not cache the previous answer.
            assert.equal(previous?.preflightCacheSeconds?.[engine] ?? 0, 0, `no cached preflight, ${where}`);
          }
          previous = report;
        }
      });
    }
  });
}

describe('check with the three engines at once: one verdict per engine, each request sent once', () => {
  for (const scenario of MULTI_HOP_SCENARIOS) {
    test(scenario.id, async () => {
      const step = scenario.steps[0]!;
      const key = `all/${scenario.id}`;
      const before = traffic.snapshot(key);
      const report = await check(key, scenario, step.request, ENGINE_NAMES);
      const where = `${describeProblems(report)}`;
      assert.deepEqual(report.verdicts.map((v) => v.engine), ENGINE_NAMES);
      for (const verdict of report.verdicts) {
        assertAgrees(report, verdict, expectationFor(step, verdict.engine), scenario, `${verdict.engine}: ${where}`);
      }
      assert.equal(report.allowed, report.verdicts.every((v) => v.allowed));
      // Identical requests are shared: the handler ran once per distinct request, not once per engine.
      const actuals = report.exchanges.filter((e) => e.step === 'actual');
      assert.equal(traffic.snapshot(key).handlerRuns - before.handlerRuns, actuals.length, `handler runs, ${where}`);
      const keys = report.exchanges.map((e) => JSON.stringify([e.request.method, e.request.url, e.request.headers, e.request.body]));
      assert.equal(new Set(keys).size, keys.length, 'no request sent twice');
    });
  }
});
