/** What an in-process run reports for one library on one workload. */
export interface InProcessResult {
  readonly group: string;
  readonly library: string;
  readonly workload: string;
  /** Median nanoseconds per request. */
  readonly ns: number;
  /** Median bytes allocated per request, or NaN when every sample saw a garbage collection. */
  readonly bytes: number;
  /** Samples in the median. */
  readonly samples: number;
  /** Nanoseconds per request of each round, in round order: rows of one group are sampled
   * back to back in every round, so ratios are taken round by round (paired), which cancels
   * the machine's drift between rounds. */
  readonly rounds: readonly number[];
  /** Requests per sample. */
  readonly poolSize: number;
}
