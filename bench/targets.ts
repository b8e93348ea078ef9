/**
 * Checks a run against bench/targets.json: the targets are data, next to the benchmark; this
 * file only knows how to read them.
 */
import { readFileSync } from 'node:fs';
import { WORKLOADS, type Workload } from './workloads.js';
import { median } from './stats.js';
import type { InProcessResult } from './inprocess/results.js';
import type { HttpResult } from './http/run.js';

interface InProcessTarget {
  readonly id: string;
  readonly description: string;
  readonly group: string | readonly string[];
  /** A library id, or `*`: every library of the group but the reference and `except`. */
  readonly subject: string;
  readonly except?: readonly string[];
  /** Absent for `maxNs` targets. */
  readonly reference?: string;
  readonly workloads: 'allowed' | 'adversarial' | 'all' | readonly string[];
  readonly referenceWorkload?: string;
  readonly max?: number;
  readonly min?: number;
  readonly maxNs?: number;
}

interface HttpTarget {
  readonly id: string;
  readonly description: string;
  readonly subject: string;
  readonly reference: string;
  readonly min: number;
}

export interface Targets {
  readonly inProcess: readonly InProcessTarget[];
  readonly http: readonly HttpTarget[];
}

export function loadTargets(path = new URL('../../bench/targets.json', import.meta.url)): Targets {
  return JSON.parse(readFileSync(path, 'utf8')) as Targets;
}

/** One target against one run: met is undefined when the run has none of its rows. */
export interface Verdict {
  readonly id: string;
  readonly description: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** Median of the round-by-round ratios a/b (the rows of one workload share their rounds). */
export function pairedRatio(a: InProcessResult, b: InProcessResult): number {
  const n = Math.min(a.rounds.length, b.rounds.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(a.rounds[i]! / b.rounds[i]!);
  return median(ratios);
}

/** Median of the per-round req/s ratios of an HTTP pair, subject over reference. */
export function pairedRpsRatio(r: HttpResult): number {
  const n = Math.min(r.subjectRuns.length, r.referenceRuns.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(r.subjectRuns[i]!.rps / r.referenceRuns[i]!.rps);
  return median(ratios);
}

function selectWorkloads(selector: InProcessTarget['workloads']): readonly Workload[] {
  if (selector === 'all') return WORKLOADS;
  if (selector === 'allowed') return WORKLOADS.filter((w) => w.allowed && !w.adversarial);
  if (selector === 'adversarial') return WORKLOADS.filter((w) => w.adversarial && !w.id.endsWith('-control'));
  return WORKLOADS.filter((w) => selector.includes(w.id));
}

const ratioText = (r: number): string => `${r.toFixed(2)}×`;
const nsText = (ns: number): string => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${Math.round(ns)} ns`);

function checkInProcess(t: InProcessTarget, results: readonly InProcessResult[]): Verdict {
  const groups = typeof t.group === 'string' ? [t.group] : t.group;
  const find = (group: string, library: string, workload: string) =>
    results.find((r) => r.group === group && r.library === library && r.workload === workload);
  const measured: Array<{ where: string; value: number }> = [];
  for (const group of groups) {
    for (const w of selectWorkloads(t.workloads)) {
      const subjects =
        t.subject === '*'
          ? [
              ...new Set(
                results
                  .filter((r) => r.group === group && r.library !== t.reference && !(t.except ?? []).includes(r.library))
                  .map((r) => r.library),
              ),
            ]
          : [t.subject];
      for (const subject of subjects) {
        const a = find(group, subject, w.id);
        if (a === undefined) continue;
        const where = `${group}${subjects.length > 1 ? `/${subject}` : ''}, ${w.label}`;
        if (t.maxNs !== undefined) {
          measured.push({ where, value: median(a.rounds) });
          continue;
        }
        const b = find(group, t.reference!, t.referenceWorkload ?? w.id);
        if (b !== undefined) measured.push({ where, value: pairedRatio(a, b) });
      }
    }
  }
  if (measured.length === 0) return { id: t.id, description: t.description, measured: 'not in this run', met: undefined };
  const bound = t.maxNs ?? t.max;
  if (bound !== undefined) {
    const worst = measured.reduce((x, y) => (y.value > x.value ? y : x));
    const over = measured.filter((m) => m.value > bound).length;
    const show = t.maxNs !== undefined ? nsText : ratioText;
    return {
      id: t.id,
      description: t.description,
      measured: `worst ${show(worst.value)} (${worst.where}); ${over} of ${measured.length} above ${show(bound)}`,
      met: over === 0,
    };
  }
  const least = measured.reduce((x, y) => (y.value < x.value ? y : x));
  const under = measured.filter((m) => m.value < t.min!);
  return {
    id: t.id,
    description: t.description,
    measured:
      `least ${ratioText(least.value)} (${least.where}); ${under.length} of ${measured.length} below ${ratioText(t.min!)}` +
      (under.length > 0 && under.length <= 4 ? `: ${under.map((m) => `${m.where} ${ratioText(m.value)}`).join('; ')}` : ''),
    met: under.length === 0,
  };
}

function checkHttp(t: HttpTarget, results: readonly HttpResult[]): Verdict {
  const pairs = results.filter((r) => r.subject === t.subject && r.reference === t.reference);
  if (pairs.length === 0) return { id: t.id, description: t.description, measured: 'not in this run', met: undefined };
  const ratios = pairs.map((r) => ({ workload: r.workload, ratio: pairedRpsRatio(r) }));
  return {
    id: t.id,
    description: t.description,
    measured: ratios.map((r) => `${r.workload} ${(r.ratio * 100).toFixed(1)}%`).join(', '),
    met: ratios.every((r) => r.ratio >= t.min),
  };
}

export function checkTargets(targets: Targets, inProcess: readonly InProcessResult[], http: readonly HttpResult[]): Verdict[] {
  return [...targets.inProcess.map((t) => checkInProcess(t, inProcess)), ...targets.http.map((t) => checkHttp(t, http))];
}
