// Records grouped into runs (one harness invocation, one record per build), and the run `compare`
// and the site take as the reference. Pure, apart from read.ts's file access, so the browser's
// "Compare with your run" (src/client/overlay.ts) runs the same grouping as the CLI.
import type { RunRecord, ScenarioName } from './schema.ts';

/** Zig first, then Rust, then anything else: the order of the case (stable build, then the port). */
const lineRank = { zig: 0, rust: 1, unknown: 2 } as const;

function byBuild<R extends RunRecord>(records: readonly R[]): R[] {
  return [...records].sort(
    (a, b) => lineRank[a.runtime.line] - lineRank[b.runtime.line] || a.runtime.label.localeCompare(b.runtime.label),
  );
}

export type RecordOf<S extends ScenarioName> = Extract<RunRecord, { scenario: S }>;

/** The records of a scenario grouped by run, oldest first, each run's records Zig first. */
export function runsOf<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[][] {
  const groups = new Map<string, RecordOf<S>[]>();
  for (const r of records) {
    if (r.scenario !== scenario) continue;
    const list = groups.get(r.runId) ?? [];
    list.push(r as RecordOf<S>);
    groups.set(r.runId, list);
  }
  const startOf = (run: readonly RunRecord[]) => run.map((r) => r.startedAt).sort()[0]!;
  return [...groups.values()]
    .sort((a, b) => startOf(a).localeCompare(startOf(b)) || a[0]!.runId.localeCompare(b[0]!.runId))
    .map(byBuild);
}

/** The newest run whose records are all complete: what the site publishes and `compare` takes as reference. */
export function latestCompleteRun<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[] {
  return (
    runsOf(records, scenario)
      .reverse()
      .find((run) => run.every((r) => r.status === 'complete')) ?? []
  );
}
