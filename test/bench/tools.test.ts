/**
 * The benchmark's tooling, on made-up results (no timing is measured here): the statistics,
 * the targets of bench/targets.json as the report checks them, and the comparison of two runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyP, median, quantile, relativeSpread } from '../../bench/stats.js';
import { checkTargets, loadTargets } from '../../bench/targets.js';
import { compareRuns, compareTable } from '../../bench/compare.js';
import { WORKLOADS } from '../../bench/workloads.js';
import type { InProcessResult } from '../../bench/inprocess/results.js';
import type { RunData } from '../../bench/main.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('quantiles interpolate between ranks; the spread is half the IQR over the median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile(range(1, 5), 0.25), 2);
  assert.equal(relativeSpread([90, 100, 100, 110, 100]), 0);
  assert.equal(relativeSpread([80, 90, 100, 110, 120]), 0.1);
});

test('Mann-Whitney: separated sets are significant, identical sets are not', () => {
  // scipy.stats.mannwhitneyu(range(1, 11), range(11, 21), method='asymptotic') gives p = 0.000183
  assert.ok(Math.abs(mannWhitneyP(range(1, 10), range(11, 20)) - 0.000183) < 0.000002);
  assert.equal(mannWhitneyP(range(1, 10), range(1, 10)), 1);
  assert.ok(mannWhitneyP([1, 3, 5, 7, 9, 11, 13, 15], [2, 4, 6, 8, 10, 12, 14, 16]) > 0.5);
  assert.equal(mannWhitneyP([], [1, 2]), 1);
});

/** A node:http row measured at `ns` in every one of five rounds. */
function row(library: string, workload: string, ns: number, group = 'node'): InProcessResult {
  return { group, library, workload, samples: [ns * 0.98, ns, ns, ns * 1.02], rounds: [ns, ns, ns, ns, ns], bytes: 0 };
}

const allowed = WORKLOADS.filter((w) => w.allowed && !w.adversarial);

test('targets.json: corsguard within 1.1 × the floor and 2.5 × faster than cors, checked on every allowed node:http workload', () => {
  const targets = loadTargets();
  const verdict = (results: InProcessResult[], id: string) => checkTargets(targets, results, []).find((v) => v.id === id)!;
  const at = (floorNs: number, guardNs: number, corsNs: number, slowRow?: string): InProcessResult[] =>
    allowed.flatMap((w) => [
      row('floor', w.id, floorNs),
      row('corsguard', w.id, w.id === slowRow ? guardNs * 1.5 : guardNs),
      row('cors', w.id, corsNs),
    ]);

  assert.equal(verdict(at(1000, 1100, 2750), 'floor').met, true);
  assert.equal(verdict(at(1000, 1100, 2750), 'cors').met, true);
  const oneSlow = verdict(at(1000, 1000, 3000, 'preflight-allowed-nine'), 'floor');
  assert.equal(oneSlow.met, false);
  assert.match(oneSlow.measured, /worst 1\.50× \(node, preflight, allowed, 9 patterns\); 1 of 8 above 1\.10×/);
  const cors = verdict(at(1000, 1000, 2000), 'cors');
  assert.equal(cors.met, false);
  assert.match(cors.measured, /least 2\.00×.*8 of 8 below 2\.50×/);
  // A run without those rows says so instead of passing.
  assert.equal(verdict([], 'floor').met, undefined);
});

test('compare: a row 20% slower is reported with its change, an unchanged row as ~', () => {
  const run = (results: InProcessResult[]): RunData => ({ machine: 'test', quick: false, inProcess: results });
  const spread = (ns: number): number[] => range(0, 29).map((i) => ns * (0.97 + (i % 7) * 0.01));
  const older = run([
    { ...row('corsguard', 'actual-allowed-one', 1000), samples: spread(1000) },
    { ...row('cors', 'actual-allowed-one', 3000), samples: spread(3000) },
  ]);
  const newer = run([
    { ...row('corsguard', 'actual-allowed-one', 1200), samples: spread(1200) },
    { ...row('cors', 'actual-allowed-one', 3000), samples: spread(3000).reverse() },
  ]);
  const rows = compareRuns(older, newer);
  assert.equal(rows.length, 2);
  const guard = rows.find((r) => r.row.startsWith('node/corsguard'))!;
  assert.ok(guard.delta !== undefined && Math.abs(guard.delta - 0.2) < 1e-9);
  assert.ok(guard.p < 0.001);
  assert.equal(rows.find((r) => r.row.startsWith('node/cors,'))!.delta, undefined);
  const table = compareTable(rows);
  assert.match(table, /\| node\/corsguard, actual, allowed, 1 origin \| 1\.00 µs ± \d+% \| 1\.20 µs ± \d+% \| \+20\.0% \| <0\.001 \|/);
  assert.match(table, /\| node\/cors, actual, allowed, 1 origin \| .* \| ~ \| 1\.000 \|/);
});

test("compare: a run saved when the policy group was called 'engine' is compared with today's policy rows", () => {
  const run = (results: InProcessResult[]): RunData => ({ machine: 'test', quick: false, inProcess: results });
  const older = run([row('corsguard', 'preflight-allowed-one', 500, 'engine')]);
  const newer = run([row('corsguard', 'preflight-allowed-one', 500, 'policy')]);
  const rows = compareRuns(older, newer);
  assert.equal(rows.length, 1);
  assert.match(rows[0]!.row, /^policy\/corsguard, /);
  assert.equal(rows[0]!.delta, undefined);
});
