import type { Workload } from '../workloads.js';
import type { Case } from './harness.js';

/** A CORS layer (or the hand-written floor) as one framework runs it. */
export interface Library {
  /** Stable identifier (`corsguard`, `cors`, `floor`, ...). */
  readonly id: string;
  /**
   * `baseline`: what corsguard is compared with from below (the hand-written floor, or the
   * framework with no CORS at all); `corsguard`; `other`: a library compared with corsguard;
   * `scale`: corsguard configured with the `1 origin` list answering the `1,000 origins`
   * request (the same origin), so that "1,000 origins cost what 1 costs" is a paired ratio of
   * one round, not two rows measured at different moments. Not printed in the tables.
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
