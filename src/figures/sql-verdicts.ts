// Figure sql-verdicts: what the pool did after a resume, for every trial × build of the latest
// sql-pool run: one row per fault (a variant such as the long pause gets its own row), one column
// per build, faceted by ordering. Each cell is labelled, and hangs are also outlined and marked ⚠,
// so colour is never the only cue.
import * as Plot from '@observablehq/plot';
import type { RunRecord, SqlPoolRecord, SqlTrial, SqlVerdictKind } from '../../repro/harness/record/schema.ts';
import { formatInt } from '../lib/format.ts';
import { SQL_VERDICT_ORDER } from '../lib/verdicts.ts';
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
  verdict: SqlVerdictKind;
  /** How many repetitions ended in the trial's verdict, e.g. 3. */
  count: number;
  repetitions: number;
  message: string;
}

/** "hangs 3/3": the verdict and how many repetitions agreed; a hang is marked ⚠ as well. */
export function verdictLabel(r: Pick<SqlVerdictRow, 'verdict' | 'count' | 'repetitions'>): string {
  return `${r.verdict === 'hangs' ? '⚠ ' : ''}${r.verdict} ${r.count}/${r.repetitions}`;
}

/** A trial id with more than fault/ordering is a variant of that fault (the long pause): its own row. */
export function matrixRow(t: Pick<SqlTrial, 'id' | 'fault' | 'pauseMs'>): string {
  return t.id.split('/').length > 2 ? `${t.fault}, ${formatInt(Math.round(t.pauseMs / 1000))} s pause` : t.fault;
}

export const sqlVerdicts: FigureModule<SqlVerdictRow> = {
  id: 'sql-verdicts',
  scenario: 'sql-pool',
  title: 'SQL pool behaviour after resume, by fault, ordering and Bun build',
  caption:
    'Each cell is one trial: the process was paused with the pool connected, a network fault was applied, and the ' +
    'operations after resume either all succeeded (recovers), failed without hanging (fails-fast; corrupted when the ' +
    'final transaction still failed), or met a watchdog (hangs, outlined and marked ⚠). The count is how many ' +
    'repetitions reached that verdict; a trial takes the worst. "after" issues the first query 1 s after SIGCONT; ' +
    '"timer" issues it from a timer armed before the pause.',

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
          count: t.verdict.counts[t.verdict.kind] ?? 0,
          repetitions: t.repetitions.length,
          message: t.verdict.message,
        })),
      );
  },

  spec(rows) {
    const kinds = [...SQL_VERDICT_ORDER];
    const matrixRows = [...new Set(rows.map((r) => r.row))];
    const hangs = rows.filter((r) => r.verdict === 'hangs');
    const cell = { x: 'build', y: 'row', fx: 'ordering' } as const;
    return {
      width: 720,
      height: 70 + 34 * matrixRows.length,
      marginLeft: 170,
      padding: 0.06,
      x: { label: null, axis: 'top' },
      y: { label: null, domain: matrixRows },
      fx: { label: 'ordering of the first query after resume', axis: 'bottom' },
      color: { domain: kinds, range: kinds.map((k) => verdictColor[k]) },
      marks: [
        Plot.cell(rows, { ...cell, fill: 'verdict', inset: 1 }),
        Plot.cell(hangs, { ...cell, fill: 'none', stroke: 'currentColor', strokeWidth: 3, inset: 2 }),
        Plot.text(rows, { ...cell, text: verdictLabel, fill: (d: SqlVerdictRow) => verdictTextColor[d.verdict], fontWeight: 600 }),
      ],
    };
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const byBuild = new Map<string, SqlVerdictRow[]>();
    for (const r of rows) byBuild.set(r.build, [...(byBuild.get(r.build) ?? []), r]);
    const words: Record<SqlVerdictKind, string> = { recovers: 'recovered', 'fails-fast': 'failed fast', corrupted: 'corrupted', hangs: 'hung', skipped: 'skipped', interrupted: 'interrupted' };
    const parts = [...byBuild].map(([build, own]) => {
      const counts = SQL_VERDICT_ORDER.filter((k) => k !== 'hangs')
        .map((k) => [k, own.filter((r) => r.verdict === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${words[k]}`);
      const hung = own.filter((r) => r.verdict === 'hangs').map((r) => r.trial);
      return (
        `${build}, ${own.length} trials: ${counts.join(', ')}` +
        (hung.length > 0 ? `, and ${hung.length} hung (${hung.join(', ')})` : ', and none hung')
      );
    });
    return `${parts.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: ['Trial', 'Build', 'Verdict', 'Detail'].map((label) => ({ label, numeric: false })),
      rows: rows.map((r) => [r.trial, r.build, verdictLabel(r), r.message]),
    };
  },
};
