// Choosing which recorded run a page shows. A "run" is one harness invocation: several records
// (one per build) sharing a runId.
import type { RunRecord, ScenarioName, S3LeakRecord, SqlPoolRecord } from '../../repro/harness/record/schema.ts';

export type RecordOf<S extends ScenarioName> = S extends 's3-leak' ? S3LeakRecord : SqlPoolRecord;

/** Zig first, then Rust, then anything else: the order of the case (stable build, then the port). */
const lineRank = { zig: 0, rust: 1, unknown: 2 } as const;

export function byBuild<R extends RunRecord>(records: readonly R[]): R[] {
  return [...records].sort(
    (a, b) => lineRank[a.runtime.line] - lineRank[b.runtime.line] || a.runtime.label.localeCompare(b.runtime.label),
  );
}

/**
 * The records of the latest run of a scenario, one per build, Zig first. A complete run beats a
 * newer interrupted one, because an interrupted run's verdicts are partial; when every run was
 * interrupted, the newest is shown (and marked so by the caller). Empty when nothing was recorded.
 */
export function latestRun<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[] {
  const runs = runsOf(records, scenario).reverse();
  const complete = runs.find((run) => run.every((r) => !r.interrupted));
  return complete ?? runs[0] ?? [];
}

/** Every run of a scenario that was not interrupted, oldest first, each with its records Zig first. */
export function completeRuns<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[][] {
  return runsOf(records, scenario).filter((run) => run.every((r) => !r.interrupted));
}

/** The records of a scenario grouped by run, oldest first, each run's records Zig first. */
function runsOf<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[][] {
  const groups = new Map<string, RecordOf<S>[]>();
  for (const r of records) {
    if (r.scenario !== scenario) continue;
    const list = groups.get(r.runId) ?? [];
    list.push(r as RecordOf<S>);
    groups.set(r.runId, list);
  }
  return [...groups.values()]
    .sort((a, b) => startOf(a).localeCompare(startOf(b)) || a[0].runId.localeCompare(b[0].runId))
    .map(byBuild);
}

function startOf(run: readonly RunRecord[]): string {
  return run.map((r) => r.startedAt).sort()[0];
}

/** The build of a run with the given implementation line, or undefined. */
export function recordForLine<R extends RunRecord>(run: readonly R[], line: 'zig' | 'rust'): R | undefined {
  return run.find((r) => r.runtime.line === line);
}

/** The date the data was recorded: the end of the run's last record. */
export function dataDate(run: readonly RunRecord[]): string | undefined {
  return run.map((r) => r.endedAt).sort().at(-1);
}
