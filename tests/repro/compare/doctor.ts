// Doctored copies of real records, made in memory for the compare tests. Each helper returns a new
// record and names in its comment what it changes; the fixture files are never touched. A doctored
// record is still a valid schema-2 record (tests parse it), so `compare` meets it as it would a real one.
import type { LoadedRecord } from '../../../repro/harness/record/read.ts';
import { RunRecord, type S3LeakRecord, type SqlOutcome, type SqlPoolRecord, type SqlRepetition } from '../../../repro/harness/record/schema.ts';
import { classifyTrial } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { clone } from '../sql-pool/fixtures/records.ts';

/** As `readRecords` would return them; `file` is a label here (nothing is read from it). */
export const loaded = (records: readonly RunRecord[], where = 'memory'): LoadedRecord[] =>
  records.map((record) => ({ file: `${where}/${record.runId}_${record.runtime.version}-${record.runtime.line}.json`, record }));

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

/**
 * DOCTORED: the trial's repetitions replaced by copies of its first real one, relabelled with these
 * outcomes (one per repetition, plus `notMet` attempts marked condition-not-met); the trial verdict is
 * then classified by the scenario's own classifyTrial, so counts and message are what it would write.
 */
export function withOutcomes(record: SqlPoolRecord, id: string, outcomes: readonly SqlOutcome[], notMet = 0): SqlPoolRecord {
  const r = clone(record);
  const trial = r.trials.find((t) => t.id === id);
  if (!trial) throw new Error(`no trial ${id}`);
  const template = trial.repetitions[0]!;
  const rep = (index: number, verdict: SqlRepetition['verdict']): SqlRepetition => ({ ...clone(template), index, verdict });
  const reps = [...Array.from({ length: notMet }, (_, i) => rep(i, 'condition-not-met')), ...outcomes.map((o, i) => rep(notMet + i, o))];
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
    if (kind !== 'recovers' && kind !== 'fails-fast' && kind !== 'corrupted' && kind !== 'hangs') throw new Error(`${t.id}: ${kind}`);
    r = withOutcomes(r, t.id, Array.from({ length: n }, () => kind));
  }
  return r;
}

export const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

/** Validates a doctored record with the shared schema, so no test compares something a run could not write. */
export function valid<R extends RunRecord>(record: R): R {
  return RunRecord.parse(record) as R;
}

export type { S3LeakRecord, SqlPoolRecord };
