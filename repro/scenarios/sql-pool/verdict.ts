// Verdicts, as pure functions of the operations a repetition recorded: one per repetition, then one
// per trial with the counts out of its repetitions. The names are the ones the article and the
// verdict matrix use, so their meaning is fixed here:
//   recovers   every operation after resume succeeded;
//   fails-fast no operation hung; at least one failed with an error, and the pool works again by
//              the last operation (sql.begin());
//   corrupted  no operation hung, but the last operation still failed: the pool did not heal;
//   hangs      at least one operation got no answer before its watchdog.
// A repetition the harness could not run (its `failure` is set) is `skipped`: it says nothing
// about the build, like an interrupted one.
import type { SqlOperation, SqlRepetition, SqlTrial, SqlVerdictKind } from '../../harness/record/schema.ts';

export type RepetitionVerdict = Extract<SqlVerdictKind, 'recovers' | 'fails-fast' | 'corrupted' | 'hangs' | 'interrupted' | 'skipped'>;
type Repetition = Pick<SqlRepetition, 'operations' | 'failure'>;

/** Worst first: a trial takes the worst verdict any of its repetitions reached. */
const SEVERITY: SqlVerdictKind[] = ['hangs', 'corrupted', 'fails-fast', 'recovers', 'skipped', 'interrupted'];

/** The order of operations after resume; a repetition with fewer was cut short. */
export const OPERATION_ORDER = ['first', 'second', 'concurrent', 'begin'] as const;

export function classifyRepetition({ operations, failure }: Repetition): RepetitionVerdict {
  if (failure !== undefined) return 'skipped';
  if (operations.some((o) => o.outcome === 'hang')) return 'hangs';
  if (operations.length < OPERATION_ORDER.length) return 'interrupted';
  if (operations.every((o) => o.outcome === 'ok')) return 'recovers';
  return operations.at(-1)!.outcome === 'ok' ? 'fails-fast' : 'corrupted';
}

export function classifyTrial(repetitions: Repetition[]): SqlTrial['verdict'] {
  const verdicts = repetitions.map(classifyRepetition);
  const counts: Partial<Record<SqlVerdictKind, number>> = {};
  for (const v of verdicts) counts[v] = (counts[v] ?? 0) + 1;
  // Interrupted and failed repetitions say nothing about the build; they decide only when nothing else ran.
  const decided = verdicts.filter((v) => v !== 'interrupted' && v !== 'skipped');
  if (decided.length === 0) {
    const failed = repetitions.find((r) => r.failure !== undefined);
    if (failed) return { kind: 'skipped', counts, message: `could not run: ${failed.failure}` };
    return { kind: 'interrupted', counts, message: 'interrupted before any repetition completed' };
  }
  const kind = SEVERITY.find((k) => (decided as SqlVerdictKind[]).includes(k))!;
  const example = repetitions[(verdicts as SqlVerdictKind[]).indexOf(kind)]!;
  return { kind, counts, message: `${kind} ${counts[kind]}/${decided.length}: ${describeOperations(example.operations)}` };
}

export function skippedTrial(reason: string): SqlTrial['verdict'] {
  return { kind: 'skipped', counts: {}, message: `skipped: ${reason}` };
}

/** "first error ERR_POSTGRES_CONNECTION_CLOSED (1.1 ms), …, begin hang (>10 s)". */
export function describeOperations(operations: SqlOperation[]): string {
  return operations.map(describeOperation).join(', ');
}

export function describeOperation(o: SqlOperation): string {
  if (o.outcome === 'hang') return `${o.op} hang (>${formatMs(o.latencyMs)})`;
  if (o.outcome === 'ok') return `${o.op} ok (${formatMs(o.latencyMs)})`;
  return `${o.op} error ${o.code ?? o.message ?? ''} (${formatMs(o.latencyMs)})`.replace('  ', ' ');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms * 10) / 10} ms`;
}
