// Figure sql-verdicts: what the pool did after a resume, for every fault × ordering × build of
// the latest sql-pool run. A matrix of verdicts, each cell labelled so colour is never the only cue.
import * as Plot from '@observablehq/plot';
import type { RunRecord, SqlPoolRecord, SqlVerdictKind } from '../../repro/harness/record/schema.ts';
import { verdictColor } from './palette.ts';
import type { FigureModule } from './types.ts';

export interface SqlVerdictRow {
  [key: string]: string | number;
  fault: string;
  ordering: string;
  build: string;
  revision: string;
  verdict: SqlVerdictKind;
  /** How many repetitions ended in the trial's verdict, e.g. 3. */
  count: number;
  repetitions: number;
  message: string;
}

/** "hangs 3/3": the verdict and how many repetitions agreed. */
export function verdictLabel(r: Pick<SqlVerdictRow, 'verdict' | 'count' | 'repetitions'>): string {
  return `${r.verdict} ${r.count}/${r.repetitions}`;
}

export const sqlVerdicts: FigureModule<SqlVerdictRow> = {
  id: 'sql-verdicts',
  scenario: 'sql-pool',
  title: 'SQL pool behaviour after resume, by fault, ordering and Bun build',
  caption:
    'Each cell is one trial: the process was paused with the pool connected, a network fault was applied, and the ' +
    'first query after resume either recovered, failed fast, or hung until the watchdog. "after" issues it 1 s after ' +
    'SIGCONT; "timer" issues it from a timer armed before the pause.',

  select(records: readonly RunRecord[]): SqlVerdictRow[] {
    return records
      .filter((r): r is SqlPoolRecord => r.scenario === 'sql-pool')
      .flatMap((r) =>
        r.trials.map((t) => ({
          fault: t.fault,
          ordering: t.ordering,
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
    const kinds = Object.keys(verdictColor) as SqlVerdictKind[];
    const faults = [...new Set(rows.map((r) => r.fault))];
    return {
      width: 720,
      height: 60 + 34 * faults.length,
      marginLeft: 110,
      padding: 0.06,
      x: { label: null, axis: 'top' },
      y: { label: null, domain: faults },
      fx: { label: 'ordering of the first query after resume', axis: 'bottom' },
      color: { domain: kinds, range: kinds.map((k) => verdictColor[k]) },
      marks: [
        Plot.cell(rows, { x: 'build', y: 'fault', fx: 'ordering', fill: 'verdict', inset: 1 }),
        Plot.text(rows, { x: 'build', y: 'fault', fx: 'ordering', text: verdictLabel, fill: 'white', fontWeight: 600 }),
      ],
    };
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const byBuild = new Map<string, SqlVerdictRow[]>();
    for (const r of rows) byBuild.set(r.build, [...(byBuild.get(r.build) ?? []), r]);
    const parts = [...byBuild].map(([build, own]) => {
      const hangs = own.filter((r) => r.verdict === 'hangs').map((r) => `${r.fault}/${r.ordering}`);
      const recovers = own.filter((r) => r.verdict === 'recovers').length;
      return (
        `${build} recovered in ${recovers} of ${own.length} trials` +
        (hangs.length > 0 ? ` and hung in ${hangs.length} (${hangs.join(', ')})` : ' and hung in none')
      );
    });
    return `${parts.join('; ')}.`;
  },

  table(rows) {
    return {
      columns: ['Fault', 'Ordering', 'Build', 'Verdict', 'Detail'].map((label) => ({ label, numeric: false })),
      rows: rows.map((r) => [r.fault, r.ordering, r.build, verdictLabel(r), r.message]),
    };
  },
};
