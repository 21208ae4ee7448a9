// Doctored copies of real records, made in memory for the compare tests. Each helper returns a new
// record and names in its comment what it changes; the fixture files are never touched. A doctored
// record is still a valid schema-2 record (tests parse it), so `compare` meets it as it would a real one.
import type { LoadedRecord } from '../../../repro/core/record/parse.ts';
import {
  RunRecord,
  SqlOperationKind,
  type SqlOperation,
  type SqlOutcome,
  type SqlPoolRecord,
  type SqlRepetition,
} from '../../../repro/core/record/schema.ts';
import { classifyRepetition, classifyTrial } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { clone } from '../sql-pool/fixtures/records.ts';

/** As `readRecords` would return them; `file` is a label here (nothing is read from it). */
export const loaded = (records: readonly RunRecord[], where = 'memory'): LoadedRecord[] =>
  records.map((record) => ({
    file: `${where}/${record.runId}_${record.runtime.version}-${record.runtime.line}.json`,
    record,
  }));

/** DOCTORED: another runId (the same measurements as another run). Shallow: records are never mutated after doctoring. */
export function withRunId<R extends RunRecord>(record: R, runId: string): R {
  return { ...record, runId };
}

/** DOCTORED: only these trials kept. */
export function onlyTrials(record: SqlPoolRecord, ids: readonly string[]): SqlPoolRecord {
  const r = clone(record);
  r.trials = r.trials.filter((t) => ids.includes(t.id));
  return r;
}

/** What each operation after resume did, for a repetition the harness classifies as this outcome. */
const OPERATIONS_OF: Record<SqlOutcome, SqlOperation['outcome'][]> = {
  recovers: ['ok', 'ok', 'ok', 'ok'],
  'fails-fast': ['error', 'ok', 'ok', 'ok'],
  corrupted: ['error', 'error', 'error', 'error'],
  hangs: ['hang', 'ok', 'ok', 'ok'],
};

/**
 * A copy of a real repetition made to be this verdict by its own evidence: operations that
 * classifyRepetition reads as the outcome (or a failed check for condition-not-met), so compare,
 * which recounts the repetitions from their operations, meets what a run could have written.
 */
function repetitionAs(
  template: SqlRepetition,
  index: number,
  verdict: SqlOutcome | 'condition-not-met',
): SqlRepetition {
  const rep = clone(template);
  const checks = rep.checks.length > 0 ? rep.checks : [{ name: 'fault-applied', met: true, observed: 'doctored' }];
  rep.checks = checks.map((c, i) => ({ ...c, met: verdict !== 'condition-not-met' || i > 0 }));
  const outcomes = OPERATIONS_OF[verdict === 'condition-not-met' ? 'recovers' : verdict];
  rep.operations = SqlOperationKind.options.map((op, i) => ({
    op,
    outcome: outcomes[i]!,
    latencyMs: outcomes[i] === 'hang' ? 10_000 : 2,
    code: outcomes[i] === 'error' ? 'ERR_POSTGRES_CONNECTION_CLOSED' : null,
    message: null,
  }));
  delete rep.failure;
  const classified = classifyRepetition(rep);
  if (classified !== verdict) throw new Error(`doctored repetition classifies as ${classified}, not ${verdict}`);
  return { ...rep, index, verdict };
}

/**
 * DOCTORED: the trial's repetitions replaced by copies of its first real one, each made to be one of
 * these outcomes by its operations (one per repetition, plus `notMet` attempts with a failed check);
 * the trial verdict is then classified by the scenario's own classifyTrial, so counts and message are
 * what it would write.
 */
export function withOutcomes(
  record: SqlPoolRecord,
  id: string,
  outcomes: readonly SqlOutcome[],
  notMet = 0,
): SqlPoolRecord {
  const r = clone(record);
  const trial = r.trials.find((t) => t.id === id);
  if (!trial) throw new Error(`no trial ${id}`);
  const template = trial.repetitions[0]!;
  const rep = (index: number, verdict: SqlOutcome | 'condition-not-met'): SqlRepetition =>
    repetitionAs(template, index, verdict);
  const reps = [
    ...Array.from({ length: notMet }, (_, i) => rep(i, 'condition-not-met')),
    ...outcomes.map((o, i) => rep(notMet + i, o)),
  ];
  trial.repetitions = reps;
  trial.wanted = outcomes.length;
  trial.verdict = classifyTrial(reps);
  return r;
}

/** DOCTORED: every trial given `n` repetitions, all with the trial's real modal outcome. */
export function expanded(record: SqlPoolRecord, n: number): SqlPoolRecord {
  let r = clone(record);
  r.parameters.repetitions = n;
  for (const t of record.trials) {
    const kind = t.verdict.kind;
    if (kind !== 'recovers' && kind !== 'fails-fast' && kind !== 'corrupted' && kind !== 'hangs')
      throw new Error(`${t.id}: ${kind}`);
    r = withOutcomes(
      r,
      t.id,
      Array.from({ length: n }, () => kind),
    );
  }
  return r;
}

export const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/** Validates a doctored record with the shared schema, so no test compares something a run could not write. */
export function valid<R extends RunRecord>(record: R): R {
  return RunRecord.parse(record) as R;
}

export type { SqlPoolRecord };
