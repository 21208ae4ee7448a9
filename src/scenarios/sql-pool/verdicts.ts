// The SQL pool's verdict views: the latest run per trial and build, every recorded run (some faults
// race, so a verdict that differs between runs is shown), and the at-a-glance summary.
import type { RunRecord, SqlTrial, SqlTrialVerdictKind } from '../../../repro/core/record/schema.ts';
import { completeRuns, latestRun, recordForLine } from '../../lib/runs.ts';
import { HANG_MARK, type OutcomeSummaryView, type VerdictView } from '../../lib/verdicts.ts';
import { differingTrials, sqlDifferenceText, sqlVerdictText } from './stats.ts';

export function sqlVerdictView(all: readonly RunRecord[]): VerdictView | undefined {
  const run = latestRun(all, 'sql-pool');
  if (run.length === 0) return undefined;
  const trialIds = [...new Set(run.flatMap((r) => r.trials.map((t) => t.id)))];
  const pair = recordForLine(run, 'zig') && recordForLine(run, 'rust');
  return {
    caption:
      `SQL pool after resume: outcomes per trial and build over the repetitions that met their condition, ` +
      `with a 95 % interval for the most frequent outcome and the attempts not counted (run ${run[0].runId})` +
      (pair
        ? ". The last column says whether the builds differ by Fisher's exact test at 5 %, with p Holm-adjusted over every trial of the run."
        : ''),
    header: ['Trial (fault/ordering)', ...run.map((r) => `${r.runtime.label}`), ...(pair ? ['Builds differ?'] : [])],
    rows: trialIds.map((id) => [
      id,
      ...run.map((r) => {
        const t = r.trials.find((x) => x.id === id);
        return t ? sqlCell(t) : 'not run';
      }),
      ...(pair ? [sqlDifferenceText(run, id) ?? '—'] : []),
    ]),
  };
}

/** A trial's cell: the distribution, marked ⚠ when hanging is its most frequent outcome. */
function sqlCell(t: SqlTrial): string {
  // A hang is marked in the text as well as by the cell's style, so colour is never the only cue.
  return `${t.verdict.kind === 'hangs' ? `${HANG_MARK} ` : ''}${sqlVerdictText(t)}`;
}

/** The verdict kinds in the order a reader ranks them: the good outcome first, the worst last. */
const VERDICT_RANK = {
  recovers: 0,
  'fails-fast': 1,
  corrupted: 2,
  hangs: 3,
  'condition-not-met': 4,
  skipped: 5,
  interrupted: 6,
} as const satisfies Record<SqlTrialVerdictKind, number>;
/** Every verdict kind, by rank: a new kind in the schema does not compile until it has a place here. */
const SQL_VERDICT_ORDER = (Object.keys(VERDICT_RANK) as SqlTrialVerdictKind[]).sort(
  (a, b) => VERDICT_RANK[a] - VERDICT_RANK[b],
);

interface SqlBuildSummary {
  build: string;
  revision: string;
  trials: number;
  /** Trial ids per verdict kind, in the record's trial order. */
  byKind: Record<SqlTrialVerdictKind, string[]>;
}

export interface SqlSummaryView {
  runId: string;
  interrupted: boolean;
  /** The verdict kinds that occur in at least one build, in SQL_VERDICT_ORDER. */
  kinds: SqlTrialVerdictKind[];
  builds: SqlBuildSummary[];
  /** Trials on which the Zig and Rust builds differ by Fisher's exact test at 5 %, Holm-adjusted over the run's trials. */
  differing: string[];
}

/** How many trials of each build ended in each verdict, and which hung: the at-a-glance SQL finding. */
export function sqlSummaryView(all: readonly RunRecord[]): SqlSummaryView | undefined {
  const run = latestRun(all, 'sql-pool');
  if (run.length === 0) return undefined;
  const builds = run.map((r) => {
    const byKind = Object.fromEntries(
      SQL_VERDICT_ORDER.map((k) => [k, r.trials.filter((t) => t.verdict.kind === k).map((t) => t.id)]),
    ) as Record<SqlTrialVerdictKind, string[]>;
    return { build: r.runtime.label, revision: r.runtime.revision, trials: r.trials.length, byKind };
  });
  return {
    runId: run[0].runId,
    interrupted: run.some((r) => r.status !== 'complete'),
    kinds: SQL_VERDICT_ORDER.filter((k) => builds.some((b) => b.byKind[k].length > 0)),
    builds,
    differing: differingTrials(run),
  };
}

// By each trial's most frequent outcome over the repetitions that met their condition.
const summaryWords: Record<SqlTrialVerdictKind, string> = {
  recovers: 'Mostly recovered',
  'fails-fast': 'Mostly failed fast',
  corrupted: 'Mostly corrupted',
  hangs: 'Mostly hung',
  'condition-not-met': 'Condition never met',
  skipped: 'Skipped',
  interrupted: 'Interrupted',
};

/** The summary as <OutcomeSummary> draws it: hung trials are the alarm, named in their cell. */
export function sqlOutcomeSummary(all: readonly RunRecord[]): OutcomeSummaryView | undefined {
  const view = sqlSummaryView(all);
  if (!view) return undefined;
  return {
    caption: `SQL pool after resume: trials per most frequent outcome and build (run ${view.runId}${view.interrupted ? ', incomplete' : ''})`,
    itemsLabel: 'Trials',
    columns: view.kinds.map((k) => ({ label: summaryWords[k], alarm: k === 'hangs' })),
    builds: view.builds.map((b) => ({ build: b.build, items: b.trials, cells: view.kinds.map((k) => b.byKind[k]) })),
    note: {
      before: "The builds differ, by Fisher's exact test at 5 % with p Holm-adjusted over every trial of the run, on ",
      items: view.differing,
      after: '; on every other trial the records do not show a difference once adjusted.',
      none: "On no trial do the records show a difference between the builds by Fisher's exact test at 5 %, Holm-adjusted over the run's trials.",
    },
  };
}

/**
 * Every complete recorded run of the SQL scenario, oldest first, one row per trial: some faults race
 * (which event the resumed process sees first), so a verdict that differs between runs is shown, not
 * hidden behind the latest run. Builds are matched by line (Zig, Rust) and named with their revision.
 */
export function sqlHistoryView(all: readonly RunRecord[]): VerdictView | undefined {
  const runs = completeRuns(all, 'sql-pool');
  if (runs.length < 2) return undefined;
  const lines = ['zig', 'rust'] as const;
  const trialIds = [...new Set(runs.flatMap((run) => run.flatMap((r) => r.trials.map((t) => t.id))))];
  const runNames = runs.map(
    (run) => `${run[0].runId}${run.some((r) => r.harness.dirty) ? ' (harness with uncommitted changes)' : ''}`,
  );
  const buildNames = lines.map((line) =>
    [...new Set(runs.flatMap((run) => run.filter((r) => r.runtime.line === line).map((r) => r.runtime.label)))].join(
      ', ',
    ),
  );
  return {
    caption: `SQL pool after resume: every recorded run, oldest first (${runNames.join('; ')})`,
    header: ['Trial (fault/ordering)', ...buildNames],
    rows: trialIds.map((id) => [
      id,
      ...lines.map((line) =>
        runs
          .map((run) => {
            const t = run.find((r) => r.runtime.line === line)?.trials.find((x) => x.id === id);
            return t ? sqlCell(t) : 'not run';
          })
          .join(' | '),
      ),
    ]),
  };
}
