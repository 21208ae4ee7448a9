// The sql-verdicts figure's rows (drawn by sql-verdicts.ts): pure transforms from records to rows, one
// per trial and build with its counts by outcome, and from rows to what the chart lays out: each bar's
// segments as shares of its counted repetitions, the bars of a panel, the ones no trial fills; tested
// without drawing.
import type {
  RunRecord,
  SqlOutcome,
  SqlPoolRecord,
  SqlTrial,
  SqlTrialVerdictKind,
} from '../../../../repro/core/record/schema.ts';
import { countedOf, distributionText, OUTCOME_SEVERITY } from '../../../../repro/scenarios/sql-pool/outcomes.ts';
import { buildColumns, count, type CsvColumn } from '../../../figures/csv-columns.ts';
import { formatInt } from '../../../lib/format.ts';

export interface SqlVerdictRow {
  [key: string]: string | number;
  /** The trial id, e.g. "blackhole/after" or "kernel-blackhole/after/long". */
  trial: string;
  /** The matrix row: the fault, plus the pause for a variant trial ("kernel-blackhole, 90 s pause"). */
  row: string;
  fault: string;
  ordering: string;
  pauseMs: number;
  build: string;
  revision: string;
  /** The most frequent outcome, or why there is none (condition-not-met, skipped, interrupted). */
  verdict: SqlTrialVerdictKind;
  recovers: number;
  failsFast: number;
  corrupted: number;
  hangs: number;
  /** Repetitions counted (condition met). */
  counted: number;
  /** Attempts whose condition did not hold: not counted. */
  notMet: number;
  /** "corrupted 9/10 (60–98 %), recovers 1 · 2 not met". */
  distribution: string;
}

/** Outcomes from the good one to the worst, the order of each bar's segments. */
export const SEGMENTS: readonly SqlOutcome[] = [...OUTCOME_SEVERITY].reverse();
/** Each outcome's count field in a row. */
export const field = {
  recovers: 'recovers',
  'fails-fast': 'failsFast',
  corrupted: 'corrupted',
  hangs: 'hangs',
} as const;

/** A trial id with more than fault/ordering is a variant of that fault (the long pause): its own row. */
function matrixRow(t: Pick<SqlTrial, 'id' | 'fault' | 'pauseMs'>): string {
  return t.id.split('/').length > 2 ? `${t.fault}, ${formatInt(Math.round(t.pauseMs / 1000))} s pause` : t.fault;
}

/** The records → the rows: one per trial and build. */
export function selectSqlVerdicts(records: readonly RunRecord[]): SqlVerdictRow[] {
  return records
    .filter((r): r is SqlPoolRecord => r.scenario === 'sql-pool')
    .flatMap((r) =>
      r.trials.map((t) => ({
        trial: t.id,
        row: matrixRow(t),
        fault: t.fault,
        ordering: t.ordering,
        pauseMs: t.pauseMs,
        build: r.runtime.label,
        revision: r.runtime.revision,
        verdict: t.verdict.kind,
        recovers: t.verdict.counts.recovers ?? 0,
        failsFast: t.verdict.counts['fails-fast'] ?? 0,
        corrupted: t.verdict.counts.corrupted ?? 0,
        hangs: t.verdict.counts.hangs ?? 0,
        counted: countedOf(t.verdict.counts),
        notMet: t.verdict.notMet,
        distribution:
          t.verdict.kind === 'skipped' || t.verdict.kind === 'interrupted'
            ? t.verdict.kind
            : distributionText(t.verdict.counts, t.verdict.notMet),
      })),
    );
}

export interface Segment {
  row: string;
  ordering: string;
  build: string;
  outcome: SqlOutcome;
  count: number;
  x1: number;
  x2: number;
}

/** Each bar's segments as shares of the counted repetitions, laid end to end. */
export function segmentsOf(rows: readonly SqlVerdictRow[]): Segment[] {
  return rows.flatMap((r) => {
    let x = 0;
    return SEGMENTS.filter((o) => r[field[o]] > 0).map((outcome) => {
      const count = r[field[outcome]] as number;
      const x1 = x;
      x += count / r.counted;
      return { row: r.row, ordering: r.ordering, build: r.build, outcome, count, x1, x2: x };
    });
  });
}

/** A bar's key, one per ordering and build: "after|1.3.14 (Zig)". */
export const keyOf = (r: { ordering: string; build: string }) => `${r.ordering}|${r.build}`;

/** Every bar a panel has room for, in order: each ordering, each build within it. */
export function barKeys(rows: readonly SqlVerdictRow[]): string[] {
  const builds = [...new Set(rows.map((r) => r.build))];
  const orderings = [...new Set(rows.map((r) => r.ordering))];
  return orderings.flatMap((o) => builds.map((b) => `${o}|${b}`));
}

/** The bars of each panel that no trial fills: a fault run in one ordering only (the long pause) leaves the other's empty. */
export function notRunOf(rows: readonly SqlVerdictRow[]): { row: string; key: string }[] {
  const keys = barKeys(rows);
  return [...new Set(rows.map((r) => r.row))].flatMap((row) =>
    keys.filter((key) => !rows.some((r) => r.row === row && keyOf(r) === key)).map((key) => ({ row, key })),
  );
}

// The CSV download's columns (csv-columns.ts): one per row field, each with its unit.
export const sqlVerdictColumns: CsvColumn[] = [
  {
    field: 'trial',
    name: 'trial',
    datatype: 'string',
    description: 'The trial id: fault/ordering, plus a variant such as /long (the long pause).',
  },
  {
    field: 'row',
    name: 'matrix_row',
    datatype: 'string',
    description: "The figure's row: the fault, plus the pause for a variant trial.",
  },
  {
    field: 'fault',
    name: 'fault',
    datatype: 'string',
    description: 'The network fault applied while the process was paused (SIGSTOP).',
  },
  {
    field: 'ordering',
    name: 'ordering',
    datatype: 'string',
    description:
      'When the first query ran. after: 1 s after the resume (SIGCONT); timer: from a timer armed before the pause.',
  },
  {
    field: 'pauseMs',
    name: 'pause_ms',
    datatype: 'integer',
    unit: 'ms',
    description: 'How long the process was paused.',
  },
  ...buildColumns,
  {
    field: 'verdict',
    name: 'verdict',
    datatype: 'string',
    description:
      'The most frequent outcome over the counted repetitions (recovers, fails-fast, corrupted, hangs), or why there is none.',
  },
  count('recovers', 'recovers_count', 'Repetitions in which every operation after the resume succeeded.'),
  count(
    'failsFast',
    'fails_fast_count',
    'Repetitions in which some operations failed without hanging and the pool healed.',
  ),
  count('corrupted', 'corrupted_count', 'Repetitions in which the final transaction still failed.'),
  count('hangs', 'hangs_count', 'Repetitions in which an operation met its watchdog.'),
  count(
    'counted',
    'total_count',
    'Repetitions counted, the sum of the four counts before: those whose condition held (the fault took effect).',
  ),
  count('notMet', 'not_met_count', 'Attempts whose condition did not hold: not counted.'),
  {
    field: 'distribution',
    name: 'distribution',
    datatype: 'string',
    description: 'The counts as text, with Wilson 95 % intervals for the main outcome.',
  },
];
