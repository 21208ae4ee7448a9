// Verdicts, as pure functions of what a repetition recorded: one per repetition, then one per trial
// from the distribution over the repetitions that count. The names are the ones the article and the
// verdict matrix use, so their meaning is fixed here:
//   recovers          every operation after resume succeeded;
//   fails-fast        no operation hung; at least one failed with an error, and the pool works again
//                     by the last operation (sql.begin());
//   corrupted         no operation hung, but the last operation still failed: the pool did not heal;
//   hangs             at least one operation got no answer before its watchdog;
//   condition-not-met a check failed (checks.ts): the fault, ordering or window did not happen as the
//                     trial claims, so the repetition says nothing about the build and is not counted;
//   skipped           the harness could not run it (`failure` is set);
//   interrupted       cut short by Ctrl-C.
import {
  SqlOperationKind,
  SqlOutcome,
  type Check,
  type SqlOperation,
  type SqlRepetition,
  type SqlRepetitionVerdict,
  type SqlTrial,
} from '../../core/record/schema.ts';
import { distributionText, modalOutcome, type OutcomeCounts } from './outcomes.ts';

type Measured = { operations: readonly SqlOperation[]; checks: readonly Check[]; failure?: string };

export function classifyRepetition(
  { operations, checks, failure }: Measured,
  interrupted = false,
): SqlRepetitionVerdict {
  if (failure !== undefined) return 'skipped';
  if (
    interrupted &&
    operations.length < SqlOperationKind.options.length &&
    !operations.some((o) => o.outcome === 'hang')
  )
    return 'interrupted';
  if (checks.some((c) => !c.met)) return 'condition-not-met';
  if (operations.some((o) => o.outcome === 'hang')) return 'hangs';
  if (operations.length < SqlOperationKind.options.length) return 'interrupted';
  if (operations.every((o) => o.outcome === 'ok')) return 'recovers';
  return operations.at(-1)!.outcome === 'ok' ? 'fails-fast' : 'corrupted';
}

export const isOutcome = (v: SqlRepetitionVerdict): v is SqlOutcome =>
  (SqlOutcome.options as readonly string[]).includes(v);

/** How many counted repetitions ended in each outcome. */
export function outcomeCounts(repetitions: readonly Pick<SqlRepetition, 'verdict'>[]): OutcomeCounts {
  const counts: OutcomeCounts = {};
  for (const { verdict } of repetitions) if (isOutcome(verdict)) counts[verdict] = (counts[verdict] ?? 0) + 1;
  return counts;
}

export function classifyTrial(repetitions: readonly SqlRepetition[]): SqlTrial['verdict'] {
  const counts = outcomeCounts(repetitions);
  const notMet = repetitions.filter((r) => r.verdict === 'condition-not-met').length;
  const kind = modalOutcome(counts);
  if (kind === undefined) {
    if (notMet > 0) {
      const failed = repetitions.find((r) => r.verdict === 'condition-not-met')!.checks.find((c) => !c.met)!;
      return {
        kind: 'condition-not-met',
        counts,
        notMet,
        message: `no repetition met its condition (${notMet}): ${failed.name}: ${failed.observed}`,
      };
    }
    const failed = repetitions.find((r) => r.failure !== undefined);
    if (failed) return { kind: 'skipped', counts, notMet, message: `could not run: ${failed.failure}` };
    return { kind: 'interrupted', counts, notMet, message: 'interrupted before any repetition completed' };
  }
  const example = repetitions.find((r) => r.verdict === kind)!;
  return {
    kind,
    counts,
    notMet,
    message: `${distributionText(counts, notMet)}: ${describeOperations(example.operations)}`,
  };
}

export function skippedTrial(reason: string): SqlTrial['verdict'] {
  return { kind: 'skipped', counts: {}, notMet: 0, message: `skipped: ${reason}` };
}

/** "first error ERR_POSTGRES_CONNECTION_CLOSED (1.1 ms), …, begin hang (>10 s)". */
export function describeOperations(operations: readonly SqlOperation[]): string {
  return operations.map(describeOperation).join(', ');
}

function describeOperation(o: SqlOperation): string {
  if (o.outcome === 'hang') return `${o.op} hang (>${formatMs(o.latencyMs)})`;
  if (o.outcome === 'ok') return `${o.op} ok (${formatMs(o.latencyMs)})`;
  return `${o.op} error ${o.code ?? o.message ?? ''} (${formatMs(o.latencyMs)})`.replace('  ', ' ');
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms * 10) / 10} ms`;
}
