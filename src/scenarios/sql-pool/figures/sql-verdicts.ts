// Figure sql-verdicts: what the pool did after a resume, for every trial × build of the latest
// sql-pool run, as a distribution: each cell is a bar split by outcome over the repetitions that met
// their condition, one panel per fault (a variant such as the long pause gets its own) and ordering.
// Segments carry their counts, hangs are hatched dark red and marked ⚠ in the label, and the label
// right of each bar gives n and the attempts not counted, so colour is never the only cue. The Plot
// spec, legend and text, over the rows sql-verdicts-rows.ts prepares.
import * as Plot from '@observablehq/plot';
import type { SqlTrialVerdictKind } from '../../../../repro/core/record/schema.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { verdictColor, verdictTextColor } from '../../../figures/palette.ts';
import type { FigureModule } from '../../../figures/types.ts';
import {
  barKeys,
  field,
  keyOf,
  notRunOf,
  SEGMENTS,
  segmentsOf,
  selectSqlVerdicts,
  sqlVerdictColumns,
  type Segment,
  type SqlVerdictRow,
} from './sql-verdicts-rows.ts';

/** "⚠ hangs 10/10 (72–100 %)": the distribution, a hang marked in text as well as colour. */
export function verdictLabel(r: Pick<SqlVerdictRow, 'verdict' | 'distribution'>): string {
  return `${r.verdict === 'hangs' ? '⚠ ' : ''}${r.distribution}`;
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

  select: selectSqlVerdicts,

  spec(rows, layout) {
    const matrixRows = [...new Set(rows.map((r) => r.row))];
    const name = buildNamer([...new Set(rows.map((r) => r.build))], layout.narrow);
    // One bar per ordering and build, each labelled with both, under its fault's title: every label
    // sits beside the bar it names, at any width.
    const keys = barKeys(rows);
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
    const notRun = notRunOf(rows);
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
