// <Stat> values come from the latest run's records; misuse is an authoring error, absence is null.
import { expect, test } from 'vitest';
import type { RunRecord } from '../../../repro/core/record/schema.ts';
import { latestRun } from '../../../src/lib/runs.ts';
import { fixed } from '../../../src/lib/format.ts';
import { statValue } from '../../../src/lib/stats.ts';
import { sqlVerdictView } from '../../../src/scenarios/sql-pool/verdicts.ts';
import { fixtureRecords } from './fixtures.ts';

test('s3-leak metrics', () => {
  const v = (build: 'zig' | 'rust', metric: string) =>
    statValue(fixtureRecords, { scenario: 's3-leak', build, metric });
  expect(v('zig', 'verdict')).toBe('crossed the RSS threshold');
  expect(v('rust', 'verdict')).toBe('stayed bounded');
  expect(v('zig', 'thresholdIteration')).toBe('25');
  expect(v('rust', 'thresholdIteration')).toBe('not reached');
  expect(v('zig', 'baselineRssMiB')).toBe('100.0 MiB');
  expect(v('zig', 'peakRssMiB')).toBe('1060.0 MiB');
  expect(v('zig', 'growthMiBPerIteration')).toBe('32.00 MiB per iteration');
  expect(v('zig', 'version')).toBe('1.3.14+0d9b296af');
  expect(v('zig', 'memoryCap')).toBe('1,024 MiB (the harness watchdog)');
  expect(v('rust', 'iterations')).toBe('40');
});

test('sql-pool metrics, with and without a trial', () => {
  const q = { scenario: 'sql-pool' as const, build: 'zig' as const };
  expect(statValue(fixtureRecords, { ...q, metric: 'verdict', trial: 'blackhole/after' })).toBe(
    'hangs 10/10 (72–100 %)',
  );
  expect(statValue(fixtureRecords, { ...q, metric: 'verdict', trial: 'cold-start/after' })).toBe(
    'corrupted 7/10 (40–89 %), recovers 3 · 2 not met',
  );
  expect(statValue(fixtureRecords, { ...q, metric: 'conditionMet', trial: 'cold-start/after' })).toBe(
    '10 of 12 attempts',
  );
  expect(statValue(fixtureRecords, { ...q, build: 'rust', metric: 'firstLatencyMs', trial: 'rst/after' })).toBe(
    '11 ms',
  );
  expect(statValue(fixtureRecords, { ...q, metric: 'firstLatencyMs', trial: 'blackhole/after' })).toBe(
    '≥ 10.0 s (watchdog)',
  );
  expect(statValue(fixtureRecords, { ...q, metric: 'trials' })).toBe('6');
  expect(statValue(fixtureRecords, { ...q, metric: 'notMet' })).toBe('2');
  expect(statValue(fixtureRecords, { ...q, metric: 'verdict', trial: 'nope/after' })).toEqual({
    lacks: 'needs the nope/after trial',
  });
});

test('whether the builds differ is a stated test, read without a build', () => {
  const q = { scenario: 'sql-pool' as const, metric: 'difference' };
  // Adjusted (Holm) over the six trials both builds ran.
  expect(statValue(fixtureRecords, { ...q, trial: 'cold-start/after' })).toBe(
    "different (Fisher's exact test, p = 0.003; Holm-adjusted over 6 trials, p = 0.02)",
  );
  expect(statValue(fixtureRecords, { ...q, trial: 'rst/after' })).toBe(
    "not shown to differ (Fisher's exact test, p = 1.00; Holm-adjusted over 6 trials, p = 1.00)",
  );
  // Below 5 % alone, not once adjusted: said so, and not counted as a difference.
  expect(statValue(fixtureRecords, { ...q, trial: 'kernel-blackhole/after/long' })).toBe(
    "suggestive, not significant after adjustment (Fisher's exact test, p = 0.03; Holm-adjusted over 6 trials, p = 0.11)",
  );
  expect(() => statValue(fixtureRecords, { ...q, build: 'zig', trial: 'rst/after' })).toThrow(/no build/);
  expect(statValue(fixtureRecords, { scenario: 'sql-pool', metric: 'differingTrials' })).toBe(
    'blackhole/timer and cold-start/after',
  );
});

test('no recorded run gives null, not a number', () => {
  expect(statValue([], { scenario: 's3-leak', build: 'zig', metric: 'peakRssMiB' })).toBeNull();
  expect(sqlVerdictView([])).toBeUndefined();
});

test("a reader's run made with other flags: the value says what the run lacks, and nothing throws", () => {
  const upload = fixtureRecords.filter((r) => r.scenario === 's3-upload');
  const small = upload.map(
    (r) =>
      ({
        ...r,
        runId: 'small',
        parameters: { ...r.parameters, payloadMiB: [8, 16] },
        verdict: { ...r.verdict, sizes: [] },
      }) as RunRecord,
  );
  expect(statValue(small, { scenario: 's3-upload', trial: upload[0]!.runtime.version, metric: 'rise256' })).toEqual({
    lacks: 'needs a 256 MiB upload (this run uploaded 8 and 16 MiB)',
  });
  expect(statValue(small, { scenario: 's3-upload', trial: '9.9.9', metric: 'ratio' })).toEqual({
    lacks: 'no 9.9.9 build in this run',
  });
  const rustOnly = fixtureRecords.filter((r) => r.runtime.line === 'rust');
  expect(statValue(rustOnly, { scenario: 's3-leak', build: 'zig', metric: 'peakRssMiB' })).toEqual({
    lacks: 'no Zig build in this run',
  });
  expect(statValue(rustOnly, { scenario: 'sql-pool', build: 'zig', metric: 'verdict', trial: 'rst/after' })).toEqual({
    lacks: 'no Zig build in this run',
  });
  expect(statValue(rustOnly, { scenario: 'sql-pool', metric: 'difference', trial: 'rst/after' })).toEqual({
    lacks: 'needs the rst/after trial of both a Zig and a Rust build',
  });
});

test('misuse names what is allowed', () => {
  expect(() => statValue(fixtureRecords, { scenario: 's3-leak', build: 'zig', metric: 'peak' })).toThrow(
    /unknown s3-leak metric "peak"; known: verdict, iterations/,
  );
  expect(() => statValue(fixtureRecords, { scenario: 'sql-pool', build: 'zig', metric: 'verdict' })).toThrow(
    /needs trial="fault\/ordering"/,
  );
});

test('the latest complete run wins over a newer interrupted one', () => {
  const newer = fixtureRecords
    .filter((r) => r.scenario === 's3-leak')
    .map((r) => ({ ...r, runId: 'newer', startedAt: '2026-06-01T00:00:00.000Z', status: 'interrupted' }) as RunRecord);
  expect(latestRun([...fixtureRecords, ...newer], 's3-leak')[0].runId).toBe('fixture-s3');
  expect(latestRun(newer, 's3-leak')[0].runId).toBe('newer');
  expect(latestRun(fixtureRecords, 's3-leak').map((r) => r.runtime.line)).toEqual(['zig', 'rust']);
});

test('fixed() never prints negative zero', () => {
  expect(fixed(-0.001, 2)).toBe('0.00');
  expect(fixed(-0.5, 2)).toBe('-0.50');
});
