// Figure sql-verdicts: what the pool did after a resume, for every trial × build of the latest
// sql-pool run, as a distribution: each cell is a bar split by outcome over the repetitions that met
// their condition, one panel per fault (a variant such as the long pause gets its own) and ordering.
// Segments carry their counts, hangs are hatched dark red and marked ⚠ in the label, and the label
// right of each bar gives n and the attempts not counted, so colour is never the only cue.
import * as Plot from '@observablehq/plot';
import type { RunRecord, SqlOutcome, SqlPoolRecord, SqlTrial, SqlTrialVerdictKind } from '../../repro/harness/record/schema.ts';
import { countedOf, distributionText, OUTCOME_SEVERITY } from '../../repro/harness/record/sql-outcomes.ts';
import { formatInt } from '../lib/format.ts';
import { verdictColor, verdictTextColor } from './palette.ts';
import type { FigureModule } from './types.ts';

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
const SEGMENTS: readonly SqlOutcome[] = [...OUTCOME_SEVERITY].reverse();
const field = { recovers: 'recovers', 'fails-fast': 'failsFast', corrupted: 'corrupted', hangs: 'hangs' } as const;

/** "⚠ hangs 10/10 (72–100 %)": the distribution, a hang marked in text as well as colour. */
export function verdictLabel(r: Pick<SqlVerdictRow, 'verdict' | 'distribution'>): string {
  return `${r.verdict === 'hangs' ? '⚠ ' : ''}${r.distribution}`;
}

/** A trial id with more than fault/ordering is a variant of that fault (the long pause): its own row. */
export function matrixRow(t: Pick<SqlTrial, 'id' | 'fault' | 'pauseMs'>): string {
  return t.id.split('/').length > 2 ? `${t.fault}, ${formatInt(Math.round(t.pauseMs / 1000))} s pause` : t.fault;
}

interface Segment {
  row: string;
  ordering: string;
  build: string;
  outcome: SqlOutcome;
  count: number;
  x1: number;
  x2: number;
}

/** Each bar's segments as shares of the counted repetitions, laid end to end. */
function segmentsOf(rows: readonly SqlVerdictRow[]): Segment[] {
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

/** Right of the bar: how many counted, and how many attempts were not. */
const countLabel = (r: SqlVerdictRow) =>
  r.counted === 0 ? (r.verdict === 'skipped' ? 'skipped' : `none counted, ${r.notMet} not met`) : `n = ${r.counted}${r.notMet ? ` · ${r.notMet} not met` : ''}`;

export const sqlVerdicts: FigureModule<SqlVerdictRow> = {
  id: 'sql-verdicts',
  scenario: 'sql-pool',
  title: 'SQL pool behaviour after resume: outcomes by fault, ordering and Bun build',
  caption:
    'Each bar is one trial of one build: the process was paused with the pool connected, a fault was applied, and ' +
    'each repetition ended in one outcome, shown as its share of the repetitions that met their condition: every ' +
    'operation after resume succeeded (recovers), some failed without hanging and the pool healed (fails-fast), the ' +
    'final transaction still failed (corrupted), or an operation met its watchdog (hangs). The number in a segment ' +
    'is its count; right of the bar, n is the repetitions counted and "not met" the attempts whose condition did not ' +
    'hold. "after": the first query 1 s after SIGCONT; "timer": from a timer armed before the pause.',

  select(records: readonly RunRecord[]): SqlVerdictRow[] {
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
          distribution: t.verdict.kind === 'skipped' || t.verdict.kind === 'interrupted' ? t.verdict.kind : distributionText(t.verdict.counts, t.verdict.notMet),
        })),
      );
  },

  spec(rows) {
    const matrixRows = [...new Set(rows.map((r) => r.row))];
    const builds = [...new Set(rows.map((r) => r.build))];
    const segments = segmentsOf(rows);
    const orderings = [...new Set(rows.map((r) => r.ordering))];
    const facet = { fy: 'row', fx: 'ordering' } as const;
    // Each fault's name stands above its panel in the first column it has, clear of the build labels.
    const titles = matrixRows.map((row) => ({ row, ordering: orderings.find((o) => rows.some((r) => r.row === row && r.ordering === o))! }));
    return {
      width: 720,
      height: 74 + (builds.length * 24 + 34) * matrixRows.length,
      marginLeft: 100,
      marginRight: 10,
      marginTop: 64,
      x: { domain: [0, 1.5], axis: null },
      y: { label: null, domain: builds, tickSize: 0 },
      fy: { label: null, domain: matrixRows, axis: null, padding: 0.32 },
      fx: { label: null, axis: 'top', tickFormat: (o: string) => `first query: ${o}`, padding: 0.05 },
      color: { domain: SEGMENTS, range: SEGMENTS.map((k) => verdictColor[k]) },
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.barX(segments, { ...facet, x1: 'x1', x2: 'x2', y: 'build', fill: 'outcome', insetTop: 2, insetBottom: 2 }),
        // Hangs, the headline, also get an outline: the bar reads without colour.
        Plot.barX(segments.filter((s) => s.outcome === 'hangs'), { ...facet, x1: 'x1', x2: 'x2', y: 'build', fill: 'none', stroke: 'currentColor', strokeWidth: 2, insetTop: 3, insetBottom: 3 }),
        Plot.text(titles, { ...facet, text: 'row', frameAnchor: 'top-left', dy: -13, fontWeight: 600, fontSize: 11 }),
        Plot.text(segments.filter((s) => s.x2 - s.x1 >= 0.12), {
          ...facet,
          x: (s: Segment) => (s.x1 + s.x2) / 2,
          y: 'build',
          // Wide segments name their outcome, so the chart reads without a colour key.
          text: (s: Segment) => `${s.outcome === 'hangs' ? '⚠ ' : ''}${s.x2 - s.x1 >= 0.45 ? `${s.outcome} ` : ''}${s.count}`,
          fill: (s: Segment) => verdictTextColor[s.outcome],
          fontWeight: 600,
        }),
        Plot.text(rows, { ...facet, x: 1.02, y: 'build', text: countLabel, textAnchor: 'start' }),
      ],
    };
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const byBuild = new Map<string, SqlVerdictRow[]>();
    for (const r of rows) byBuild.set(r.build, [...(byBuild.get(r.build) ?? []), r]);
    const words: Record<SqlTrialVerdictKind, string> = {
      recovers: 'mostly recovered',
      'fails-fast': 'mostly failed fast',
      corrupted: 'were mostly corrupted',
      hangs: 'mostly hung',
      'condition-not-met': 'never met their condition',
      skipped: 'were skipped',
      interrupted: 'were interrupted',
    };
    const parts = [...byBuild].map(([build, own]) => {
      const kinds = [...new Set(own.map((r) => r.verdict))];
      const counts = kinds.filter((k) => k !== 'hangs').map((k) => `${own.filter((r) => r.verdict === k).length} ${words[k]}`);
      const hung = own.filter((r) => r.verdict === 'hangs').map((r) => r.trial);
      const notMet = own.reduce((n, r) => n + r.notMet, 0);
      return (
        `${build}, ${own.length} trials: ${counts.join(', ')}` +
        (hung.length > 0 ? `, and ${hung.length} mostly hung (${hung.join(', ')})` : ', and none mostly hung') +
        (notMet > 0 ? `; ${notMet} attempts did not meet their condition and are not counted` : '')
      );
    });
    return `${parts.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: ['Trial', 'Build', 'Outcomes (95 % interval of the most frequent)'].map((label) => ({ label, numeric: false })),
      rows: rows.map((r) => [r.trial, r.build, verdictLabel(r)]),
    };
  },
};
