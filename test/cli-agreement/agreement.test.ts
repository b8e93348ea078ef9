/**
 * `corsguard check` agrees with the browsers: every scenario of the browser conformance table
 * (test/browsers/scenarios.ts, whose expectations the real Chromium, Firefox and WebKit suite
 * verifies) is replayed through `check`, once per engine (`--browser`), against the same
 * corsguard API, and check's verdict must be the browser's:
 * - the page reads the response, or fetch() rejects;
 * - the status the page sees;
 * - which response headers the page can read;
 * - whether the request reached the handler, and how often (check stops after a failed preflight and
 *   follows redirects, as browsers do);
 * - whether a preflight was sent (check has no preflight cache, so it must say "needed" whenever
 *   a browser sent one, and may only differ where a browser answered from its cache, which the
 *   previous step's cache time must then allow; where the browser preflighted the same request
 *   again at once, the previous step's cache time must be 0).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, TrafficLog, type ApiServer } from '../browsers/api.js';
import { pageOrigin, SCENARIOS, ENGINE_NAMES, type PageKind } from '../browsers/scenarios.js';
import { expectationFor } from '../browsers/verdict.js';
import { runCheck, type CheckReport } from '../../src/cli/check.js';

/** Pages are never served here: the port only shapes the Origin a page would send. */
const PAGE_PORT = 3999;

function sentOrigin(kind: PageKind): string {
  if (kind === 'same-origin') return api.origin;
  return kind === 'file' || kind === 'sandboxed-iframe' ? 'null' : pageOrigin(kind, PAGE_PORT);
}

let api: ApiServer;
const traffic = new TrafficLog();

before(async () => {
  api = await startApi('node', SCENARIOS, PAGE_PORT, traffic);
});
after(async () => {
  await api.close();
});

for (const engine of ENGINE_NAMES) {
  describe(`check agrees with ${engine}`, () => {
    for (const scenario of SCENARIOS) {
      test(scenario.id, async () => {
        let previous: CheckReport | undefined;
        for (const [index, step] of scenario.steps.entries()) {
          const expected = expectationFor(step, engine);
          const request = step.request;
          const key = `${engine}/${scenario.id}`;
          const before = traffic.snapshot(key);
          const report = await runCheck({
            url: `${api.origin}/s/${key}/${request.route}`,
            origin: sentOrigin(scenario.page),
            method: request.method,
            headers: Array.isArray(request.headers) ? request.headers : Object.entries(request.headers ?? {}),
            credentials: request.credentials === 'include',
            readHeaders: request.readHeaders ?? [],
            body: request.body,
            engines: [engine],
            probes: false,
            timeoutMs: 10_000,
          });
          const where = `step ${index + 1} (${request.method} ${request.route}): ${JSON.stringify(report.problems.map((p) => p.message))}`;
          const errors = report.problems.filter((p) => p.severity === 'error');

          assert.equal(report.responseReadable, expected.outcome === 'succeeds', `outcome, ${where}`);
          if (expected.outcome === 'blocked') {
            assert.ok(errors.length > 0, `a blocked request is explained, ${where}`);
          } else {
            if (expected.status !== undefined) assert.equal(report.status, expected.status, `status, ${where}`);
            for (const [name, value] of Object.entries(expected.readable ?? {})) {
              const access = report.readHeaders.find((h) => h.name === name);
              assert.equal(access?.readable, value !== null, `${name} readable, ${where}`);
            }
            assert.equal(report.allowed, errors.length === 0);
          }
          const sentActual = report.exchanges.some((e) => e.step === 'actual');
          assert.equal(sentActual, expected.handlerRuns > 0, `reached the handler, ${where}`);
          assert.equal(traffic.snapshot(key).handlerRuns - before.handlerRuns, expected.handlerRuns, `handler runs, ${where}`);

          if (expected.preflights > 0) assert.equal(report.preflight, true, `preflight needed, ${where}`);
          // Without a cache, check sends at least every preflight a browser sent (one per redirect hop).
          const preflightsSent = report.exchanges.filter((e) => e.step === 'preflight').length;
          assert.ok(preflightsSent >= expected.preflights, `${preflightsSent} preflight(s) sent, ${where}`);
          if (expected.preflights === 0 && report.preflight) {
            // The browser answered from its preflight cache: the previous step must have filled it.
            assert.ok((previous?.preflightCacheSeconds?.[engine] ?? 0) > 0, `a cached preflight, ${where}`);
          }
          const previousRequest = index > 0 ? scenario.steps[index - 1]!.request : undefined;
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
