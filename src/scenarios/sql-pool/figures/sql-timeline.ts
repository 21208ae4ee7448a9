// Figure sql-timeline: one repetition per build on a single time axis, from the moment the process
// was frozen: the pause (with the fault applied), the resume, each operation as a bar from its start
// to its answer or to the watchdog that ended it, and the pool's onconnect/onclose events. Two
// trials at most: the first whose verdicts differ between the builds, preferring one where a build
// hangs, on top, then the case's own (blackhole/after), so the figure opens on the difference. The
// Plot spec, legend and text, over the rows sql-timeline-rows.ts prepares.
import * as Plot from '@observablehq/plot';
import { formatMs, listOf } from '../../../lib/format.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { outcomeColor } from '../../../figures/palette.ts';
import type { FigureModule } from '../../../figures/types.ts';
import {
  OPERATIONS,
  POOL_EVENTS,
  panelOf,
  poolCounts,
  selectSqlTimeline,
  sqlTimelineColumns,
  type SqlTimelineRow,
} from './sql-timeline-rows.ts';

const seconds = (ms: number | null) => (ms === null ? NaN : ms / 1000);

/** "ok 3 ms", "error 1 ms", "hung 10 s" (a hang's bar is only as wide as its watchdog, so the label is short). */
function endLabel(d: SqlTimelineRow): string {
  return d.outcome === 'hang' ? `hung ${Math.round(d.latencyMs! / 1000)} s` : `${d.outcome} ${formatMs(d.latencyMs!)}`;
}

/** One label per panel and pool event: how many there were, at the last one. */
const countText = (d: { count: number }) => (d.count === 1 ? '1 event' : `${d.count} events`);

export const sqlTimeline: FigureModule<SqlTimelineRow> = {
  id: 'sql-timeline',
  exportSubtitle: 'One repetition per build, from the freeze: the pause, then each operation after resume',
  csvColumns: sqlTimelineColumns,
  scenario: 'sql-pool',
  title: 'One repetition after resume, on a time axis, by trial and Bun build',
  caption: 'Each operation runs until its answer or its watchdog.',
  notes:
    'Grey band: the pause, during which the fault was applied. Each operation after the resume is a bar from its ' +
    'start to its answer, ending in a circle (ok) or a diamond (error); a hang is a red bar that runs to its watchdog ' +
    "and ends in a cross. Ticks on the last two rows are the pool's onconnect and onclose events, with how many there " +
    "were. Shown: on top, the first trial on which Fisher's exact test, Holm-adjusted over the run's trials, tells the builds apart, preferring one where a build hangs; below it, the case trial.",

  select: selectSqlTimeline,

  spec(rows, layout) {
    const outcomes = Object.keys(outcomeColor) as (keyof typeof outcomeColor)[];
    const panels = [...new Set(rows.map(panelOf))];
    const ops = rows.filter((r) => r.kind === 'operation');
    const pool = rows.filter((r) => r.kind === 'pool');
    const phases = rows.filter((r) => r.kind === 'phase');
    const xMax = rows.reduce((max, r) => Math.max(max, seconds(r.endMs ?? r.startMs)), 0) * 1.04;
    const fs = layout.fontSize;
    const marginLeft = Math.ceil(Math.max(...[...OPERATIONS, ...POOL_EVENTS].map((w) => textWidth(w, fs)))) + 14;
    const marginRight = 10;
    const plotWidth = layout.width - marginLeft - marginRight;
    const px = (ms: number | null) => (seconds(ms) / xMax) * plotWidth;
    const rowHeight = Math.round(fs * 1.9);
    const panelHeight = rowHeight * (OPERATIONS.length + POOL_EVENTS.length);
    const title = Math.round(fs * 2.2);
    const marginBottom = Math.round(fs * 3.4);
    // Each label where it fits: an operation's outcome right of its end marker, or left of it when
    // that would run off the chart; a hang's inside its bar, else before the bar, else after it.
    const labels = ops.map((d) => {
      const text = endLabel(d);
      const w = textWidth(text, fs);
      const start = px(d.startMs);
      const end = px(d.endMs);
      if (d.outcome === 'hang' && w <= end - start - 14)
        return { ...d, text, at: d.endMs!, anchor: 'end' as const, dx: -10, inside: true };
      if (d.outcome === 'hang' && w <= start - 6)
        return { ...d, text, at: d.startMs, anchor: 'end' as const, dx: -6, inside: false };
      if (end + 9 + w <= plotWidth) return { ...d, text, at: d.endMs!, anchor: 'start' as const, dx: 9, inside: false };
      return { ...d, text, at: d.startMs, anchor: 'end' as const, dx: -6, inside: false };
    });
    const byAnchor = (inside: boolean, anchor: 'start' | 'end') =>
      labels.filter((l) => l.inside === inside && l.anchor === anchor);
    // Written up the band when it fits there, so it never sits on an operation or a pool event.
    const pauseText = ['paused, fault applied', 'paused'].find((t) => textWidth(t, fs) <= panelHeight - 8) ?? '';
    const counts = poolCounts(pool);
    return {
      width: layout.width,
      height: title + panels.length * (panelHeight + title) + marginBottom - title,
      marginLeft,
      marginRight,
      marginTop: title,
      marginBottom,
      x: {
        label: layout.narrow ? 'Seconds since the freeze →' : 'Seconds since the process was frozen →',
        labelOffset: marginBottom - 4,
        domain: [0, xMax],
        grid: true,
        ticks: Math.max(3, Math.floor(plotWidth / 70)),
      },
      y: { label: null, domain: [...OPERATIONS, ...POOL_EVENTS] },
      fy: { label: null, domain: panels, axis: null, paddingInner: title / (panelHeight + title), paddingOuter: 0 },
      color: { domain: outcomes, range: outcomes.map((o) => outcomeColor[o]) },
      symbol: { domain: outcomes, range: ['circle', 'diamond', 'times'] },
      marks: [
        Plot.frame({ strokeOpacity: 0.2 }),
        Plot.rect(phases, {
          x1: (d: SqlTimelineRow) => seconds(d.startMs),
          x2: (d: SqlTimelineRow) => seconds(d.endMs),
          fy: panelOf,
          fill: 'currentColor',
          fillOpacity: 0.12,
        }),
        Plot.text(phases, {
          x: (d: SqlTimelineRow) => seconds((d.startMs + d.endMs!) / 2),
          fy: panelOf,
          text: () => pauseText,
          frameAnchor: 'middle',
          rotate: -90,
        }),
        // Each panel's title above it, from the chart's left edge.
        Plot.text(phases, {
          fy: panelOf,
          text: panelOf,
          frameAnchor: 'top-left',
          textAnchor: 'start',
          lineAnchor: 'bottom',
          dx: -marginLeft,
          dy: -6,
          fontWeight: 600,
        }),
        Plot.barX(ops, {
          x1: (d: SqlTimelineRow) => seconds(d.startMs),
          x2: (d: SqlTimelineRow) => seconds(d.endMs),
          y: 'what',
          fy: panelOf,
          fill: 'outcome',
          insetTop: 4,
          insetBottom: 4,
        }),
        Plot.dot(ops, {
          x: (d: SqlTimelineRow) => seconds(d.endMs),
          y: 'what',
          fy: panelOf,
          stroke: 'outcome',
          symbol: 'outcome',
          fill: 'outcome',
          r: 4.5,
          strokeWidth: 2.5,
        }),
        ...(['start', 'end'] as const).map((anchor) =>
          Plot.text(byAnchor(false, anchor), {
            x: (d: { at: number }) => seconds(d.at),
            y: 'what',
            fy: panelOf,
            text: 'text',
            textAnchor: anchor,
            dx: anchor === 'start' ? 9 : -6,
          }),
        ),
        Plot.text(byAnchor(true, 'end'), {
          x: (d: { at: number }) => seconds(d.at),
          y: 'what',
          fy: panelOf,
          text: 'text',
          textAnchor: 'end',
          dx: -10,
          fill: 'white',
          fontWeight: 600,
        }),
        Plot.tickX(pool, {
          x: (d: SqlTimelineRow) => seconds(d.startMs),
          y: 'what',
          fy: panelOf,
          strokeWidth: 1.5,
          insetTop: 3,
          insetBottom: 3,
        }),
        // Events of one kind close together draw one tick over another: the label says how many,
        // right of the tick, or left of it when that would run off the chart (a long pause's resume
        // falls near its right edge).
        ...(['start', 'end'] as const).map((anchor) =>
          Plot.text(
            counts.filter((d) => (anchor === 'start') === px(d.startMs) + 6 + textWidth(countText(d), fs) <= plotWidth),
            {
              x: (d: SqlTimelineRow) => seconds(d.startMs),
              y: 'what',
              fy: panelOf,
              text: countText,
              textAnchor: anchor,
              dx: anchor === 'start' ? 6 : -6,
            },
          ),
        ),
      ],
    };
  },

  legend: (_rows, layout) => [
    { label: layout.narrow ? 'paused' : 'paused, fault applied', swatch: 'rect', color: '#8a8a8a' },
    { label: 'ok', swatch: 'circle', color: outcomeColor.ok },
    { label: 'error', swatch: 'diamond', color: outcomeColor.error },
    { label: layout.narrow ? 'hang' : 'hang, to its watchdog', swatch: 'cross', color: outcomeColor.hang },
    { label: 'pool event', swatch: 'tick', color: 'currentColor' },
  ],

  headline(rows) {
    // The top panel's trial: the one where the builds differ when there is one (chooseTrials).
    const trial = rows[0]!.trial;
    const own = rows.filter((r) => r.trial === trial && r.kind === 'operation');
    const parts = [...new Set(own.map((r) => r.build))].map((build) => {
      const ops = own.filter((r) => r.build === build);
      const hung = ops.filter((r) => r.outcome === 'hang').map((r) => r.what);
      const failed = ops.filter((r) => r.outcome === 'error').map((r) => r.what);
      const answered = ops.filter((r) => r.outcome === 'ok').map((r) => r.what);
      if (hung.length === ops.length) return `${build} hung on every query until its watchdog`;
      if (hung.length > 0) return `${build} hung on ${listOf(hung)}`;
      if (failed.length === ops.length) return `${build} failed every query fast`;
      if (failed.length > 0) return `${build} answered ${listOf(answered)} after ${listOf(failed)} failed fast`;
      return `${build} answered every query`;
    });
    return `After a ${trial} pause, ${parts.join('; ')}.`;
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const panels = [...new Set(rows.map(panelOf))];
    const parts = panels.map((p) => {
      const own = rows.filter((r) => panelOf(r) === p);
      const pause = own.find((r) => r.kind === 'phase')!;
      const ops = own
        .filter((r) => r.kind === 'operation')
        .map(
          (r) =>
            `${r.what} ${r.outcome === 'hang' ? `hung until the ${formatMs(r.latencyMs!)} watchdog` : endLabel(r)}`,
        );
      const count = (what: string) => own.filter((r) => r.what === what).length;
      return (
        `${own[0].trial}, ${own[0].build} (repetition ${own[0].repetition}): paused ${formatMs(pause.endMs!)}; after resume ${ops.join(', ')}; ` +
        `the pool reported ${count('onclose')} onclose and ${count('onconnect')} onconnect events`
      );
    });
    return `${parts.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: [
        { label: 'Trial', numeric: false },
        { label: 'Build', numeric: false },
        { label: 'Time since freeze', numeric: true },
        { label: 'Event', numeric: false },
        { label: 'Outcome', numeric: false },
        { label: 'Latency', numeric: true },
        { label: 'Error code', numeric: false },
      ],
      rows: rows.map((r) => [
        r.trial,
        r.build,
        formatMs(r.startMs),
        r.kind === 'phase' ? 'pause (fault applied), until resume' : r.what,
        r.outcome ?? '',
        r.latencyMs === null ? (r.kind === 'phase' ? formatMs(r.endMs! - r.startMs) : '') : formatMs(r.latencyMs),
        r.code ?? '',
      ]),
    };
  },
};
