// The quick protocol's stopping rule, checked against the full protocol on the published records:
// it must stop the bounded build and never stop a build whose full run crossed the target.
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { readRecords } from '../../../repro/harness/record/read.ts';
import type { S3LeakRecord, S3Sample } from '../../../repro/core/record/schema.ts';
import { MiB } from '../../../repro/core/table.ts';
import { firstStop, project, QUICK_RULE } from '../../../repro/scenarios/s3-leak/stopping-rule.ts';

const published = async () => {
  const records = (await readRecords([fromRoot('content', 'runs', 's3-leak')])).map((l) => l.record);
  return records.filter((r): r is S3LeakRecord => r.scenario === 's3-leak' && r.status === 'complete');
};

const series = (reads: number, mibAt: (i: number) => number): S3Sample[] =>
  Array.from({ length: reads + 1 }, (_, i) => ({
    iteration: i,
    elapsedMs: i,
    rss: Math.round(mibAt(i) * MiB),
    heapUsed: 1,
    external: 1,
    arrayBuffers: 1,
    anonRss: null,
  }));

test('on the published records, the rule agrees with the full protocol', async () => {
  const records = await published();
  expect(records.map((r) => r.verdict.kind).sort()).toEqual(['bounded', 'threshold-crossed']);
  for (const r of records) {
    const stop = firstStop(r.samples, r.parameters.targetRssMiB, r.parameters.maxIterations);
    if (r.verdict.kind === 'bounded') {
      // Stopped at the first read the rule is allowed to look at, far below the target.
      expect(stop?.reads).toBe(QUICK_RULE.minReads);
      expect(stop!.projectedPeakMiB).toBeLessThan(r.parameters.targetRssMiB / 4);
    } else {
      expect(stop).toBeNull();
    }
  }
});

test('a slow leak that the full protocol would carry past the target is never stopped', () => {
  // 0.25 MiB per read from 50 MiB reaches 900 MiB at read 3400 of 4096.
  const slow = series(3400, (i) => 50 + 0.25 * i + (i % 7) * 0.3);
  expect(firstStop(slow, 900, 4096)).toBeNull();
});

test('noise with autocorrelation does not pass for a tighter bound than it has', () => {
  // A flat series with a slow wave (strongly autocorrelated residuals) around 60 MiB.
  const wavy = series(QUICK_RULE.minReads, (i) => 60 + 4 * Math.sin(i / 20));
  const p = project(wavy, 900, 4096)!;
  const naive = project(wavy, 900, 4096, { ...QUICK_RULE, z: 0 })!;
  expect(p.slopeUpperMiBPerRead).toBeGreaterThan(naive.slopeUpperMiBPerRead);
  expect(p.bounded).toBe(true);
});

test('nothing is decided before the minimum number of reads', () => {
  expect(
    project(
      series(QUICK_RULE.minReads - 1, () => 50),
      900,
      4096,
    ),
  ).toBeNull();
});
