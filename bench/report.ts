/** Formats results as the Markdown tables `npm run bench` prints and BENCHMARKS.md keeps. */
import { WORKLOADS } from './workloads.js';
import { median } from './inprocess/harness.js';
import { COMPARISONS, type HttpResult, type HttpRun, type HttpWorkload } from './http/run.js';
import { VARIANTS } from './http/servers.js';
import type { InProcessResult } from './inprocess/results.js';
import type { Group } from './inprocess/library.js';

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns >= 1_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  if (ns >= 10_000) return `${(ns / 1000).toFixed(1)} µs`;
  if (ns >= 1000) return `${(ns / 1000).toFixed(2)} µs`;
  return `${Math.round(ns)} ns`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 10 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${Math.round(bytes)} B`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  return ratio >= 100 ? `${Math.round(ratio)}×` : `${ratio.toFixed(2)}×`;
}

/** Median of the round-by-round ratios a/b (see InProcessResult.rounds). */
export function pairedRatio(a: InProcessResult, b: InProcessResult): number {
  const n = Math.min(a.rounds.length, b.rounds.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(a.rounds[i]! / b.rounds[i]!);
  return median(ratios);
}

const nsCell = (r: InProcessResult | undefined): string => (r === undefined ? '—' : formatNs(r.ns));
const bytesCell = (r: InProcessResult | undefined): string => (r === undefined ? '—' : formatBytes(r.bytes));
const ratioCell = (a: InProcessResult | undefined, b: InProcessResult | undefined): string =>
  a === undefined || b === undefined ? '—' : formatRatio(pairedRatio(a, b));

function find(results: readonly InProcessResult[], group: string, library: string, workload: string): InProcessResult | undefined {
  return results.find((r) => r.group === group && r.library === library && r.workload === workload);
}

/**
 * One table per framework: time and bytes per request for each library, corsguard's ratio
 * to the floor (where there is one), and each other library's ratio to corsguard (above 1
 * means slower than corsguard).
 */
export function inProcessTable(group: Group, results: readonly InProcessResult[]): string {
  const others = group.libraries.filter((l) => l.role === 'other');
  const baseline = group.libraries.find((l) => l.role === 'baseline');
  const guardLibrary = group.libraries.find((l) => l.role === 'corsguard');
  const hasFloor = baseline !== undefined;
  const floorName = baseline?.label ?? '';
  const guardName = guardLibrary?.label ?? 'corsguard (adapter not merged yet)';
  const head: string[] = ['Workload'];
  if (hasFloor) head.push(floorName);
  head.push(guardName);
  if (hasFloor) head.push(`corsguard ÷ ${baseline.id === 'floor' ? 'floor' : 'no CORS'}`);
  for (const o of others) head.push(o.label, `${o.label} ÷ corsguard`);
  if (hasFloor) head.push(`${floorName} B`);
  head.push('corsguard B');
  for (const o of others) head.push(`${o.label} B`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const w of WORKLOADS) {
    const guard = find(results, group.id, 'corsguard', w.id);
    const floor = baseline === undefined ? undefined : find(results, group.id, baseline.id, w.id);
    if (guard === undefined && !others.some((o) => find(results, group.id, o.id, w.id) !== undefined)) continue;
    const cells: string[] = [w.label];
    if (hasFloor) cells.push(nsCell(floor));
    cells.push(nsCell(guard));
    if (hasFloor) cells.push(ratioCell(guard, floor));
    for (const o of others) {
      const r = find(results, group.id, o.id, w.id);
      cells.push(nsCell(r), ratioCell(r, guard));
    }
    if (hasFloor) cells.push(bytesCell(floor));
    cells.push(bytesCell(guard));
    for (const o of others) cells.push(bytesCell(find(results, group.id, o.id, w.id)));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Median of the round-by-round ratios of req/s, subject over reference (above 1: the subject serves more). */
export function pairedRpsRatio(r: HttpResult): number {
  return median(roundRatios(r, (run) => run.rps)!);
}

/** Each round's subject ÷ reference ratio of one measure, or undefined when a run lacks it. */
function roundRatios(r: HttpResult, measure: (run: HttpRun) => number | undefined): number[] | undefined {
  const n = Math.min(r.subjectRuns.length, r.referenceRuns.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const subject = measure(r.subjectRuns[i]!);
    const reference = measure(r.referenceRuns[i]!);
    if (subject === undefined || reference === undefined || reference === 0) return undefined;
    ratios.push(subject / reference);
  }
  return ratios;
}

function describe(id: string): string {
  const v = VARIANTS.find((x) => x.id === id);
  return v === undefined ? id : `${v.framework} + ${v.cors}`;
}

/** Median per-round ratio of CPU time per response, reference over subject (above 100%: the subject costs less). */
function cpuRatio(r: HttpResult): string {
  const ratios = roundRatios(r, (run) => run.cpuUs);
  return ratios === undefined || ratios.includes(0) ? 'n/a' : `${((1 / median(ratios)) * 100).toFixed(1)}%`;
}

function spread(r: HttpResult): string {
  const ratios = roundRatios(r, (run) => run.rps)!;
  return `${(Math.min(...ratios) * 100).toFixed(0)}–${(Math.max(...ratios) * 100).toFixed(0)}%`;
}

export function httpTable(workload: HttpWorkload, results: readonly HttpResult[]): string {
  const lines = [
    '| Subject | Reference | subject req/s | reference req/s | subject ÷ reference (req/s) | rounds, least–most | reference ÷ subject (CPU per response) | subject p99 ms | reference p99 ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of COMPARISONS) {
    const r = results.find((x) => x.subject === c.subject && x.reference === c.reference && x.workload === workload.id);
    if (r === undefined) {
      lines.push(`| ${describe(c.subject)} | ${describe(c.reference)} | not run (adapter not merged yet) | | | | | | |`);
      continue;
    }
    const rps = (runs: readonly HttpRun[]): string => String(Math.round(median(runs.map((x) => x.rps))));
    const p99 = (runs: readonly HttpRun[]): string => median(runs.map((x) => x.p99)).toFixed(1);
    lines.push(
      `| ${describe(c.subject)} | ${describe(c.reference)} | ${rps(r.subjectRuns)} | ${rps(r.referenceRuns)} | ` +
        `${(pairedRpsRatio(r) * 100).toFixed(1)}% | ${spread(r)} | ${cpuRatio(r)} | ${p99(r.subjectRuns)} | ${p99(r.referenceRuns)} |`,
    );
  }
  return lines.join('\n');
}

interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The targets of issue 7, checked against this run's numbers. */
export function targetsTable(inProcess: readonly InProcessResult[], http: readonly HttpResult[]): string {
  const rows: Target[] = [];
  const of = (group: string, library: string, workload: string) => find(inProcess, group, library, workload);
  const allowed = WORKLOADS.filter((w) => w.allowed && !w.adversarial);

  const floorRatios = allowed.flatMap((w) => {
    const g = of('node', 'corsguard', w.id);
    const f = of('node', 'floor', w.id);
    return g && f ? [{ w, ratio: pairedRatio(g, f) }] : [];
  });
  if (floorRatios.length > 0) {
    const worst = floorRatios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    rows.push({
      target: 'node:http, every allowed workload: corsguard ≤ 1.25 × the hand-written floor',
      measured: `worst ${formatRatio(worst.ratio)} (${worst.w.label}); ${floorRatios.filter((r) => r.ratio > 1.25).length} of ${floorRatios.length} above 1.25`,
      met: worst.ratio <= 1.25,
    });
  }

  const versusCors = WORKLOADS.flatMap((w) => {
    const g = of('node', 'corsguard', w.id);
    const c = of('node', 'cors', w.id);
    return g && c ? [{ w, ratio: pairedRatio(c, g) }] : [];
  });
  if (versusCors.length > 0) {
    const worstAllowed = versusCors.filter((r) => r.w.allowed && !r.w.adversarial).reduce((a, b) => (b.ratio < a.ratio ? b : a));
    // The ceiling: how much faster than `cors` the floor itself is, on the same workloads.
    const floorLeads = allowed.flatMap((w) => {
      const f = of('node', 'floor', w.id);
      const c = of('node', 'cors', w.id);
      return f && c ? [{ w, ratio: pairedRatio(c, f) }] : [];
    });
    const floorLeast = floorLeads.length > 0 ? floorLeads.reduce((a, b) => (b.ratio < a.ratio ? b : a)) : undefined;
    const floorOnWorst = floorLeads.find((r) => r.w.id === worstAllowed.w.id);
    rows.push({
      target: 'node:http: corsguard ≥ 2.5 × faster than `cors` (allowed workloads)',
      measured:
        `least ${formatRatio(worstAllowed.ratio)} (${worstAllowed.w.label})` +
        (floorLeast === undefined
          ? ''
          : `; the hand-written floor itself is ${formatRatio(floorOnWorst?.ratio ?? floorLeast.ratio)} faster than \`cors\` there, ` +
            `and at least ${formatRatio(floorLeast.ratio)} (${floorLeast.w.label})`),
      met: worstAllowed.ratio >= 2.5,
    });
  }

  const slower: string[] = [];
  let compared = 0;
  for (const r of inProcess) {
    if (r.library === 'corsguard' || r.library === 'floor' || r.library === 'none' || r.library === 'corsguard-one-origin') continue;
    const g = of(r.group, 'corsguard', r.workload);
    if (g === undefined) continue;
    compared++;
    const ratio = pairedRatio(r, g);
    if (ratio < 1) slower.push(`${r.group}/${r.library} on ${WORKLOADS.find((w) => w.id === r.workload)?.label} (${formatRatio(1 / ratio)} faster)`);
  }
  rows.push({
    target: 'In-process: corsguard faster than every other library on every workload',
    measured: slower.length === 0 ? `faster in all ${compared} comparisons` : `slower in ${slower.length} of ${compared}: ${slower.join('; ')}`,
    met: compared === 0 ? undefined : slower.length === 0,
  });

  for (const kind of ['actual', 'preflight'] as const) {
    for (const group of ['engine', 'node']) {
      const thousand = of(group, 'corsguard', `${kind}-allowed-thousand`);
      // The same request, answered by a 1-origin policy in the same rounds (paired).
      const one = of(group, 'corsguard-one-origin', `${kind}-allowed-thousand`);
      if (one === undefined || thousand === undefined) continue;
      const ratio = pairedRatio(thousand, one);
      rows.push({
        target: `${group === 'engine' ? 'Engine' : 'node:http'}, ${kind} allowed: 1,000 origins ≤ 1.3 × 1 origin`,
        measured: `${formatNs(thousand.ns)} vs ${formatNs(one.ns)} for the same request with a 1-origin list: ${formatRatio(ratio)} (paired)`,
        met: ratio <= 1.3,
      });
    }
  }

  for (const [attack, control] of [
    ['adversarial-deep-origin', 'adversarial-deep-origin-control'],
    ['adversarial-long-method', 'adversarial-long-method-control'],
  ] as const) {
    const a = of('engine', 'corsguard', attack);
    const c = of('engine', 'corsguard', control);
    if (a === undefined || c === undefined) continue;
    rows.push({
      target: `Engine: ${WORKLOADS.find((w) => w.id === attack)?.label} ≤ 2 × a normal preflight of the same size`,
      measured: `${formatNs(a.ns)} vs ${formatNs(c.ns)}: ${formatRatio(pairedRatio(a, c))} (paired)`,
      met: pairedRatio(a, c) <= 2,
    });
  }

  for (const w of WORKLOADS.filter((x) => x.adversarial && !x.id.endsWith('-control'))) {
    const engine = of('engine', 'corsguard', w.id);
    const node = of('node', 'corsguard', w.id);
    if (engine === undefined) continue;
    rows.push({
      target: `Refused in < 5 µs: ${w.label}`,
      measured: `engine ${formatNs(engine.ns)}${node === undefined ? '' : `; with node:http writing the refusal, ${formatNs(node.ns)}`}`,
      met: engine.ns < 5000,
    });
  }

  const alloc = of('node', 'corsguard', 'actual-allowed-one');
  const allocFloor = of('node', 'floor', 'actual-allowed-one');
  const allocEngine = of('engine', 'corsguard', 'actual-allowed-one');
  if (alloc && allocFloor) {
    rows.push({
      target: 'Allowed actual request allocates nothing beyond its header values',
      measured:
        `node:http: corsguard ${formatBytes(alloc.bytes)} vs floor ${formatBytes(allocFloor.bytes)} (same header writes)` +
        (allocEngine ? `; engine alone ${formatBytes(allocEngine.bytes)}` : ''),
      met: alloc.bytes <= allocFloor.bytes + 16,
    });
  }

  for (const r of http) {
    const ratio = pairedRpsRatio(r);
    const node = r.subject === 'node-corsguard';
    if (r.subject === 'node-floor' || r.subject === 'node-floor-twin') continue;
    rows.push({
      target: `HTTP ${r.workload}: ${describe(r.subject)} ≥ ${node ? '97%' : '100%'} of ${describe(r.reference)} req/s`,
      measured: `${(ratio * 100).toFixed(1)}%`,
      met: ratio >= (node ? 0.97 : 1),
    });
  }

  const lines = ['| Target | Measured | Met |', '|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.target} | ${r.measured} | ${r.met === undefined ? 'n/a' : r.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}
