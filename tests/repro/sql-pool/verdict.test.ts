// Verdict classification on synthetic operation logs shaped like the experiments' outcomes.
import { describe, expect, it } from 'vitest';
import { classifyRepetition, classifyTrial, describeOperations } from '../../../repro/scenarios/sql-pool/verdict.ts';
import type { SqlOperation } from '../../../repro/harness/record/schema.ts';

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

const rep = (...outcomes: Outcome[]) => ({ operations: run(...outcomes) });

describe('classifyRepetition', () => {
  it('every operation ok: recovers', () => {
    expect(classifyRepetition(rep('ok', 'ok', 'ok', 'ok'))).toBe('recovers');
  });
  it('a fast error on the first query, healthy after (terminate / timer): fails-fast', () => {
    expect(classifyRepetition(rep('error', 'ok', 'ok', 'ok'))).toBe('fails-fast');
  });
  it('one error per stale connection, then begin() works (lazy-rst on 1.4.5): fails-fast', () => {
    expect(classifyRepetition(rep('error', 'error', 'error', 'ok'))).toBe('fails-fast');
  });
  it('every operation fails fast to the end (cold-start on 1.3.14): corrupted', () => {
    expect(classifyRepetition(rep('error', 'error', 'error', 'error'))).toBe('corrupted');
  });
  it('fast errors, then begin() never answers (lazy-rst on 1.3.14): hangs', () => {
    expect(classifyRepetition(rep('error', 'error', 'error', 'hang'))).toBe('hangs');
  });
  it('the first query never answers (blackhole): hangs, whatever follows', () => {
    expect(classifyRepetition(rep('hang', 'hang', 'ok', 'ok'))).toBe('hangs');
  });
  it('cut short before the last operation, with no hang: interrupted', () => {
    expect(classifyRepetition(rep('error', 'ok'))).toBe('interrupted');
  });
});

describe('classifyTrial', () => {
  it('takes the worst verdict and counts every kind out of the repetitions', () => {
    const verdict = classifyTrial([
      { operations: run('error', 'error', 'error', 'error') },
      { operations: run('ok', 'ok', 'ok', 'ok') },
      { operations: run('error', 'error', 'error', 'error') },
    ]);
    expect(verdict.kind).toBe('corrupted');
    expect(verdict.counts).toEqual({ corrupted: 2, recovers: 1 });
    expect(verdict.message).toMatch(/^corrupted 2\/3: first error ERR_POSTGRES_CONNECTION_CLOSED/);
  });
  it('a hang outranks everything', () => {
    const verdict = classifyTrial([{ operations: run('ok', 'ok', 'ok', 'ok') }, { operations: run('error', 'error', 'error', 'hang') }]);
    expect(verdict.kind).toBe('hangs');
    expect(verdict.message).toContain('begin hang (>10 s)');
  });
  it('a repetition the harness could not run is skipped and does not decide', () => {
    const failed = { operations: [], failure: 'worker did not warm up: exited with code 3' };
    expect(classifyRepetition(failed)).toBe('skipped');
    expect(classifyTrial([failed, { operations: run('hang', 'hang', 'hang', 'hang') }]).kind).toBe('hangs');
    expect(classifyTrial([failed])).toMatchObject({ kind: 'skipped', message: 'could not run: worker did not warm up: exited with code 3' });
  });
  it('interrupted repetitions do not decide, unless nothing else ran', () => {
    expect(classifyTrial([{ operations: run('ok', 'ok', 'ok', 'ok') }, { operations: run('ok') }]).kind).toBe('recovers');
    expect(classifyTrial([{ operations: run('ok') }]).kind).toBe('interrupted');
    expect(classifyTrial([]).kind).toBe('interrupted');
  });
});

describe('describeOperations', () => {
  it('names each operation, its outcome and its latency', () => {
    expect(describeOperations(run('hang', 'error', 'ok'))).toBe(
      'first hang (>20 s), second error ERR_POSTGRES_CONNECTION_CLOSED (1.1 ms), concurrent ok (5.2 ms)',
    );
  });
});
