/** Formats results as the Markdown tables `npm run bench` prints and BENCHMARKS.md keeps. */
import { WORKLOADS } from './workloads.js';
import { median, relativeSpread } from './stats.js';
import { pairedRatio, pairedRpsRatio, type Verdict } from './targets.js';
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

/** Median time per request, and half its interquartile range in percent. */
const nsCell = (r: InProcessResult | undefined): string =>
  r === undefined ? '—' : `${formatNs(median(r.samples))} ±${Math.round(relativeSpread(r.samples) * 100)}%`;
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

/** The targets of bench/targets.json, checked against one run. */
export function targetsTable(verdicts: readonly Verdict[]): string {
  const lines = ['| Target | Measured | Met |', '|---|---|---|'];
  for (const v of verdicts) lines.push(`| ${v.description} | ${v.measured} | ${v.met === undefined ? 'n/a' : v.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}
