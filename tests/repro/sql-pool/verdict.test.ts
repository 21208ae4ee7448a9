// Verdict classification on synthetic operation logs shaped like the experiments' outcomes: one
// verdict per repetition (its operations and its checks), then the trial's distribution over the
// repetitions that count.
import { describe, expect, it } from 'vitest';
import {
  classifyRepetition,
  classifyTrial,
  describeOperations,
  outcomeCounts,
  skippedTrial,
} from '../../../repro/scenarios/sql-pool/verdict.ts';
import { verdictCell } from '../../../repro/scenarios/sql-pool/table.ts';
import { distributionText, modalOutcome } from '../../../repro/scenarios/sql-pool/outcomes.ts';
import { SqlTrial, type Check, type SqlOperation, type SqlRepetition } from '../../../repro/core/record/schema.ts';

type Outcome = SqlOperation['outcome'];
const OPS = ['first', 'second', 'concurrent', 'begin'] as const;

/** Four operations from four outcomes, with the latencies the outcomes typically have. */
function run(...outcomes: Outcome[]): SqlOperation[] {
  return outcomes.map((outcome, i) => ({
    op: OPS[i]!,
    outcome,
    latencyMs: outcome === 'hang' ? (i === 0 ? 20_000 : 10_000) : outcome === 'ok' ? 5.2 : 1.1,
    code: outcome === 'error' ? 'ERR_POSTGRES_CONNECTION_CLOSED' : null,
    message: outcome === 'error' ? 'Connection closed' : null,
  }));
}

const MET: Check = {
  name: 'pool-warm',
  met: true,
  observed: '4 of 4 pooled connections served a query before the freeze',
};
const NOT_MET: Check = {
  name: 'froze-mid-handshake',
  met: false,
  observed: '4 of 4 connections had completed startup in Bun at the freeze; the server closed 4 sessions',
};

const measured = (outcomes: Outcome[], checks: Check[] = [MET]) => ({ operations: run(...outcomes), checks });

/** A full repetition as the scenario records it, its verdict from classifyRepetition. */
let nextIndex = 0;
function repetition(
  outcomes: Outcome[],
  checks: Check[] = [MET],
  extra: { failure?: string; interrupted?: boolean } = {},
): SqlRepetition {
  const m = { ...measured(outcomes, checks), ...(extra.failure !== undefined ? { failure: extra.failure } : {}) };
  return {
    index: nextIndex++,
    verdict: classifyRepetition(m, extra.interrupted ?? false),
    ...m,
    onconnect: 4,
    onclose: 0,
    events: [],
  };
}
const times = (n: number, make: () => SqlRepetition) => Array.from({ length: n }, make);

describe('classifyRepetition', () => {
  it('every operation ok: recovers', () => {
    expect(classifyRepetition(measured(['ok', 'ok', 'ok', 'ok']))).toBe('recovers');
  });
  it('a fast error on the first query, healthy after (terminate / timer): fails-fast', () => {
    expect(classifyRepetition(measured(['error', 'ok', 'ok', 'ok']))).toBe('fails-fast');
  });
  it('one error per stale connection, then begin() works (lazy-rst on 1.4.5): fails-fast', () => {
    expect(classifyRepetition(measured(['error', 'error', 'error', 'ok']))).toBe('fails-fast');
  });
  it('every operation fails fast to the end (cold-start on 1.3.14): corrupted', () => {
    expect(classifyRepetition(measured(['error', 'error', 'error', 'error']))).toBe('corrupted');
  });
  it('fast errors, then begin() never answers (lazy-rst on 1.3.14): hangs', () => {
    expect(classifyRepetition(measured(['error', 'error', 'error', 'hang']))).toBe('hangs');
  });
  it('the first query never answers (blackhole): hangs, whatever follows', () => {
    expect(classifyRepetition(measured(['hang', 'hang', 'ok', 'ok']))).toBe('hangs');
  });
  it('cut short before the last operation, with no hang: interrupted', () => {
    expect(classifyRepetition(measured(['error', 'ok']))).toBe('interrupted');
    expect(classifyRepetition(measured(['error', 'ok']), true)).toBe('interrupted');
  });
  it('a trial with no check of its own is classified by its operations alone', () => {
    expect(classifyRepetition(measured(['ok', 'ok', 'ok', 'ok'], []))).toBe('recovers');
  });

  describe('a failed check: condition-not-met, whatever the operations say', () => {
    for (const outcomes of [
      ['ok', 'ok', 'ok', 'ok'],
      ['error', 'ok', 'ok', 'ok'],
      ['error', 'error', 'error', 'error'],
      ['error', 'error', 'error', 'hang'],
      ['hang', 'hang', 'hang', 'hang'],
    ] as Outcome[][]) {
      it(outcomes.join(', '), () => {
        expect(classifyRepetition(measured(outcomes, [MET, NOT_MET]))).toBe('condition-not-met');
        expect(classifyRepetition(measured(outcomes, [NOT_MET]))).toBe('condition-not-met');
      });
    }
  });
  it('an interruption before the checks could be measured is an interruption, not a failed condition', () => {
    expect(classifyRepetition(measured(['error'], [NOT_MET]), true)).toBe('interrupted');
  });
  it('a harness failure outranks the checks: skipped', () => {
    expect(
      classifyRepetition({ operations: [], checks: [NOT_MET], failure: 'worker did not warm up: exited with code 3' }),
    ).toBe('skipped');
  });
});

describe('classifyTrial: the distribution over counted repetitions', () => {
  it('counts each outcome; the modal one is the verdict, with its Wilson interval', () => {
    const verdict = classifyTrial([
      ...times(6, () => repetition(['error', 'error', 'error', 'error'])),
      ...times(4, () => repetition(['ok', 'ok', 'ok', 'ok'])),
    ]);
    expect(verdict).toMatchObject({ kind: 'corrupted', counts: { corrupted: 6, recovers: 4 }, notMet: 0 });
    expect(verdict.message).toMatch(
      /^corrupted 6\/10 \(31–83 %\), recovers 4: first error ERR_POSTGRES_CONNECTION_CLOSED \(1\.1 ms\)/,
    );
  });

  it('repetitions whose condition did not hold are left out of the counts and reported as not met', () => {
    const reps = [
      repetition(['hang', 'hang', 'hang', 'hang'], [MET, NOT_MET]),
      repetition(['hang', 'hang', 'hang', 'hang'], [MET, NOT_MET]),
      repetition(['ok', 'ok', 'ok', 'ok']),
      repetition(['hang', 'hang', 'hang', 'hang'], [NOT_MET]),
    ];
    expect(reps.map((r) => r.verdict)).toEqual([
      'condition-not-met',
      'condition-not-met',
      'recovers',
      'condition-not-met',
    ]);
    const verdict = classifyTrial(reps);
    // Three hangs were measured, but none under the trial's condition: the verdict is the one that was.
    expect(verdict).toMatchObject({ kind: 'recovers', counts: { recovers: 1 }, notMet: 3 });
    expect(outcomeCounts(reps)).toEqual({ recovers: 1 });
    expect(verdict.message).toMatch(/^recovers 1\/1 · 3 not met: first ok/);
  });

  it('the retry bound: when every attempt (repetitions × factor) failed its condition, the trial says so and which check', () => {
    // 2 repetitions wanted, factor 3: the scenario stops after 6 attempts.
    const reps = times(6, () => repetition(['error', 'error', 'error', 'error'], [MET, NOT_MET]));
    const verdict = classifyTrial(reps);
    expect(verdict).toEqual({
      kind: 'condition-not-met',
      counts: {},
      notMet: 6,
      message:
        'no repetition met its condition (6): froze-mid-handshake: 4 of 4 connections had completed startup in Bun at the freeze; the server closed 4 sessions',
    });
    expect(SqlTrial.shape.verdict.parse(verdict)).toEqual(verdict);
  });

  it('ties go to the worse outcome', () => {
    const two = (a: Outcome[], b: Outcome[]) => classifyTrial([repetition(a), repetition(b)]).kind;
    expect(two(['ok', 'ok', 'ok', 'ok'], ['error', 'error', 'error', 'hang'])).toBe('hangs');
    expect(two(['ok', 'ok', 'ok', 'ok'], ['error', 'error', 'error', 'error'])).toBe('corrupted');
    expect(two(['error', 'ok', 'ok', 'ok'], ['error', 'error', 'error', 'error'])).toBe('corrupted');
    expect(two(['ok', 'ok', 'ok', 'ok'], ['error', 'ok', 'ok', 'ok'])).toBe('fails-fast');
    expect(modalOutcome({ recovers: 2, hangs: 2, 'fails-fast': 1 })).toBe('hangs');
  });

  it('the majority wins over severity: one hang in five is not the verdict', () => {
    const verdict = classifyTrial([
      repetition(['error', 'error', 'error', 'hang']),
      ...times(4, () => repetition(['ok', 'ok', 'ok', 'ok'])),
    ]);
    expect(verdict).toMatchObject({ kind: 'recovers', counts: { recovers: 4, hangs: 1 } });
    expect(verdict.message).toMatch(/^recovers 4\/5 \(38–96 %\), hangs 1: /);
  });

  it('a repetition the harness could not run is skipped and does not decide', () => {
    const failed = repetition([], [], { failure: 'worker did not warm up: exited with code 3' });
    expect(failed.verdict).toBe('skipped');
    expect(classifyTrial([failed, repetition(['hang', 'hang', 'hang', 'hang'])]).kind).toBe('hangs');
    expect(classifyTrial([failed])).toMatchObject({
      kind: 'skipped',
      notMet: 0,
      message: 'could not run: worker did not warm up: exited with code 3',
    });
  });

  it('interrupted repetitions do not decide, unless nothing else ran', () => {
    const cut = repetition(['ok'], [MET], { interrupted: true });
    expect(cut.verdict).toBe('interrupted');
    expect(classifyTrial([repetition(['ok', 'ok', 'ok', 'ok']), cut]).kind).toBe('recovers');
    expect(classifyTrial([cut]).kind).toBe('interrupted');
    expect(classifyTrial([]).kind).toBe('interrupted');
  });

  it('skippedTrial: no counts, a reason', () => {
    expect(skippedTrial('needs root')).toEqual({
      kind: 'skipped',
      counts: {},
      notMet: 0,
      message: 'skipped: needs root',
    });
  });
});

describe('distributionText', () => {
  it('the modal outcome with its count and 95 % Wilson interval, the rest, the attempts not met', () => {
    expect(distributionText({ corrupted: 9, recovers: 1 }, 2)).toBe('corrupted 9/10 (60–98 %), recovers 1 · 2 not met');
    expect(distributionText({ hangs: 3 }, 0)).toBe('hangs 3/3 (44–100 %)');
    expect(distributionText({ 'fails-fast': 10 }, 0)).toBe('fails-fast 10/10 (72–100 %)');
    expect(distributionText({ recovers: 5, hangs: 5 }, 0)).toBe('hangs 5/10 (24–76 %), recovers 5');
    expect(distributionText({ recovers: 2, 'fails-fast': 1, corrupted: 1, hangs: 1 }, 0)).toBe(
      'recovers 2/5 (12–77 %), hangs 1, corrupted 1, fails-fast 1',
    );
  });
  it('one repetition: no interval; none counted: says so', () => {
    expect(distributionText({ recovers: 1 }, 0)).toBe('recovers 1/1');
    expect(distributionText({}, 4)).toBe('none counted · 4 not met');
  });
  it('the table cell marks hangs', () => {
    const trial = (counts: Record<string, number>, kind: SqlTrial['verdict']['kind']) =>
      ({ verdict: { kind, counts, notMet: 1, message: '' } }) as unknown as SqlTrial;
    expect(verdictCell(trial({ hangs: 3 }, 'hangs'))).toBe('HANGS 3/3 (44–100 %) · 1 not met <<');
    expect(verdictCell(trial({ recovers: 3 }, 'recovers'))).toBe('recovers 3/3 (44–100 %) · 1 not met');
  });
});

describe('describeOperations', () => {
  it('names each operation, its outcome and its latency', () => {
    expect(describeOperations(run('hang', 'error', 'ok'))).toBe(
      'first hang (>20 s), second error ERR_POSTGRES_CONNECTION_CLOSED (1.1 ms), concurrent ok (5.2 ms)',
    );
  });
});
