// The live page's progress line: the total from the run's parameters, the time left from the rate so
// far on the recorded clock, on the reader's clock in a replay; each scenario's progress read from its
// published records (written before the plan was recorded: what a replay derives from them, and no more).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type {
  S3LeakRecord,
  S3Upload,
  S3UploadRecord,
  SqlPoolRecord,
  SqlTrial,
} from '../../../repro/core/record/schema.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { plan, uploadMs, withControlRepetitions } from '../../../repro/scenarios/s3-upload/plan.ts';
import { faults } from '../../../repro/scenarios/sql-pool/faults.ts';
import { withPlan } from '../../../repro/scenarios/sql-pool/plan.ts';
import { isOutcome } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { everyWatchdogMs } from '../../../repro/scenarios/sql-pool/watchdogs.ts';
import { progressLine, progressLines, roughDuration, timeLeftMs } from '../../../src/live/progress.ts';
import { s3LeakLive } from '../../../src/scenarios/s3-leak/live.ts';
import { s3UploadLive } from '../../../src/scenarios/s3-upload/live.ts';
import { sqlPoolLive } from '../../../src/scenarios/sql-pool/live.ts';
import type { LiveProgress } from '../../../src/scenarios/types.ts';

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

test('builds that run together give one time left, the sum of theirs, once each running build has a rate', () => {
  const a: LiveProgress = { text: 'a', left: 10, msPerUnit: 100, waitMs: 2000 };
  const b: LiveProgress = { text: 'b', left: 5, msPerUnit: 200 };
  expect(timeLeftMs(a)).toBe(3000);
  const lines = (progress: LiveProgress[], together: boolean, speed = 1) =>
    progressLines(
      progress.map((p, i) => ({ label: `B${i}`, progress: p })),
      together,
      speed,
    );
  expect(lines([a, b], true)).toBe('B0: a; B1: b · about 4 s left');
  expect(lines([a, b], true, 2)).toBe('B0: a; B1: b · about 2 s left');
  expect(lines([a, b], false)).toBe('B0: a · about 3 s left; B1: b · about 1 s left');
  // A build with nothing left adds nothing; one without a rate yet leaves the run's time unknown.
  expect(lines([a, { ...b, left: 0 }], true)).toBe('B0: a; B1: b · about 3 s left');
  expect(lines([a, { ...b, msPerUnit: null }], true)).toBe('B0: a; B1: b');
});

/** A scenario's published records (content/runs/<scenario>/), as written. */
function published<R>(scenario: string): R[] {
  const dir = fromRoot('content', 'runs', scenario);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as R);
}

test("s3-upload: N of the run's planned uploads, the pace per MiB so far; an older record says only what it shows", () => {
  const record = published<S3UploadRecord>('s3-upload')[0]!;
  expect(record.parameters.controlRepetitions).toBeUndefined();
  // Written before the plan was recorded: the count alone, as before.
  const partialOld: S3UploadRecord = { ...record, status: 'partial', uploads: record.uploads.slice(0, 4) };
  expect(s3UploadLive.progress(partialOld)).toEqual({ text: '4 upload(s)', left: null, msPerUnit: null });
  // Complete, it ran every upload it planned: the replay takes its control's length from them.
  const parameters = withControlRepetitions(record);
  expect(parameters.controlRepetitions).toBe(3);
  expect(plan({ ...parameters, controlRepetitions: 3 })).toHaveLength(record.uploads.length);
  // An interrupted one shows no plan: nothing is made up.
  expect(withControlRepetitions({ ...record, status: 'interrupted' })).toBe(record.parameters);

  const partial: S3UploadRecord = { ...partialOld, parameters };
  const done = partial.uploads;
  const progress = s3UploadLive.progress(partial);
  expect(progress.text).toBe(`4 of ${record.uploads.length} uploads`);
  const mib = (us: readonly S3Upload[]) => us.reduce((n, u) => n + u.payloadMiB, 0);
  expect(progress.left).toBe(mib(record.uploads.slice(4)));
  expect(progress.msPerUnit).toBeCloseTo(done.reduce((ms, u) => ms + uploadMs(u), 0) / mib(done));
  // The probe's whole life is the pace where the record has it.
  expect(uploadMs({ ...done[0]!, probeMs: 12_345 })).toBe(12_345);
  expect(s3UploadLive.progress({ ...partial, uploads: [] })).toEqual({
    text: `0 of ${record.uploads.length} uploads`,
    left: mib(record.uploads),
    msPerUnit: null,
  });
  // The build's whole record: the count, nothing left to estimate.
  expect(s3UploadLive.progress({ ...record, parameters })).toEqual({
    text: `${record.uploads.length} of ${record.uploads.length} uploads`,
    left: null,
    msPerUnit: null,
  });
  // No control: the plan needs no control length.
  const noControl = { ...partialOld.parameters, controlPayloadMiB: [], methods: ['s3-write' as const] };
  expect(s3UploadLive.progress({ ...partialOld, parameters: noControl }).text).toBe(
    `4 of ${record.parameters.payloadMiB.length * record.parameters.repetitions} uploads`,
  );
});

test("sql-pool: N of the run's planned trials, the pace beyond the pauses, the pauses still to come", () => {
  const record = published<SqlPoolRecord>('sql-pool')[0]!;
  expect(record.parameters.plan).toBeUndefined();
  expect(sqlPoolLive.progress({ record: { ...record, status: 'partial', trials: record.trials.slice(0, 2) } })).toEqual(
    { text: '2 trial(s)', left: null, msPerUnit: null },
  );
  expect(withPlan({ ...record, status: 'interrupted' })).toBe(record.parameters);
  const parameters = withPlan(record);
  expect(parameters.plan!.map((t) => t.id)).toEqual(record.trials.map((t) => t.id));
  expect(sqlPoolLive.together).toBe(true);

  // Three trials done, the fourth two repetitions in.
  const [t0, t1, t2, t3] = record.trials as [SqlTrial, SqlTrial, SqlTrial, SqlTrial];
  const current = { ...t3, repetitions: t3.repetitions.slice(0, 2) };
  const progress = sqlPoolLive.progress({
    record: { ...record, parameters, status: 'partial', trials: [t0, t1, t2] },
    current,
  });
  expect(progress.text).toBe(`3 of ${record.trials.length} trials`);
  const counted = current.repetitions.filter((r) => isOutcome(r.verdict)).length;
  const later = record.trials.slice(4);
  expect(progress.left).toBe(t3.wanted - counted + later.reduce((n, t) => n + t.wanted, 0));
  // The pauses, and the watchdogs of the silent faults' trials (blackhole), which no pace shortens.
  const silentMs = (t: SqlTrial) => (faults[t.fault].silent ? everyWatchdogMs(parameters) : 0);
  expect(later.some((t) => silentMs(t) > 0)).toBe(true);
  expect(progress.waitMs).toBe(
    (t3.wanted - counted) * t3.pauseMs + later.reduce((ms, t) => ms + t.wanted * (t.pauseMs + silentMs(t)), 0),
  );
  const beyond = [t0, t1, t2, current].flatMap((t) => t.repetitions.map((r) => r.events.at(-1)!.t - t.pauseMs));
  expect(progress.msPerUnit).toBeCloseTo(beyond.reduce((a, b) => a + b, 0) / beyond.length);
  // Every trial done: nothing left.
  expect(sqlPoolLive.progress({ record: { ...record, parameters } })).toMatchObject({
    text: `${record.trials.length} of ${record.trials.length} trials`,
    left: 0,
  });
});

test('sql-pool: a silent fault waits out every watchdog, so the time left holds to what the rest of the run took', () => {
  // Time on the harness's clock from the first repetition of trial `from` to the end of the build's run.
  const rest = (record: SqlPoolRecord, from: number) =>
    record.trials.slice(from).reduce((ms, t) => ms + t.repetitions.reduce((n, r) => n + r.events.at(-1)!.t, 0), 0);
  const waited = (t: SqlTrial) =>
    t.repetitions.map((r) => r.operations.reduce((ms, o) => ms + (o.outcome === 'hang' ? o.latencyMs : 0), 0));
  for (const record of published<SqlPoolRecord>('sql-pool')) {
    const parameters = withPlan(record);
    const silent = record.trials.flatMap((t, i) => (faults[t.fault].silent ? [i] : []));
    expect(silent.length).toBeGreaterThan(0);
    // Nothing answered after resume: each repetition of the short-pause silent trials waited for every watchdog.
    for (const i of silent.filter((i) => record.trials[i]!.pauseMs === record.trials[0]!.pauseMs)) {
      expect(new Set(waited(record.trials[i]!))).toEqual(new Set([everyWatchdogMs(parameters)]));
    }
    // Before the first silent trial, and once they are past (their watchdogs kept out of the pace),
    // the estimate is within a tenth of what the rest took; from the pace alone it was about a third.
    const past = silent.findIndex((i, k) => silent[k + 1] !== i + 1) + 1;
    for (const done of [silent[0]!, silent[past - 1]! + 1]) {
      const trials = record.trials.slice(0, done);
      const left = timeLeftMs(sqlPoolLive.progress({ record: { ...record, parameters, status: 'partial', trials } }))!;
      expect(Math.abs(left / rest(record, done) - 1), `${record.runId} after ${done} trials`).toBeLessThan(0.1);
    }
    // Under way, the build's latest repetition says: one that did not hang (keepalive found the dead
    // path in the long pause) waits no watchdog for the rest of the trial.
    const last = record.trials.length - 1;
    const long = record.trials[last]!;
    expect(faults[long.fault].silent).toBe(true);
    const current = { ...long, repetitions: long.repetitions.slice(0, 1) };
    const progress = sqlPoolLive.progress({
      record: { ...record, parameters, status: 'partial', trials: record.trials.slice(0, last) },
      current,
    });
    expect(progress.left).toBe(long.wanted - 1);
    expect(progress.waitMs).toBe((long.wanted - 1) * (long.pauseMs + waited(long)[0]!));
  }
  // The published builds differ there: one hangs, the other recovers.
  const longWaits = published<SqlPoolRecord>('sql-pool').map((r) => waited(r.trials.at(-1)!)[0]);
  expect(new Set(longWaits).size).toBe(2);
});
