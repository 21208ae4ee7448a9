// "Is my Bun affected?": the matrix records (content/matrix, one run per build and scenario, from
// `npm run matrix`) as one row per published build and one column per failure, with the first bad
// and first fixed build of each failure. Pure functions of the records; the page, its downloads and
// the tests share them.
import type { BunLine, RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import { compareBuilds } from '../../repro/core/builds-index.ts';
import { scenarios } from '../scenarios/registry.ts';
import type { Cell, CellStatus, Failure } from './failure.ts';

export type { CellStatus, Failure } from './failure.ts';

/** A failure with the scenario whose records decide it. */
export type ScenarioFailure = Failure & { scenario: ScenarioName };

export interface BuildRow {
  /** The npm label the build was fetched by, e.g. 1.3.14-canary.20260519.1. */
  npmVersion: string;
  /** What the binary says of itself: `bun --revision`. */
  revision: string;
  line: BunLine;
  cells: Record<string, Cell>;
}

/** Every scenario's failures, in the registry's order: the columns of /affected/. */
export const FAILURES: readonly ScenarioFailure[] = scenarios.flatMap((s) =>
  s.failures.map((f) => ({ ...f, scenario: s.name })),
);

/** The npm label a record's build was fetched by: the part after the last @ of its source. */
export function npmVersionOf(record: RunRecord): string {
  const at = record.runtime.source.lastIndexOf('@');
  return at >= 0 ? record.runtime.source.slice(at + 1) : record.runtime.version;
}

export { compareBuilds };

/** One row per build, oldest first (compareBuilds); each cell from the newest complete record of that build. */
export function versionMatrix(records: readonly RunRecord[], failures: readonly Failure[] = FAILURES): BuildRow[] {
  const byVersion = new Map<string, RunRecord[]>();
  for (const r of records) byVersion.set(npmVersionOf(r), [...(byVersion.get(npmVersionOf(r)) ?? []), r]);
  return [...byVersion.entries()]
    .map(([npmVersion, mine]) => {
      const newestFirst = [...mine].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      return {
        npmVersion,
        revision: newestFirst[0]!.runtime.revision,
        line: newestFirst[0]!.runtime.line,
        cells: Object.fromEntries(failures.map((f) => [f.id, f.cell(newestFirst)])),
      };
    })
    .sort(compareBuilds);
}

/**
 * The records the matrix is drawn from: those its cells read (each build's newest complete record
 * per scenario), in row order. Older, interrupted and superseded records are left out, so a
 * download of them holds exactly the evidence shown, and versionMatrix gives the same rows from them.
 */
export function drawnRecords(records: readonly RunRecord[], failures: readonly Failure[] = FAILURES): RunRecord[] {
  const key = (runId: string | null, npmVersion: string) => `${runId}|${npmVersion}`;
  const order = versionMatrix(records, failures).flatMap((row) =>
    failures.map((f) => key(row.cells[f.id]!.runId, row.npmVersion)),
  );
  const at = (r: RunRecord) => order.indexOf(key(r.runId, npmVersionOf(r)));
  return records.filter((r) => at(r) >= 0).sort((a, b) => at(a) - at(b));
}

/** How many builds a failure's cells put in each status. */
export function statusCounts(rows: readonly BuildRow[], failureId: string): Record<CellStatus, number> {
  const counts: Record<CellStatus, number> = { affected: 0, 'not-affected': 0, inconclusive: 0, 'not-run': 0 };
  for (const r of rows) counts[r.cells[failureId]!.status]++;
  return counts;
}

export interface Bracket {
  /** The oldest build recorded as affected. */
  firstBad: string | null;
  /** The first build of the final run of unaffected builds, when the newest build is unaffected and an older one was affected. */
  firstFixed: string | null;
  /** Builds after firstBad that were unaffected and then affected again: the failure came back. */
  regressions: string[];
}

/** Where a failure entered and left, over the rows in version order; cells not run or inconclusive are skipped. */
export function bracket(rows: readonly BuildRow[], failureId: string): Bracket {
  const decided = rows.filter(
    (r) => r.cells[failureId]?.status === 'affected' || r.cells[failureId]?.status === 'not-affected',
  );
  const bad = (r: BuildRow) => r.cells[failureId]!.status === 'affected';
  const firstBadIndex = decided.findIndex(bad);
  if (firstBadIndex < 0) return { firstBad: null, firstFixed: null, regressions: [] };
  let lastBadIndex = -1;
  decided.forEach((r, i) => {
    if (bad(r)) lastBadIndex = i;
  });
  const regressions = decided
    .filter((r, i) => i > firstBadIndex && bad(r) && !bad(decided[i - 1]!))
    .map((r) => r.npmVersion);
  const fixed = decided[lastBadIndex + 1];
  return { firstBad: decided[firstBadIndex]!.npmVersion, firstFixed: fixed?.npmVersion ?? null, regressions };
}
