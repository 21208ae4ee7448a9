// The table printed after a run: one row per trial (fault × ordering), one column per build with the
// distribution of outcomes over the counted repetitions (95 % interval, attempts not met), and, for
// two builds, whether Fisher's exact test tells them apart once adjusted (Holm) over the table's
// trials. Hangs are in capitals and marked, so they stand out in a plain terminal or a CI log.
import type { SqlPoolRecord, SqlTrial } from '../../core/record/schema.ts';
import { buildsDiffer, distributionText, type BuildDifference } from './outcomes.ts';
import { formatP } from '../../core/stats.ts';
import { formatTable } from '../../core/table.ts';

export function verdictTable(records: SqlPoolRecord[]): string {
  const ids = [...new Set(records.flatMap((r) => r.trials.map((t) => t.id)))];
  const pair = records.length === 2;
  const differences = pair ? buildsDiffer(records[0]!.trials, records[1]!.trials) : new Map<string, BuildDifference>();
  const rows = ids.map((id) => {
    const trials = records.map((r) => r.trials.find((t) => t.id === id));
    const pause = trials.find((t) => t)?.pauseMs ?? 0;
    const cells = trials.map((t) => (t ? verdictCell(t) : '—'));
    return [id, `${pause / 1000} s`, ...cells, ...(pair ? [differCell(differences.get(id))] : [])];
  });
  const header = [
    'trial (fault/ordering)',
    'pause',
    ...records.map((r) => r.runtime.label),
    ...(pair ? ['builds differ?'] : []),
  ];
  return `${formatTable(header, rows)}\n\n${LEGEND}`;
}

const LEGEND =
  'recovers: every operation ok · fails-fast: errors, no hang, pool healthy by sql.begin() · ' +
  'corrupted: still failing at the end · HANGS: an operation got no answer before its watchdog · ' +
  '(a–b %): 95 % Wilson interval · not met: attempts whose condition did not hold, not counted · ' +
  'builds differ?: Fisher exact test at 5 %, p Holm-adjusted over the trials both builds ran';

/** "HANGS 3/3 (44–100 %) <<", "corrupted 6/10 (31–83 %), recovers 4 · 2 not met", "skipped". */
export function verdictCell(trial: SqlTrial): string {
  const { kind, counts, notMet } = trial.verdict;
  if (kind === 'skipped' || kind === 'interrupted') return kind;
  const text = distributionText(counts, notMet);
  return kind === 'hangs' ? `${text.replace(/^hangs/, 'HANGS')} <<` : text;
}

function differCell(d: BuildDifference | undefined): string {
  if (!d) return '—';
  if (d.verdict === 'cannot-tell') return 'too few to tell';
  const adjusted = `adjusted ${formatP(d.pAdjusted!)}`;
  if (d.verdict === 'suggestive') return `not after adjustment (${formatP(d.p!)}, ${adjusted})`;
  return d.verdict === 'different' ? `yes, ${adjusted}` : `no, ${adjusted}`;
}
