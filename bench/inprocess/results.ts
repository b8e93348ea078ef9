/** What an in-process run reports for one library on one workload. */
export interface InProcessResult {
  readonly group: string;
  readonly library: string;
  readonly workload: string;
  /**
   * mitata's samples from every round, each the mean nanoseconds per request of one batch of
   * calls (mitata drops the two fastest and two slowest of each round): what `compare` tests.
   */
  readonly samples: readonly number[];
  /**
   * The median of each round, in round order. The libraries of one workload are measured one
   * after the other in every round (in rotating order), so a ratio between two of them is
   * taken round by round, which cancels the machine's drift between rounds.
   */
  readonly rounds: readonly number[];
  /** Heap bytes allocated per request (mitata's mean over batches whose heap did not shrink), median over rounds. */
  readonly bytes: number;
}
