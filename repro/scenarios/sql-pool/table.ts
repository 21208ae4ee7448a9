// The table printed after a run: one row per trial (fault × ordering), one column per build, the
// verdict with its count out of the repetitions. Hangs are in capitals and marked, so they stand
// out in a plain terminal or a CI log.
import type { SqlPoolRecord, SqlTrial } from '../../harness/record/schema.ts';
import { formatTable } from '../../harness/table.ts';

export function verdictTable(records: SqlPoolRecord[]): string {
  const ids = [...new Set(records.flatMap((r) => r.trials.map((t) => t.id)))];
  const rows = ids.map((id) => {
    const cells = records.map((r) => {
      const trial = r.trials.find((t) => t.id === id);
      return trial ? verdictCell(trial) : '—';
    });
    const pause = records.flatMap((r) => r.trials).find((t) => t.id === id)?.pauseMs ?? 0;
    return [id, `${pause / 1000} s`, ...cells];
  });
  const table = formatTable(['trial (fault/ordering)', 'pause', ...records.map((r) => r.runtime.label)], rows);
  return `${table}\n\n${LEGEND}`;
}

const LEGEND =
  'recovers: every operation ok · fails-fast: errors, no hang, pool healthy by sql.begin() · ' +
  'corrupted: still failing at the end · HANGS: an operation got no answer before its watchdog';

/** "HANGS 3/3 <<", "corrupted 2/3 (recovers 1)", "skipped". */
export function verdictCell(trial: SqlTrial): string {
  const { kind, counts } = trial.verdict;
  if (kind === 'skipped' || kind === 'interrupted') return kind;
  const total = Object.entries(counts)
    .filter(([k]) => k !== 'skipped' && k !== 'interrupted')
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const others = Object.entries(counts)
    .filter(([k, n]) => k !== kind && k !== 'skipped' && k !== 'interrupted' && n)
    .map(([k, n]) => `${k} ${n}`);
  const head = `${kind === 'hangs' ? 'HANGS' : kind} ${counts[kind] ?? 0}/${total}`;
  return `${head}${others.length ? ` (${others.join(', ')})` : ''}${kind === 'hangs' ? ' <<' : ''}`;
}
