/**
 * Measures one CORS call per request on fresh framework objects.
 *
 * Each sample builds a pool of fresh request contexts first (untimed: a real server builds
 * them anyway, whichever CORS layer runs), collects garbage, then times one
 * pass of the CORS call over the pool and reads how much the heap grew. Contexts are never
 * reused, so no row pays for resetting a response and none benefits from a warm one.
 *
 * Allocation is the growth of V8's used heap across the timed pass, divided by the pool
 * size, minus what the measurement itself allocates. It is exact only when no garbage
 * collection runs inside the pass; samples during which one ran are discarded (a `gc`
 * PerformanceObserver tells), and the pool is sized so that this is rare.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** One library (or the floor) on one workload. */
export interface Case<Context> {
  /** Builds the request context of one request: what the framework would hand the middleware. */
  make(): Context;
  /** The measured call, exactly as the framework makes it. */
  run(context: Context): void | Promise<void>;
  /**
   * Describes what a call did (status and CORS headers), checked after warm-up against what
   * the workload expects, so that a misconfigured row fails instead of measuring nothing.
   */
  observe(context: Context): Observed | Promise<Observed>;
  /** Whether run returns a promise (the framework awaits the middleware). */
  readonly async: boolean;
}

export interface Observed {
  /** Access-Control-Allow-Origin, or undefined when absent. */
  readonly allowOrigin: string | undefined;
  /** The response status when the CORS layer answered (preflights), or undefined. */
  readonly status: number | undefined;
}

export interface Measurement {
  /** Median nanoseconds per request. */
  readonly ns: number;
  /** Median heap bytes allocated per request by the CORS call. */
  readonly bytes: number;
  /** Samples kept (those without a garbage collection inside). */
  readonly samples: number;
}

declare const gc: ((options?: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void) | undefined;

/**
 * A full collection before each timed pass: it empties the young generation (so the pass
 * allocates into a clean one and the heap delta is exact) and finishes any incremental
 * marking that building the pool started, which would otherwise run inside the pass.
 */
function collectGarbage(): void {
  if (typeof gc !== 'function') throw new Error('run the in-process benchmark with node --expose-gc');
  gc({ type: 'major', execution: 'sync' });
}

/** Start times (performance.now()) of garbage collections, as the observer reports them. */
const collections: number[] = [];
let observer: PerformanceObserver | undefined;

export function startGcObserver(): void {
  if (observer !== undefined) return;
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push(entry.startTime, entry.startTime + entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
}

export function stopGcObserver(): void {
  observer?.disconnect();
  observer = undefined;
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** What reading the heap twice costs, subtracted from every sample. */
let probeBytes = -1;

function calibrateProbe(): void {
  const deltas: number[] = [];
  for (let i = 0; i < 21; i++) {
    collectGarbage();
    const before = heapUsed();
    const after = heapUsed();
    deltas.push(after - before);
  }
  probeBytes = median(deltas);
}

export interface RawSample {
  readonly ns: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
}

/** One timed pass over `size` fresh contexts. */
export async function sample<C>(c: Case<C>, size: number): Promise<RawSample> {
  if (probeBytes < 0) calibrateProbe();
  const pool: C[] = new Array(size);
  for (let i = 0; i < size; i++) pool[i] = c.make();
  collectGarbage();
  const start = performance.now();
  const before = heapUsed();
  const t0 = process.hrtime.bigint();
  if (c.async) {
    for (let i = 0; i < size; i++) await c.run(pool[i]!);
  } else {
    for (let i = 0; i < size; i++) c.run(pool[i]!);
  }
  const t1 = process.hrtime.bigint();
  const after = heapUsed();
  const end = performance.now();
  return { ns: Number(t1 - t0) / size, bytes: (after - before - probeBytes) / size, start, end };
}

/** Whether a garbage collection overlapped [start, end]. Call after the observer had a chance to run. */
export function collectedDuring(s: RawSample): boolean {
  for (let i = 0; i < collections.length; i += 2) {
    if (collections[i]! <= s.end && collections[i + 1]! >= s.start) return true;
  }
  return false;
}

export function clearCollections(): void {
  collections.length = 0;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Lets the gc observer deliver its entries (they arrive on a later turn of the event loop). */
export function flushObserver(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
