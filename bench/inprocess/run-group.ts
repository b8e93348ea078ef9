/**
 * Runs one group of the in-process benchmark in this process and prints its results as
 * JSON on stdout. The driver starts one process per group, so that no library's code warms
 * up or deoptimises another framework's.
 *
 * Usage: node --expose-gc build/bench/inprocess/run-group.js <group> [--quick]
 *          [--library <id>] [--workload <id>] [--rounds <n>]
 * (the filters and a large --rounds make a row easy to profile with node --cpu-prof).
 */
import { WORKLOADS, runsInGroup, type Workload } from '../workloads.js';
import {
  clearCollections,
  collectedDuring,
  flushObserver,
  median,
  sample,
  startGcObserver,
  stopGcObserver,
  type Case,
  type Observed,
  type RawSample,
} from './harness.js';
import { loadGroup } from './groups.js';
import type { InProcessResult } from './results.js';
import type { Library } from './library.js';

export interface RunSettings {
  /** Timed rounds per row (each round samples every library once, in rotating order). */
  readonly rounds: number;
  /** Untimed calls per row first, so that every row is measured with optimised code. */
  readonly warmupCalls: number;
  /** Target duration of one timed pass, which sets the pool size. */
  readonly passNs: number;
  readonly maxPool: number;
}

export const FULL: RunSettings = { rounds: 41, warmupCalls: 3000, passNs: 200_000, maxPool: 500 };
export const QUICK: RunSettings = { rounds: 2, warmupCalls: 20, passNs: 20_000, maxPool: 16 };

/** Fails loudly when a row does not do what its workload says, so nothing bogus is timed. */
function check(groupId: string, library: Library, workload: Workload, observed: Observed): void {
  const libraryId = library.id;
  const where = `${groupId}/${libraryId}/${workload.id}`;
  // Without CORS there is nothing to check.
  if (libraryId === 'none') return;
  if (workload.adversarial) {
    // Refused (a 403, or a 200 that names the failing step), or, where the Fetch API already
    // stripped a value of only white space to '' (Hono), answered as a preflight without it.
    if (libraryId === 'corsguard' && observed.status === undefined) {
      throw new Error(`${where}: corsguard did not answer the adversarial preflight`);
    }
    return;
  }
  const expected = workload.allowed ? (workload.set === 'any' ? '*' : workload.headers.origin) : undefined;
  if (observed.allowOrigin !== expected) {
    throw new Error(`${where}: Access-Control-Allow-Origin is ${observed.allowOrigin}, expected ${expected}`);
  }
  if (workload.kind === 'preflight' && workload.allowed && observed.status !== 204) {
    throw new Error(`${where}: an allowed preflight got status ${observed.status}, expected 204`);
  }
}

interface Row {
  readonly workload: Workload;
  readonly library: string;
  readonly c: Case<unknown>;
  size: number;
  readonly raw: RawSample[];
}

/** Restricts a run to some libraries or workloads (for profiling one row). */
export interface RowFilter {
  readonly library?: string;
  readonly workload?: string;
}

export async function runGroup(groupId: string, settings: RunSettings, filter: RowFilter = {}): Promise<InProcessResult[]> {
  const group = await loadGroup(groupId);
  const byWorkload: Row[][] = [];
  for (const workload of WORKLOADS) {
    if (filter.workload !== undefined && !filter.workload.split(',').includes(workload.id)) continue;
    if (!runsInGroup(group.id, workload)) continue;
    const rows: Row[] = [];
    for (const library of group.libraries) {
      if (filter.library !== undefined && filter.library !== library.id) continue;
      const c = library.cases(workload);
      if (c === undefined) continue;
      const context = c.make();
      await c.run(context);
      check(group.id, library, workload, await c.observe(context));
      rows.push({ workload, library: library.id, c, size: 1, raw: [] });
    }
    byWorkload.push(rows);
  }

  // Warm every row up before measuring any, so that no row is timed while the JIT is still
  // reacting to a workload it has not seen; then size each row's pool so that one pass
  // lasts about settings.passNs.
  const poolFor = (ns: number): number => Math.max(1, Math.min(settings.maxPool, Math.round(settings.passNs / Math.max(ns, 1))));
  const warm = async (row: Row, callsWanted: number): Promise<void> => {
    let calls = 0;
    const seen: number[] = [];
    while (calls < callsWanted) {
      const s = await sample(row.c, row.size);
      calls += row.size;
      seen.push(s.ns);
      row.size = poolFor(median(seen.slice(-5)));
      // A single call of a pathological row can take milliseconds: a few are enough.
      if (s.ns * calls > settings.passNs * 50) break;
    }
  };
  for (const row of byWorkload.flat()) await warm(row, settings.warmupCalls);

  const results: InProcessResult[] = [];
  startGcObserver();
  for (const rows of byWorkload) {
    // Warm this workload's rows again just before their rounds: after the rounds of other
    // workloads (actual requests only, say), code shared between rows can be running as the
    // JIT left it for those; measured cold, the first preflight row of corsguard once read
    // 16.5 µs against 6.0 µs in the next run of the same code.
    for (const row of rows) await warm(row, Math.ceil(settings.warmupCalls / 3));
    for (let round = 0; round < settings.rounds; round++) {
      for (let k = 0; k < rows.length; k++) {
        const row = rows[(k + round) % rows.length]!;
        row.raw.push(await sample(row.c, row.size));
      }
    }
    await flushObserver();
    for (const row of rows) {
      const clean = row.raw.filter((s) => !collectedDuring(s));
      results.push({
        group: group.id,
        library: row.library,
        workload: row.workload.id,
        // A collection inside a pass is part of what the library costs, so time uses every sample.
        ns: median(row.raw.map((s) => s.ns)),
        bytes: clean.length > 0 ? Math.max(0, median(clean.map((s) => s.bytes))) : Number.NaN,
        samples: row.raw.length,
        rounds: row.raw.map((s) => s.ns),
        poolSize: row.size,
      });
    }
    clearCollections();
  }
  stopGcObserver();
  return results;
}

const [, , groupArg, ...flags] = process.argv;
if (groupArg !== undefined && process.argv[1]?.endsWith('run-group.js')) {
  const value = (flag: string): string | undefined => {
    const at = flags.indexOf(flag);
    return at === -1 ? undefined : flags[at + 1];
  };
  const rounds = value('--rounds');
  const settings = flags.includes('--quick') ? QUICK : FULL;
  const results = await runGroup(groupArg, rounds === undefined ? settings : { ...settings, rounds: Number(rounds) }, {
    library: value('--library'),
    workload: value('--workload'),
  });
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
