// Figure sql-timeline: each operation of one trial after resume, per build: how long it took and
// whether it succeeded, errored or hung. The trial is the case's own (blackhole/after) when it was
// run, else the first trial whose verdicts differ between builds, else the first trial.
import * as Plot from '@observablehq/plot';
import type { RunRecord, SqlPoolRecord } from '../../repro/harness/record/schema.ts';
import { formatMs } from '../lib/format.ts';
import { outcomeColor } from './palette.ts';
import type { FigureModule } from './types.ts';

export interface SqlTimelineRow {
  [key: string]: string | number | null;
  build: string;
  revision: string;
  trial: string;
  repetition: number;
  op: string;
  outcome: 'ok' | 'error' | 'hang';
  latencyMs: number;
  code: string | null;
}

export const PREFERRED_TRIAL = 'blackhole/after';

export function chooseTrial(records: readonly SqlPoolRecord[]): string | undefined {
  const ids = records[0]?.trials.map((t) => t.id) ?? [];
  const everywhere = ids.filter((id) => records.every((r) => r.trials.some((t) => t.id === id)));
  if (everywhere.includes(PREFERRED_TRIAL)) return PREFERRED_TRIAL;
  const verdictOf = (r: SqlPoolRecord, id: string) => r.trials.find((t) => t.id === id)?.verdict.kind;
  return everywhere.find((id) => new Set(records.map((r) => verdictOf(r, id))).size > 1) ?? everywhere[0];
}

export const sqlTimeline: FigureModule<SqlTimelineRow> = {
  id: 'sql-timeline',
  scenario: 'sql-pool',
  title: 'Operations after resume in one trial, by Bun build',
  caption:
    'Latency of each operation after the resume, every repetition of one trial, per build (log scale). ' +
    'Circles are successes, diamonds errors, crosses hangs; a hang is drawn at the watchdog that ended it.',

  select(records: readonly RunRecord[]): SqlTimelineRow[] {
    const sql = records.filter((r): r is SqlPoolRecord => r.scenario === 'sql-pool');
    const trialId = chooseTrial(sql);
    if (!trialId) return [];
    return sql.flatMap((r) =>
      (r.trials.find((t) => t.id === trialId)?.repetitions ?? []).flatMap((rep) =>
        rep.operations.map((op) => ({
          build: r.runtime.label,
          revision: r.runtime.revision,
          trial: trialId,
          repetition: rep.index,
          op: op.op,
          outcome: op.outcome,
          latencyMs: op.latencyMs,
          code: op.code,
        })),
      ),
    );
  },

  spec(rows) {
    const outcomes = Object.keys(outcomeColor) as (keyof typeof outcomeColor)[];
    const builds = [...new Set(rows.map((r) => r.build))];
    return {
      width: 720,
      height: 80 + 130 * Math.max(1, builds.length),
      marginLeft: 90,
      marginRight: 110,
      x: { type: 'log', nice: true, domain: [1, Math.max(10, ...rows.map((r) => r.latencyMs)) * 1.5], label: 'Latency after resume (ms, log scale) →', grid: true },
      y: { label: null },
      fy: { label: null, domain: builds },
      color: { domain: outcomes, range: outcomes.map((o) => outcomeColor[o]) },
      symbol: { domain: outcomes, range: ['circle', 'diamond', 'times'] },
      marks: [
        Plot.frame({ strokeOpacity: 0.2 }),
        // Latency 0 cannot sit on a log scale; sub-millisecond operations are drawn at 1 ms.
        Plot.dot(rows, { x: (d: SqlTimelineRow) => Math.max(d.latencyMs, 1), y: 'op', fy: 'build', stroke: 'outcome', symbol: 'outcome', r: 5, strokeWidth: 2 }),
      ],
    };
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const builds = [...new Set(rows.map((r) => r.build))];
    const parts = builds.map((b) => {
      const own = rows.filter((r) => r.build === b);
      const count = (o: string) => own.filter((r) => r.outcome === o).length;
      const firsts = own.filter((r) => r.op === 'first').map((r) => r.latencyMs);
      return (
        `${b}: ${count('ok')} operations succeeded, ${count('error')} errored and ${count('hang')} hung; ` +
        `the first query took ${formatMs(Math.min(...firsts))} to ${formatMs(Math.max(...firsts))}`
      );
    });
    return `Trial ${rows[0].trial}. ${parts.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: [
        { label: 'Build', numeric: false },
        { label: 'Repetition', numeric: true },
        { label: 'Operation', numeric: false },
        { label: 'Outcome', numeric: false },
        { label: 'Latency', numeric: true },
        { label: 'Error code', numeric: false },
      ],
      rows: rows.map((r) => [r.build, String(r.repetition + 1), r.op, r.outcome, formatMs(r.latencyMs), r.code ?? '']),
    };
  },

};
