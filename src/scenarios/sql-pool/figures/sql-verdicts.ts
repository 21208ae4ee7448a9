// Figure sql-verdicts: what the pool did after a resume, for every trial × build of the latest
// sql-pool run, as a distribution: each cell is a bar split by outcome over the repetitions that met
// their condition, one panel per fault (a variant such as the long pause gets its own) and ordering.
// Segments carry their counts, hangs are hatched dark red and marked ⚠ in the label, and the label
// right of each bar gives n and the attempts not counted, so colour is never the only cue.
import * as Plot from '@observablehq/plot';
import type {
  RunRecord,
  SqlOutcome,
  SqlPoolRecord,
  SqlTrial,
  SqlTrialVerdictKind,
} from '../../../../repro/core/record/schema.ts';
import { countedOf, distributionText, OUTCOME_SEVERITY } from '../../../../repro/scenarios/sql-pool/outcomes.ts';
import { formatInt } from '../../../lib/format.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { verdictColor, verdictTextColor } from '../../../figures/palette.ts';
import type { FigureModule } from '../../../figures/types.ts';
import { buildColumns, count, type CsvColumn } from '../../../figures/csv-columns.ts';

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
function matrixRow(t: Pick<SqlTrial, 'id' | 'fault' | 'pauseMs'>): string {
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

/** Right of the bar: how many counted, and how many attempts were not ("(+3)" where narrow; the notes say so). */
function countLabel(r: SqlVerdictRow, narrow: boolean): string {
  if (r.counted === 0)
    return r.verdict === 'skipped' ? 'skipped' : narrow ? `none (+${r.notMet})` : `none counted, ${r.notMet} not met`;
  if (narrow) return `n ${r.counted}${r.notMet ? ` (+${r.notMet})` : ''}`;
  return `n = ${r.counted}${r.notMet ? ` · ${r.notMet} not met` : ''}`;
}

/** A segment's label as wide as it allows: outcome and count, the count alone, or nothing (the legend and table have it). */
function segmentLabel(s: Segment, barWidth: number, fontSize: number): string {
  const room = (s.x2 - s.x1) * barWidth - 8;
  const mark = s.outcome === 'hangs' ? '⚠ ' : '';
  for (const text of [`${mark}${s.outcome} ${s.count}`, `${mark}${s.count}`, `${s.count}`])
    if (textWidth(text, fontSize) <= room) return text;
  return '';
}

/** Builds by name; where narrow, by the part in brackets ("Zig" of "1.3.14 (Zig)") when that still tells them apart. */
function buildNamer(builds: readonly string[], narrow: boolean): (build: string) => string {
  const short = (b: string) => /\(([^)]+)\)$/.exec(b)?.[1] ?? b;
  const unique = new Set(builds.map(short)).size === builds.length;
  return (b) => (narrow && unique ? short(b) : b);
}

const tickLabel = (key: string, name: (build: string) => string) => {
  const [ordering, build] = key.split('|');
  return `${ordering} · ${name(build)}`;
};

// The CSV download's columns (csv-columns.ts): one per row field, each with its unit.
const sqlVerdictColumns: CsvColumn[] = [
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

export const sqlVerdicts: FigureModule<SqlVerdictRow> = {
  id: 'sql-verdicts',
  exportSubtitle: 'How each repetition ended after a paused SQL pool resumed, by fault and ordering',
  csvColumns: sqlVerdictColumns,
  scenario: 'sql-pool',
  title: 'SQL pool behaviour after resume: outcomes by fault, ordering and Bun build',
  caption: 'One bar per trial and build: its repetitions, split by outcome.',
  notes:
    'Each trial paused the process with the pool connected and applied a fault. A repetition recovers when every operation after resume succeeded; fails fast when some failed without hanging ' +
    'and the pool healed; is corrupted when the final transaction still failed; hangs when an operation met its ' +
    'watchdog. The number in a segment is its count; right of the bar, n is the repetitions counted, and "not met" (or ' +
    '"+" on a phone) the attempts whose condition did not hold, which are not counted. "after": the first query 1 s ' +
    'after SIGCONT; "timer": from a timer armed before the pause.',

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
          distribution:
            t.verdict.kind === 'skipped' || t.verdict.kind === 'interrupted'
              ? t.verdict.kind
              : distributionText(t.verdict.counts, t.verdict.notMet),
        })),
      );
  },

  spec(rows, layout) {
    const matrixRows = [...new Set(rows.map((r) => r.row))];
    const builds = [...new Set(rows.map((r) => r.build))];
    const orderings = [...new Set(rows.map((r) => r.ordering))];
    const name = buildNamer(builds, layout.narrow);
    // One bar per ordering and build, each labelled with both, under its fault's title: every label
    // sits beside the bar it names, at any width.
    const keys = orderings.flatMap((o) => builds.map((b) => `${o}|${b}`));
    const keyOf = (r: { ordering: string; build: string }) => `${r.ordering}|${r.build}`;
    const marginLeft = Math.ceil(Math.max(...keys.map((k) => textWidth(tickLabel(k, name), layout.fontSize)))) + 10;
    const marginRight = 8;
    const count = (r: SqlVerdictRow) => countLabel(r, layout.narrow);
    const countWidth = Math.max(...rows.map((r) => textWidth(count(r), layout.fontSize))) + 8;
    const plotWidth = layout.width - marginLeft - marginRight;
    const barWidth = plotWidth - countWidth;
    const rowHeight = Math.round(layout.fontSize * 1.9);
    const title = Math.round(layout.fontSize * 2.2);
    const band = keys.length * rowHeight + title;
    const segments = segmentsOf(rows).map((s) => ({
      ...s,
      key: keyOf(s),
      label: segmentLabel(s, barWidth, layout.fontSize),
    }));
    const facet = { fy: 'row' } as const;
    const firstOf = matrixRows.map((row) => rows.find((r) => r.row === row)!);
    // A fault run in one ordering only (the long pause) leaves the other's bars empty: say so.
    const notRun = matrixRows.flatMap((row) =>
      keys.filter((key) => !rows.some((r) => r.row === row && keyOf(r) === key)).map((key) => ({ row, key })),
    );
    return {
      width: layout.width,
      height: title + matrixRows.length * band,
      marginLeft,
      marginRight,
      marginTop: title,
      marginBottom: 0,
      x: { domain: [0, plotWidth / barWidth], axis: null },
      y: { label: null, domain: keys, tickSize: 0, tickFormat: (k: string) => tickLabel(k, name) },
      fy: { label: null, domain: matrixRows, axis: null, paddingInner: title / band, paddingOuter: 0 },
      color: { domain: SEGMENTS, range: SEGMENTS.map((k) => verdictColor[k]) },
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.barX(segments, { ...facet, x1: 'x1', x2: 'x2', y: 'key', fill: 'outcome', insetTop: 2, insetBottom: 2 }),
        // Hangs, the headline, also get an outline: the bar reads without colour.
        Plot.barX(
          segments.filter((s) => s.outcome === 'hangs'),
          {
            ...facet,
            x1: 'x1',
            x2: 'x2',
            y: 'key',
            fill: 'none',
            stroke: 'currentColor',
            strokeWidth: 2,
            insetTop: 3,
            insetBottom: 3,
          },
        ),
        // Each fault's name above its panel, from the chart's left edge.
        Plot.text(firstOf, {
          ...facet,
          text: 'row',
          frameAnchor: 'top-left',
          textAnchor: 'start',
          lineAnchor: 'bottom',
          dx: -marginLeft,
          dy: -6,
          fontWeight: 600,
        }),
        Plot.text(
          segments.filter((s) => s.label !== ''),
          {
            ...facet,
            x: (s: Segment) => (s.x1 + s.x2) / 2,
            y: 'key',
            text: 'label',
            fill: (s: Segment) => verdictTextColor[s.outcome],
            fontWeight: 600,
          },
        ),
        Plot.text(rows, { ...facet, x: 1, y: keyOf, text: count, textAnchor: 'start', dx: 6 }),
        Plot.text(notRun, {
          ...facet,
          x: 0,
          y: 'key',
          text: () => 'not run',
          textAnchor: 'start',
          dx: 4,
          fontStyle: 'italic',
        }),
      ],
    };
  },

  legend: (rows) =>
    SEGMENTS.filter((o) => rows.some((r) => r[field[o]] > 0)).map((o) => ({
      label: o === 'hangs' ? '⚠ hangs' : o,
      swatch: o === 'hangs' ? 'hatch' : 'rect',
      color: verdictColor[o],
    })),

  headline(rows) {
    const builds = [...new Set(rows.map((r) => r.build))];
    const parts = builds.map((build) => {
      const own = rows.filter((r) => r.build === build);
      const count = (kind: SqlTrialVerdictKind) => own.filter((r) => r.verdict === kind).length;
      const bad = [
        count('hangs') ? `mostly hung in ${count('hangs')}` : '',
        count('corrupted') ? `was mostly corrupted in ${count('corrupted')}` : '',
      ].filter(Boolean);
      return `${build} ${bad.length ? bad.join(' and ') : 'neither hung nor was corrupted in any'} of its ${own.length} trials`;
    });
    return `After a pause, ${parts.join('; ')}.`;
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
      const counts = kinds
        .filter((k) => k !== 'hangs')
        .map((k) => `${own.filter((r) => r.verdict === k).length} ${words[k]}`);
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
      columns: ['Trial', 'Build', 'Outcomes (95 % interval of the most frequent)'].map((label) => ({
        label,
        numeric: false,
      })),
      rows: rows.map((r) => [r.trial, r.build, verdictLabel(r)]),
    };
  },
};
