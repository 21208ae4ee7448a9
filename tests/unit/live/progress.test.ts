// The live page's progress line: the total from the run's parameters, the time left from the rate so
// far on the recorded clock, on the reader's clock in a replay; s3-leak's progress read from a real record.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { progressLine, roughDuration, timeLeftMs } from '../../../src/live/progress.ts';
import { s3LeakLive } from '../../../src/scenarios/s3-leak/live.ts';

test('the time left is the units left at the rate so far, divided by the replay speed', () => {
  const p = { text: 'read 37 of 96', left: 59, msPerUnit: 700 };
  expect(timeLeftMs(p)).toBe(41_300);
  expect(timeLeftMs(p, 10)).toBe(4_130);
  expect(progressLine(p)).toBe('read 37 of 96 · about 41 s left');
  // No rate yet, nothing left, or no total: the count alone.
  expect(progressLine({ ...p, msPerUnit: null })).toBe('read 37 of 96');
  expect(progressLine({ ...p, left: 0 })).toBe('read 37 of 96');
  expect(progressLine({ text: '3 trial(s)', left: null, msPerUnit: 10 })).toBe('3 trial(s)');
});

test('durations read as an estimate', () => {
  expect(roughDuration(200)).toBe('1 s');
  expect(roughDuration(40_400)).toBe('40 s');
  expect(roughDuration(89_000)).toBe('89 s');
  expect(roughDuration(3 * 60_000 + 10_000)).toBe('3 min');
  expect(roughDuration(80 * 60_000)).toBe('80 min');
  expect(roughDuration(2 * 3_600_000 + 20 * 60_000)).toBe('2 h 20 min');
});

test("s3-leak: read N of the run's bound, the rate from the probe's clock, and where a finished build stopped", () => {
  const dir = fromRoot('content', 'runs', 's3-leak');
  const record = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as S3LeakRecord)
    .find((r) => r.verdict.kind === 'bounded')!;
  const total = record.parameters.maxIterations;
  const partial: S3LeakRecord = { ...record, status: 'partial', samples: record.samples.slice(0, 101) };
  const at = partial.samples.at(-1)!;
  const progress = s3LeakLive.progress(partial);
  expect(progress.text).toBe(`read ${at.iteration} of ${total}`);
  expect(progress.left).toBe(total - at.iteration);
  expect(progress.msPerUnit).toBeCloseTo(
    (at.elapsedMs - partial.samples[0]!.elapsedMs) / (at.iteration - partial.samples[0]!.iteration),
  );
  expect(s3LeakLive.progress({ ...partial, samples: [] }).text).toBe('starting');
  expect(s3LeakLive.progress(record)).toEqual({
    text: `stopped at read ${record.samples.at(-1)!.iteration} of at most ${total}`,
    left: null,
    msPerUnit: null,
  });
});
