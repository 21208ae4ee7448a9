// Figure sql-timeline: one repetition per build on a single time axis, from the moment the process
// was frozen: the pause (with the fault applied), the resume, each operation as a bar from its start
// to its answer or to the watchdog that ended it, and the pool's onconnect/onclose events. Two
// trials at most: the first whose verdicts differ between the builds, preferring one where a build
// hangs, on top, then the case's own (blackhole/after), so the figure opens on the difference.
import * as Plot from '@observablehq/plot';
import {
  SqlOutcome,
  type RunRecord,
  type SqlPoolRecord,
  type SqlRepetition,
  type SqlTrial,
} from '../../../../repro/core/record/schema.ts';
import { buildsDiffer } from '../../../../repro/scenarios/sql-pool/outcomes.ts';
import { formatMs, listOf } from '../../../lib/format.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { outcomeColor } from '../../../figures/palette.ts';
import type { FigureModule } from '../../../figures/types.ts';
import { buildColumns, ms, type CsvColumn } from '../../../figures/csv-columns.ts';

type TimelineKind = 'phase' | 'operation' | 'pool';

export interface SqlTimelineRow {
  [key: string]: string | number | null;
  build: string;
  revision: string;
  trial: string;
  /** 1-based, as the table shows it. */
  repetition: number;
  kind: TimelineKind;
  /** "pause" (phase), the operation ("first", "second", "concurrent", "begin") or the pool event. */
  what: string;
  outcome: 'ok' | 'error' | 'hang' | null;
  /** ms since the process was frozen (SIGSTOP), on the harness's clock. */
  startMs: number;
  /** End of a phase or operation (start + latency; for a hang, the watchdog); null for an instant. */
  endMs: number | null;
  latencyMs: number | null;
  code: string | null;
}

const PREFERRED_TRIAL = 'blackhole/after';
const OPERATIONS = ['first', 'second', 'concurrent', 'begin'] as const;
const POOL_EVENTS = ['onconnect', 'onclose'] as const;

/**
 * The trials drawn: the most telling difference, first (the first trial whose builds differ by
 * Fisher's exact test, Holm-adjusted over the trials, preferring one where a build hangs), then the
 * case trial (when every build ran it).
 */
export function chooseTrials(records: readonly SqlPoolRecord[]): string[] {
  const ids = records[0]?.trials.map((t) => t.id) ?? [];
  const everywhere = ids.filter((id) => records.every((r) => r.trials.some((t) => t.id === id)));
  const trialsOf = (id: string) => records.map((r) => r.trials.find((t) => t.id === id)!);
  const verdicts = (id: string) => trialsOf(id).map((t) => t.verdict.kind);
  const differences = records.length === 2 ? buildsDiffer(records[0]!.trials, records[1]!.trials) : new Map();
  const differing = everywhere.filter((id) => differences.get(id)?.verdict === 'different');
  const telling = differing.find((id) => verdicts(id).includes('hangs')) ?? differing[0];
  // The difference first: the top panel is the one a reader sees, and it should show the builds apart.
  const chosen = [telling, everywhere.includes(PREFERRED_TRIAL) ? PREFERRED_TRIAL : undefined].filter(
    (id): id is string => id !== undefined,
  );
  return chosen.length > 0 ? [...new Set(chosen)] : everywhere.slice(0, 1);
}

/** The first counted repetition whose outcome is the trial's most frequent one. */
function representative(t: SqlTrial): SqlRepetition | undefined {
  const counted = t.repetitions.filter((rep) => (SqlOutcome.options as readonly string[]).includes(rep.verdict));
  return counted.find((rep) => rep.verdict === t.verdict.kind) ?? counted[0];
}

function repetitionRows(r: SqlPoolRecord, trial: string, rep: SqlRepetition): SqlTimelineRow[] {
  const at = (source: string, event: string) => rep.events.find((e) => e.source === source && e.event === event)?.t;
  const stop = at('harness', 'sigstop');
  const resume = at('harness', 'sigcont');
  if (stop === undefined || resume === undefined) return [];
  const base = { build: r.runtime.label, revision: r.runtime.revision, trial, repetition: rep.index + 1 };
  const since = (t: number) => Math.round((t - stop) * 10) / 10;
  const rows: SqlTimelineRow[] = [
    {
      ...base,
      kind: 'phase',
      what: 'pause',
      outcome: null,
      startMs: 0,
      endMs: since(resume),
      latencyMs: null,
      code: null,
    },
  ];
  // An operation starts when Bun reports query_start for it; without one, right after the previous ended.
  let previousEnd = since(resume);
  for (const op of rep.operations) {
    const started = rep.events.find(
      (e) => e.source === 'bun' && e.event === 'query_start' && e.detail?.id === op.op,
    )?.t;
    const startMs = started === undefined ? previousEnd : since(started);
    const endMs = Math.round((startMs + op.latencyMs) * 10) / 10;
    rows.push({
      ...base,
      kind: 'operation',
      what: op.op,
      outcome: op.outcome,
      startMs,
      endMs,
      latencyMs: op.latencyMs,
      code: op.code,
    });
    previousEnd = endMs;
  }
  for (const e of rep.events) {
    if (e.source !== 'bun' || !(POOL_EVENTS as readonly string[]).includes(e.event) || e.t < stop) continue;
    const code = typeof e.detail?.code === 'string' ? e.detail.code : null;
    rows.push({
      ...base,
      kind: 'pool',
      what: e.event,
      outcome: null,
      startMs: since(e.t),
      endMs: null,
      latencyMs: null,
      code,
    });
  }
  return rows;
}

const seconds = (ms: number | null) => (ms === null ? NaN : ms / 1000);
const panelOf = (d: SqlTimelineRow) => `${d.trial} · ${d.build}`;

/** "ok 3 ms", "error 1 ms", "hung 10 s" (a hang's bar is only as wide as its watchdog, so the label is short). */
function endLabel(d: SqlTimelineRow): string {
  return d.outcome === 'hang' ? `hung ${Math.round(d.latencyMs! / 1000)} s` : `${d.outcome} ${formatMs(d.latencyMs!)}`;
}

/** One label per panel and pool event: how many there were, at the last one. */
const countText = (d: { count: number }) => (d.count === 1 ? '1 event' : `${d.count} events`);

function poolCounts(pool: readonly SqlTimelineRow[]): (SqlTimelineRow & { count: number })[] {
  const groups = new Map<string, SqlTimelineRow[]>();
  for (const r of pool) groups.set(`${panelOf(r)}|${r.what}`, [...(groups.get(`${panelOf(r)}|${r.what}`) ?? []), r]);
  return [...groups.values()].map((g) => ({ ...g.at(-1)!, count: g.length }));
}

// The CSV download's columns (csv-columns.ts): one per row field, each with its unit.
const sqlTimelineColumns: CsvColumn[] = [
  ...buildColumns,
  { field: 'trial', name: 'trial', datatype: 'string', description: 'The trial id: fault/ordering.' },
  {
    field: 'repetition',
    name: 'repetition',
    datatype: 'integer',
    description: 'The repetition shown, counted from 1.',
  },
  {
    field: 'kind',
    name: 'kind',
    datatype: 'string',
    description: 'phase (the pause), operation (a query after the resume) or pool (an onconnect/onclose event).',
  },
  {
    field: 'what',
    name: 'what',
    datatype: 'string',
    description: 'The phase, the operation (first, second, concurrent, begin) or the pool event.',
  },
  {
    field: 'outcome',
    name: 'outcome',
    datatype: 'string',
    description: "An operation's outcome: ok, error or hang (ended by the watchdog); empty otherwise.",
  },
  ms('startMs', 'start_ms', "Start, in ms since the process was frozen (SIGSTOP), on the harness's clock."),
  ms(
    'endMs',
    'end_ms',
    'End of a phase or operation (for a hang, the watchdog), same clock; empty for an instant event.',
  ),
  ms('latencyMs', 'latency_ms', "An operation's latency; empty for phases and events."),
  {
    field: 'code',
    name: 'error_code',
    datatype: 'string',
    description: 'The error code an operation failed with; empty otherwise.',
  },
];

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

  select(records: readonly RunRecord[]): SqlTimelineRow[] {
    const sql = records.filter((r): r is SqlPoolRecord => r.scenario === 'sql-pool');
    return chooseTrials(sql).flatMap((id) =>
      sql.flatMap((r) => {
        const trial = r.trials.find((t) => t.id === id);
        const rep = trial && representative(trial);
        return rep ? repetitionRows(r, id, rep) : [];
      }),
    );
  },

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
