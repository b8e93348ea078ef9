import type { Workload } from '../workloads.js';

/** One library (or the floor) on one workload. */
export interface Case<Context> {
  /** Builds the request context of one request: what the framework would hand the middleware. */
  make(): Context;
  /** The measured call, exactly as the framework makes it. */
  run(context: Context): void | Promise<void>;
  /**
   * Describes what a call did (status and CORS headers), checked before timing against what
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

/** A CORS layer (or the hand-written floor) as one framework runs it. */
export interface Library {
  /** Stable identifier (`corsguard`, `cors`, `floor`, ...): what bench/targets.json names. */
  readonly id: string;
  /**
   * `baseline`: what corsguard is compared with from below (the hand-written floor, or the
   * framework with no CORS at all); `corsguard`; `other`: a library compared with corsguard;
   * `scale`: corsguard configured with the `1 origin` list answering the `1,000 origins`
   * request (the same origin), so that "1,000 origins cost what 1 costs" is a ratio within
   * one round. Not printed in the tables.
   */
  readonly role: 'baseline' | 'corsguard' | 'other' | 'scale';
  /** Printed name, with the entry point measured. */
  readonly label: string;
  /** The case for a workload, or undefined when the library has no row for it. */
  cases(workload: Workload): Case<unknown> | undefined;
}

/** The libraries measured on one framework's objects, compared with each other. */
export interface Group {
  readonly id: string;
  /** Printed heading: the framework and the objects the calls receive. */
  readonly title: string;
  /** What exactly a row of this group measures (printed under the table). */
  readonly measures: string;
  readonly libraries: readonly Library[];
}
