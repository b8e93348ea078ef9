/**
 * Runs one group of the in-process benchmark in this process, on mitata, and prints its
 * results as JSON on stdout. The driver starts one process per group, so that no library's
 * code warms up or deoptimises another framework's.
 *
 * Usage: node --expose-gc build/bench/inprocess/run-group.js <group> [--quick] [--gc once|inner]
 *          [--library <id>] [--workload <id,...>] [--rounds <n>]
 */
import { getHeapStatistics } from 'node:v8';
import { measure } from 'mitata';
import { WORKLOADS, runsInGroup, type Workload } from '../workloads.js';
import { median } from '../stats.js';
import { loadGroup } from './groups.js';
import type { InProcessResult } from './results.js';
import type { Case, Library, Observed } from './library.js';

export interface RunSettings {
  /** Measured rounds per workload; each measures every library once, in rotating order, after one untimed round. */
  readonly rounds: number;
  /** mitata's options for one library in one round. */
  readonly minCpuNs: number;
  readonly minSamples: number;
  /**
   * At most this many batches a round: on an adversarial workload, building a request (a MiB
   * of header, copied) costs a thousand times the call, and min_cpu_time alone would spend
   * minutes building.
   */
  readonly maxSamples: number;
  /**
   * Target CPU time of one batch: the calls per sample (fresh request contexts, built
   * untimed before the batch) are set from the warm-up round's median so that a batch lasts
   * about this long, long enough for the clock's microsecond resolution.
   */
  readonly batchNs: number;
  /** Calls per sample in the warm-up round. */
  readonly firstBatch: number;
  /**
   * mitata's garbage collection: 'once' (its default, after warm-up; scavenges land inside
   * batches and their time is counted, as a server pays them) or 'inner' (a full collection
   * before every batch). Measured both ways on the node:http group (BENCHMARKS.md), 'inner'
   * changed no target's verdict and made the bytes per request less repeatable, so 'once' it is.
   */
  readonly gc: 'inner' | 'once';
}

export const FULL: RunSettings = { rounds: 5, minCpuNs: 30e6, minSamples: 12, maxSamples: 100, batchNs: 1e6, firstBatch: 256, gc: 'once' };
export const QUICK: RunSettings = { rounds: 1, minCpuNs: 0, minSamples: 2, maxSamples: 2, batchNs: 0, firstBatch: 4, gc: 'once' };

/** The most calls per batch on an adversarial workload, whose requests carry up to 1 MiB each. */
const ADVERSARIAL_BATCH = 32;

const heapUsed = (): number => getHeapStatistics().used_heap_size;

/**
 * The clock: this process's CPU time (user and system), in nanoseconds, at microsecond
 * resolution. Not wall time: on this machine the benchmark shares two cores with other work,
 * and a batch that loses the CPU for a scheduler slice would read several times slower than it
 * ran; CPU time does not count the time the process waited. It does count V8's helper threads,
 * which after warm-up do little (the collector is single-threaded, see IN_PROCESS_NODE_FLAGS).
 */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** Fails loudly when a row does not do what its workload says, so nothing bogus is timed. */
function check(where: string, library: Library, workload: Workload, observed: Observed): void {
  // Without CORS there is nothing to check.
  if (library.id === 'none') return;
  if (workload.adversarial) {
    // Refused (a 403, or a 200 that names the failing step), or, where the Fetch API already
    // stripped a value of only white space to '' (Hono), answered as a preflight without it.
    if (library.id === 'corsguard' && observed.status === undefined)
      throw new Error(`${where}: corsguard did not answer the adversarial preflight`);
    return;
  }
  const expected = workload.allowed ? (workload.set === 'any' ? '*' : workload.headers.origin) : undefined;
  if (observed.allowOrigin !== expected)
    throw new Error(`${where}: Access-Control-Allow-Origin is ${observed.allowOrigin}, expected ${expected}`);
  if (workload.kind === 'preflight' && workload.allowed && observed.status !== 204) {
    throw new Error(`${where}: an allowed preflight got status ${observed.status}, expected 204`);
  }
}

/** One mitata measurement of a case: `batch` fresh contexts per sample, built untimed. */
async function measureCase(c: Case<unknown>, settings: RunSettings, batch: number, adversarial: boolean) {
  const make = (): unknown => c.make();
  const run = (context: unknown): void | Promise<void> => c.run(context);
  return measure(
    function* () {
      yield { [0]: make, bench: run };
    },
    {
      min_cpu_time: settings.minCpuNs,
      min_samples: settings.minSamples,
      max_samples: adversarial ? settings.minSamples : settings.maxSamples,
      batch_samples: batch,
      // One call per unrolled step, so that a batch is exactly `batch` calls.
      batch_unroll: 1,
      now: cpuNow,
      heap: heapUsed,
      inner_gc: settings.gc === 'inner',
    },
  );
}

interface Row {
  readonly library: string;
  readonly c: Case<unknown>;
  readonly samples: number[];
  readonly rounds: number[];
  readonly bytes: number[];
  batch: number;
}

export async function runGroup(
  groupId: string,
  settings: RunSettings,
  filter: { library?: string; workload?: string } = {},
): Promise<InProcessResult[]> {
  const group = await loadGroup(groupId);
  const byWorkload: Array<{ workload: Workload; rows: Row[] }> = [];
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
      check(`${group.id}/${library.id}/${workload.id}`, library, workload, await c.observe(context));
      // An adversarial request holds a MiB of header: few per batch.
      rows.push({
        library: library.id,
        c,
        samples: [],
        rounds: [],
        bytes: [],
        batch: Math.min(settings.firstBatch, workload.adversarial ? ADVERSARIAL_BATCH : Infinity),
      });
    }
    byWorkload.push({ workload, rows });
  }
  // Every row runs once before any is measured, so that no row is timed while the JIT still
  // reacts to workloads it has not seen (the first workload of a group read up to twice as
  // slow without this).
  for (const { workload, rows } of byWorkload) for (const row of rows) await measureCase(row.c, settings, row.batch, workload.adversarial);
  const results: InProcessResult[] = [];
  for (const { workload, rows } of byWorkload) {
    // Round 0 is warm-up (the JIT settles on this workload's code paths) and is not kept.
    for (let round = 0; round <= settings.rounds; round++) {
      for (let k = 0; k < rows.length; k++) {
        const row = rows[(k + round) % rows.length]!;
        const stats = await measureCase(row.c, settings, row.batch, workload.adversarial);
        if (round === 0) {
          if (settings.batchNs > 0)
            row.batch = Math.max(
              8,
              Math.min(workload.adversarial ? ADVERSARIAL_BATCH : 2048, Math.round(settings.batchNs / Math.max(stats.p50, 1))),
            );
          continue;
        }
        row.samples.push(...stats.samples);
        row.rounds.push(stats.p50);
        if (stats.heap !== undefined && Number.isFinite(stats.heap.avg)) row.bytes.push(stats.heap.avg);
      }
    }
    for (const row of rows) {
      results.push({
        group: group.id,
        library: row.library,
        workload: workload.id,
        samples: row.samples,
        rounds: row.rounds,
        bytes: row.bytes.length > 0 ? median(row.bytes) : Number.NaN,
      });
    }
  }
  return results;
}

const [, , groupArg, ...flags] = process.argv;
if (groupArg !== undefined && process.argv[1]?.endsWith('run-group.js')) {
  const value = (flag: string): string | undefined => {
    const at = flags.indexOf(flag);
    return at === -1 ? undefined : flags[at + 1];
  };
  let settings = flags.includes('--quick') ? QUICK : FULL;
  const rounds = value('--rounds');
  if (rounds !== undefined) settings = { ...settings, rounds: Number(rounds) };
  const gcMode = value('--gc');
  if (gcMode === 'once' || gcMode === 'inner') settings = { ...settings, gc: gcMode };
  const results = await runGroup(groupArg, settings, { library: value('--library'), workload: value('--workload') });
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
