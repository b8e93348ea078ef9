/** Formats results as the Markdown tables `npm run bench` prints and BENCHMARKS.md keeps. */
import { WORKLOADS } from './workloads.js';
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

function find(results: readonly InProcessResult[], group: string, library: string, workload: string): InProcessResult | undefined {
  return results.find((r) => r.group === group && r.library === library && r.workload === workload);
}

/**
 * One table per framework: time and bytes per request for each library, corsguard's ratio
 * to the floor (where there is one), and each other library's ratio to corsguard (above 1
 * means slower than corsguard).
 */
export function inProcessTable(group: Group, results: readonly InProcessResult[]): string {
  const others = group.libraries.filter((l) => l.id !== 'corsguard' && l.id !== 'floor');
  const hasFloor = group.libraries.some((l) => l.id === 'floor');
  const head: string[] = ['Workload'];
  if (hasFloor) head.push('floor');
  head.push('corsguard');
  if (hasFloor) head.push('corsguard ÷ floor');
  for (const o of others) head.push(o.label, `${o.label} ÷ corsguard`);
  if (hasFloor) head.push('floor B');
  head.push('corsguard B');
  for (const o of others) head.push(`${o.label} B`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const w of WORKLOADS) {
    const guard = find(results, group.id, 'corsguard', w.id);
    const floor = find(results, group.id, 'floor', w.id);
    if (guard === undefined) continue;
    const cells: string[] = [w.label];
    if (hasFloor) cells.push(floor === undefined ? '—' : formatNs(floor.ns));
    cells.push(formatNs(guard.ns));
    if (hasFloor) cells.push(floor === undefined ? '—' : formatRatio(guard.ns / floor.ns));
    for (const o of others) {
      const r = find(results, group.id, o.id, w.id);
      cells.push(r === undefined ? '—' : formatNs(r.ns), r === undefined ? '—' : formatRatio(r.ns / guard.ns));
    }
    if (hasFloor) cells.push(floor === undefined ? '—' : formatBytes(floor.bytes));
    cells.push(formatBytes(guard.bytes));
    for (const o of others) {
      const r = find(results, group.id, o.id, w.id);
      cells.push(r === undefined ? '—' : formatBytes(r.bytes));
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
