// Verdict and growth maths on synthetic samples: no Bun, no S3.
import { describe, expect, test } from 'vitest';
import type { OutsideSample, S3Sample } from '../../../repro/core/record/schema.ts';
import { leastSquaresSlope } from '../../../repro/core/maths.ts';
import {
  decideVerdict,
  growthMiBPerIteration,
  readsVerified,
  type ProbeOutcome,
} from '../../../repro/scenarios/s3-leak/verdict.ts';

const MiB = 1024 * 1024;
const params = { targetRssMiB: 900, maxIterations: 4096, memoryCapMiB: 1024 };

/** Samples 0..n with RSS = base + slope·i (+ a deterministic ±0.5 MiB wobble). */
function samples(n: number, baseMiB: number, slopeMiB: number, wobble = false): S3Sample[] {
  return Array.from({ length: n + 1 }, (_, i) => ({
    iteration: i,
    elapsedMs: i * 25,
    rss: Math.round((baseMiB + slopeMiB * i + (wobble ? (i % 2 ? 0.5 : -0.5) : 0)) * MiB),
    heapUsed: MiB,
    external: MiB,
    arrayBuffers: 0,
    anonRss: null,
  }));
}

const clean: ProbeOutcome = {
  end: { reason: 'max-iterations', iteration: 0, verifiedReads: 0 },
  loopStartMs: null,
  exit: { code: 0, signal: null },
  watchdogKilled: false,
  interrupted: false,
  errorText: '',
  wallMs: 1000,
};

describe('leastSquaresSlope', () => {
  test('recovers the slope of a line exactly', () => {
    expect(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
        [3, 7],
      ]),
    ).toBeCloseTo(2, 12);
  });
  test('is 0 for a flat line, one point, or no spread in x', () => {
    expect(
      leastSquaresSlope([
        [0, 5],
        [1, 5],
        [2, 5],
      ]),
    ).toBe(0);
    expect(leastSquaresSlope([[4, 5]])).toBe(0);
    expect(
      leastSquaresSlope([
        [1, 1],
        [1, 9],
      ]),
    ).toBe(0);
  });
  test('averages out symmetric noise', () => {
    const points = Array.from({ length: 100 }, (_, i) => [i, 3 * i + (i % 2 ? 4 : -4)] as const);
    expect(leastSquaresSlope(points)).toBeCloseTo(3, 2);
  });
});

describe('growthMiBPerIteration', () => {
  test('an 8 MiB-per-read leak measures 8 MiB per iteration', () => {
    expect(growthMiBPerIteration(samples(24, 60, 8, true))).toBeCloseTo(8, 1);
  });
  test('leaves out the baseline (iteration 0), which is taken before the first read', () => {
    const s = samples(10, 50, 0);
    s[0]!.rss = 10 * MiB; // a baseline far below the plateau must not tilt the slope
    expect(growthMiBPerIteration(s)).toBe(0);
  });
});

describe('decideVerdict', () => {
  test('threshold-crossed when the probe reports it stopped at the target', () => {
    const s = samples(106, 60, 8);
    const v = decideVerdict(
      s,
      [],
      { ...clean, end: { reason: 'threshold', iteration: 106, verifiedReads: 106 } },
      params,
    );
    expect(v).toMatchObject({
      kind: 'threshold-crossed',
      iteration: 106,
      baselineRssBytes: 60 * MiB,
      peakRssBytes: 908 * MiB,
    });
    expect(v.growthMiBPerIteration).toBeCloseTo(8, 6);
    expect(v.message).toBe('RSS reached 908.0 MiB, past the 900 MiB target, at read 106');
  });

  test('bounded when all reads finish under the target', () => {
    const v = decideVerdict(samples(4096, 50, 0, true), [], clean, params);
    expect(v.kind).toBe('bounded');
    expect(Math.abs(v.growthMiBPerIteration)).toBeLessThan(0.001);
  });

  test('oom-killed by the watchdog; the peak comes from the outside samples the probe never reported', () => {
    const outside: OutsideSample[] = [{ elapsedMs: 900, vmRss: 1030 * MiB, rssAnon: 1000 * MiB, cgroupCurrent: null }];
    const v = decideVerdict(
      samples(100, 60, 8),
      outside,
      { ...clean, end: null, exit: { code: null, signal: 'SIGKILL' }, watchdogKilled: true },
      params,
    );
    expect(v).toMatchObject({ kind: 'oom-killed', iteration: 100, peakRssBytes: 1030 * MiB });
    expect(v.message).toMatch(/harness watchdog at the 1024 MiB cap after 100 reads/);
  });

  test('the peak is that of the reads: outside samples taken while the object was written do not count', () => {
    const outside: OutsideSample[] = [
      { elapsedMs: 100, vmRss: 80 * MiB, rssAnon: 60 * MiB, cgroupCurrent: null },
      { elapsedMs: 300, vmRss: 52 * MiB, rssAnon: 30 * MiB, cgroupCurrent: null },
    ];
    const v = decideVerdict(samples(10, 50, 0), outside, { ...clean, loopStartMs: 200 }, params);
    expect(v.peakRssBytes).toBe(52 * MiB);
  });

  test('oom-killed by the kernel: SIGKILL that the harness did not send', () => {
    const v = decideVerdict(
      samples(108, 60, 8),
      [],
      { ...clean, end: null, exit: { code: null, signal: 'SIGKILL' } },
      params,
    );
    expect(v.kind).toBe('oom-killed');
    expect(v.message).toMatch(/killed by the kernel/);
  });

  test('interrupted wins over everything else', () => {
    const v = decideVerdict(
      samples(5, 60, 8),
      [],
      { ...clean, end: null, exit: { code: null, signal: 'SIGTERM' }, interrupted: true },
      params,
    );
    expect(v.kind).toBe('interrupted');
  });

  test('error: a crash, with the last line of stderr as the reason', () => {
    const v = decideVerdict(
      samples(0, 60, 0),
      [],
      { ...clean, end: null, exit: { code: 1, signal: null }, errorText: 'trace\nerror: AccessDenied\n' },
      params,
    );
    expect(v).toMatchObject({ kind: 'error', message: 'probe exited with code 1 after 0 reads: error: AccessDenied' });
  });

  test('no samples at all still gives a valid verdict', () => {
    const v = decideVerdict([], [], { ...clean, end: null, exit: { code: 1, signal: null } }, params);
    expect(v).toMatchObject({
      kind: 'error',
      iteration: 0,
      baselineRssBytes: 0,
      peakRssBytes: 0,
      growthMiBPerIteration: 0,
    });
  });
});

describe("readsVerified: the run's condition, every read returned the whole object", () => {
  test('met when the probe verified every read it sampled', () => {
    expect(
      readsVerified(samples(24, 60, 8), { reason: 'max-iterations', iteration: 24, verifiedReads: 24 }, 8),
    ).toEqual({
      name: 'every-read-verified',
      met: true,
      observed: '24 of 24 reads returned the whole 8 MiB object',
    });
  });
  test('not met when fewer reads were verified than sampled', () => {
    const check = readsVerified(samples(24, 60, 8), { reason: 'max-iterations', iteration: 24, verifiedReads: 23 }, 8);
    expect(check.met).toBe(false);
    expect(check.observed).toBe('23 of 24 reads returned the whole 8 MiB object');
  });
  test('a killed probe (no end line): each sample follows a verified read', () => {
    expect(readsVerified(samples(7, 60, 8), null, 8)).toMatchObject({
      met: true,
      observed: '7 of 7 reads returned the whole 8 MiB object',
    });
  });
  test('no read at all is not a met condition', () => {
    expect(readsVerified(samples(0, 60, 0), null, 8).met).toBe(false);
    expect(readsVerified([], null, 8).met).toBe(false);
  });
});
