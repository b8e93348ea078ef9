/**
 * Compares two runs of the in-process benchmark, the way benchstat compares two `go test
 * -bench` outputs: for every row in both, the median time per request with its spread, the
 * change, and `~` where the change is not significant.
 *
 *   node build/bench/compare.js OLD.json NEW.json
 *
 * Significance: a two-sided Mann-Whitney U test on the two rows' samples (each sample is the
 * mean of one batch of calls), at p < 0.05, as benchstat's default. `±` is half the
 * interquartile range, relative to the median.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mannWhitneyP, median, relativeSpread } from './stats.js';
import { formatNs } from './report.js';
import { WORKLOADS } from './workloads.js';
import type { RunData } from './main.js';

export const ALPHA = 0.05;

export interface RowComparison {
  readonly row: string;
  readonly old: string;
  readonly new: string;
  /** Relative change of the median, or undefined when not significant. */
  readonly delta: number | undefined;
  readonly p: number;
}

/** Runs saved before the policy group was renamed call it 'engine'. */
const currentGroupId = (group: string): string => (group === 'engine' ? 'policy' : group);

export function compareRuns(older: RunData, newer: RunData): RowComparison[] {
  const rows: RowComparison[] = [];
  for (const b of newer.inProcess ?? []) {
    const a = older.inProcess?.find((r) => currentGroupId(r.group) === b.group && r.library === b.library && r.workload === b.workload);
    if (a === undefined || a.samples.length === 0 || b.samples.length === 0) continue;
    const p = mannWhitneyP(a.samples, b.samples);
    const cell = (samples: readonly number[]): string => `${formatNs(median(samples))} ± ${Math.round(relativeSpread(samples) * 100)}%`;
    rows.push({
      row: `${b.group}/${b.library}, ${WORKLOADS.find((w) => w.id === b.workload)?.label ?? b.workload}`,
      old: cell(a.samples),
      new: cell(b.samples),
      delta: p < ALPHA ? median(b.samples) / median(a.samples) - 1 : undefined,
      p,
    });
  }
  return rows;
}

export function compareTable(rows: readonly RowComparison[], sampleCounts = ''): string {
  const lines = [`| Row | old | new | Δ | p${sampleCounts} |`, '|---|---:|---:|---:|---:|'];
  for (const r of rows) {
    const delta = r.delta === undefined ? '~' : `${r.delta > 0 ? '+' : ''}${(r.delta * 100).toFixed(1)}%`;
    lines.push(`| ${r.row} | ${r.old} | ${r.new} | ${delta} | ${r.p < 0.001 ? '<0.001' : r.p.toFixed(3)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [, , oldPath, newPath] = process.argv;
  if (oldPath === undefined || newPath === undefined) throw new Error('usage: compare.js OLD.json NEW.json');
  const read = (path: string): RunData => JSON.parse(readFileSync(path, 'utf8')) as RunData;
  const older = read(oldPath);
  const newer = read(newPath);
  process.stdout.write(`old: ${oldPath} (${older.date ?? 'undated'})\nnew: ${newPath} (${newer.date ?? 'undated'})\n\n`);
  process.stdout.write(
    `${compareTable(compareRuns(older, newer))}\n\n~: no significant change (Mann-Whitney U, p ≥ ${ALPHA}); ± is half the interquartile range.\n`,
  );
}
