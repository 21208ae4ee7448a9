// Which trials a run makes: every chosen fault × ordering, then the long-pause trial if asked for.
// The record keeps the plan (parameters.plan), so the live page knows the run's total.
import type { SqlPlannedTrial, SqlPoolRecord } from '../../core/record/schema.ts';
import { faults } from './faults.ts';
import type { SqlPoolOptions } from './parameters.ts';

export function planTrials(options: SqlPoolOptions): SqlPlannedTrial[] {
  const trials: SqlPlannedTrial[] = options.faults.flatMap((fault) =>
    options.orderings.map((ordering) => ({
      id: `${fault}/${ordering}`,
      fault,
      ordering,
      pauseMs: faults[fault].pauseMs(options.pauseMs, options.idleSessionTimeoutMs),
      wanted: options.repetitions,
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
      wanted: options.longPauseRepetitions,
    });
  }
  return trials;
}

/**
 * The plan where an older record does not say it but shows it: a complete run made every trial it
 * planned, so its own trials are the plan. Otherwise the parameters as they are.
 */
export function withPlan(record: SqlPoolRecord): SqlPoolRecord['parameters'] {
  if (record.parameters.plan !== undefined || record.status !== 'complete') return record.parameters;
  return {
    ...record.parameters,
    plan: record.trials.map(({ id, fault, ordering, pauseMs, wanted }) => ({ id, fault, ordering, pauseMs, wanted })),
  };
}
