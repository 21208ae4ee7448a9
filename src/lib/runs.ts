// Choosing which recorded run a page shows. A "run" is one harness invocation: several records
// (one per build) sharing a runId. Grouping and ordering are the harness's own (record/runs.ts),
// so the site publishes the run that `compare` takes as the reference.
import { latestCompleteRun, runsOf, type RecordOf } from '../../repro/core/record/runs.ts';
import type { BunLine, RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';

export type { RecordOf } from '../../repro/core/record/runs.ts';

/**
 * The records of the run a page shows, one per build, Zig first: the newest complete run, because
 * an interrupted or partial run's verdicts are incomplete; when there is none, the newest run (the
 * caller marks it). Empty when nothing was recorded.
 */
export function latestRun<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[] {
  const complete = latestCompleteRun(records, scenario);
  return complete.length > 0 ? complete : (runsOf(records, scenario).at(-1) ?? []);
}

/** Every complete run of a scenario, oldest first, each with its records Zig first. */
export function completeRuns<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[][] {
  return runsOf(records, scenario).filter((run) => run.every((r) => r.status === 'complete'));
}

/** A line a build is known to belong to (a record may say `unknown`). */
export type BuildLine = Exclude<BunLine, 'unknown'>;

/** The build of a run with the given implementation line, or undefined. */
export function recordForLine<R extends RunRecord>(run: readonly R[], line: BuildLine): R | undefined {
  return run.find((r) => r.runtime.line === line);
}

/** The date the data was recorded: the end of the run's last record. */
export function dataDate(run: readonly RunRecord[]): string | undefined {
  return run
    .map((r) => r.endedAt)
    .sort()
    .at(-1);
}
