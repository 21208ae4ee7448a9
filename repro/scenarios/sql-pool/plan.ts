// Which trials a run makes: every chosen fault × ordering, then the long-pause trial if asked for.
import type { SqlFault, SqlOrdering } from '../../core/record/schema.ts';
import { faults } from './faults.ts';
import type { SqlPoolOptions } from './parameters.ts';

export interface PlannedTrial {
  /** "fault/ordering", or "fault/ordering/long" for the long-pause trial. */
  id: string;
  fault: SqlFault;
  ordering: SqlOrdering;
  pauseMs: number;
  repetitions: number;
}

export function planTrials(options: SqlPoolOptions): PlannedTrial[] {
  const trials: PlannedTrial[] = options.faults.flatMap((fault) =>
    options.orderings.map((ordering) => ({
      id: `${fault}/${ordering}`,
      fault,
      ordering,
      pauseMs: faults[fault].pauseMs(options.pauseMs, options.idleSessionTimeoutMs),
      repetitions: options.repetitions,
    })),
  );
  // Only a real (kernel) blackhole lets keepalive act during a long pause: the user-space proxy's
  // kernel would answer the probes. The first query 1 s after resume, as in the experiments.
  if (options.longPauseMs !== null) {
    trials.push({
      id: 'kernel-blackhole/after/long',
      fault: 'kernel-blackhole',
      ordering: 'after',
      pauseMs: options.longPauseMs,
      repetitions: options.longPauseRepetitions,
    });
  }
  return trials;
}
