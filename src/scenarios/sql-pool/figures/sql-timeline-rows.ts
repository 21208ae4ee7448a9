// The sql-timeline figure's rows (drawn by sql-timeline.ts): pure transforms from records to rows, one
// per phase, operation and pool event of one repetition per build and chosen trial, on the harness's
// clock from the freeze, and the pool events counted per panel; tested without drawing.
import {
  SqlOutcome,
  type RunRecord,
  type SqlPoolRecord,
  type SqlRepetition,
  type SqlTrial,
} from '../../../../repro/core/record/schema.ts';
import { buildsDiffer } from '../../../../repro/scenarios/sql-pool/outcomes.ts';
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
/** The operations after the resume, in the order they run: the rows of each panel. */
export const OPERATIONS = ['first', 'second', 'concurrent', 'begin'] as const;
/** The pool events drawn, below the operations. */
export const POOL_EVENTS = ['onconnect', 'onclose'] as const;

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

/** The records → the rows drawn: for each chosen trial, one representative repetition per build. */
export function selectSqlTimeline(records: readonly RunRecord[]): SqlTimelineRow[] {
  const sql = records.filter((r): r is SqlPoolRecord => r.scenario === 'sql-pool');
  return chooseTrials(sql).flatMap((id) =>
    sql.flatMap((r) => {
      const trial = r.trials.find((t) => t.id === id);
      const rep = trial && representative(trial);
      return rep ? repetitionRows(r, id, rep) : [];
    }),
  );
}

/** The panel a row is drawn in: one per trial and build. */
export const panelOf = (d: SqlTimelineRow) => `${d.trial} · ${d.build}`;

/** One row per panel and pool event, the last of them, with how many there were: events close together draw one tick over another. */
export function poolCounts(pool: readonly SqlTimelineRow[]): (SqlTimelineRow & { count: number })[] {
  const groups = new Map<string, SqlTimelineRow[]>();
  for (const r of pool) groups.set(`${panelOf(r)}|${r.what}`, [...(groups.get(`${panelOf(r)}|${r.what}`) ?? []), r]);
  return [...groups.values()].map((g) => ({ ...g.at(-1)!, count: g.length }));
}

// The CSV download's columns (csv-columns.ts): one per row field, each with its unit.
export const sqlTimelineColumns: CsvColumn[] = [
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
