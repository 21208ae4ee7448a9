// The s3-leak verdict and growth maths: pure functions of what a run gathered, unit-tested on
// synthetic samples (tests/repro/s3-leak/verdict.test.ts).
import { errorLine } from '../../core/errors.ts';
import type { Check, OutsideSample, S3Sample, S3Verdict } from '../../core/record/schema.ts';
import { MiB } from '../../core/table.ts';
import type { Projection } from './stopping-rule.ts';
import { leastSquaresSlope } from '../../core/maths.ts';

/** Least-squares slope of y over x; 0 for fewer than two points or no spread in x. */

/** RSS growth in MiB per read, over the reads (the baseline, iteration 0, is left out). */
export function growthMiBPerIteration(samples: readonly S3Sample[]): number {
  return leastSquaresSlope(samples.filter((s) => s.iteration > 0).map((s) => [s.iteration, s.rss / MiB] as const));
}

/**
 * The verdict's figures, from the samples alone: the last read, the baseline RSS, the peak RSS while
 * reading, and the growth per read. A record's summary holds these; compare recomputes them from the
 * record's samples with this same function and rejects a record whose summary says otherwise.
 */
export function measuredFigures(
  samples: readonly S3Sample[],
  outside: readonly OutsideSample[],
  loopStartMs: number | null,
) {
  // The outside samples see the last moments before a kill, which the probe never got to report;
  // those before the first read (writing the object) do not count.
  const duringReads = outside.filter((s) => loopStartMs === null || s.elapsedMs >= loopStartMs);
  // A loop, not Math.max(...): a long run has hundreds of thousands of samples.
  let peakRssBytes = 0;
  for (const s of samples) peakRssBytes = Math.max(peakRssBytes, s.rss);
  for (const s of duringReads) peakRssBytes = Math.max(peakRssBytes, s.vmRss);
  return {
    iteration: samples.at(-1)?.iteration ?? 0,
    baselineRssBytes: samples[0]?.rss ?? outside[0]?.vmRss ?? 0,
    peakRssBytes,
    growthMiBPerIteration: growthMiBPerIteration(samples),
  };
}

/** How the probe process ended, as the harness saw it. */
export interface ProbeOutcome {
  /** The probe's own last line: why it stopped, if it got that far. */
  end: { reason: 'threshold' | 'max-iterations'; iteration: number; verifiedReads: number } | null;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /**
   * When the probe's baseline sample arrived, on the outside samples' clock; null if it never did.
   * Outside samples before it (writing the object) do not count towards the peak of the reads.
   */
  loopStartMs: number | null;
  /** The harness's watchdog killed it at the cap. */
  watchdogKilled: boolean;
  /** Ctrl-C/SIGTERM: the harness stopped it. */
  interrupted: boolean;
  /** The quick protocol's stopping rule stopped it: bounded by projection (stopping-rule.ts). */
  projection?: Projection | null;
  /** The probe's stderr tail (or a harness error), for the message of an error verdict. */
  errorText: string;
  wallMs: number;
}

export interface VerdictParameters {
  targetRssMiB: number;
  maxIterations: number;
  memoryCapMiB: number;
}

export function decideVerdict(
  samples: readonly S3Sample[],
  outside: readonly OutsideSample[],
  outcome: ProbeOutcome,
  parameters: VerdictParameters,
): S3Verdict {
  const base = { ...measuredFigures(samples, outside, outcome.loopStartMs), wallMs: outcome.wallMs };
  const { iteration, peakRssBytes } = base;
  const peak = `${(peakRssBytes / MiB).toFixed(1)} MiB`; // the peak while reading, setup excluded
  const { exit } = outcome;

  if (outcome.interrupted) {
    return { ...base, kind: 'interrupted', message: `interrupted after ${iteration} reads (peak RSS ${peak})` };
  }
  if (outcome.watchdogKilled) {
    return {
      ...base,
      kind: 'oom-killed',
      message: `killed by the harness watchdog at the ${parameters.memoryCapMiB} MiB cap after ${iteration} reads (peak RSS ${peak})`,
    };
  }
  // Stopped by the quick protocol's rule, unless the probe reached the target before the stop landed.
  if (outcome.projection && outcome.end?.reason !== 'threshold') {
    const { reads, slopeMiBPerRead, slopeUpperMiBPerRead, projectedPeakMiB } = outcome.projection;
    return {
      ...base,
      kind: 'bounded',
      message:
        `projected under ${parameters.targetRssMiB} MiB for all ${parameters.maxIterations} reads: after ${reads} reads, ` +
        `growth ≤ ${slopeUpperMiBPerRead.toFixed(4)} MiB/read at 95 % (peak RSS ${peak}, at most ${projectedPeakMiB.toFixed(1)} MiB projected)`,
      projection: { reads, slopeMiBPerRead, slopeUpperMiBPerRead, projectedPeakMiB },
    };
  }
  if (outcome.end === null && exit.signal === 'SIGKILL') {
    return {
      ...base,
      kind: 'oom-killed',
      message: `killed by the kernel (SIGKILL, OOM) after ${iteration} reads (peak RSS ${peak})`,
    };
  }
  if (outcome.end?.reason === 'threshold' && exit.code === 0) {
    return {
      ...base,
      kind: 'threshold-crossed',
      message: `RSS reached ${peak}, past the ${parameters.targetRssMiB} MiB target, at read ${iteration}`,
    };
  }
  if (outcome.end?.reason === 'max-iterations' && exit.code === 0) {
    return {
      ...base,
      kind: 'bounded',
      message: `stayed under ${parameters.targetRssMiB} MiB for all ${iteration} reads (peak RSS ${peak})`,
    };
  }
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const why = errorLine(outcome.errorText);
  return { ...base, kind: 'error', message: `probe ${how} after ${iteration} reads: ${why}` };
}

/**
 * The run's condition: every read returned the whole object. The probe checks each read's size and
 * stops at the first short one; it reports the count at the end, and each sample follows a checked
 * read, so a killed probe's last sample says how many it checked.
 */
export function readsVerified(samples: readonly S3Sample[], end: ProbeOutcome['end'], payloadMiB: number): Check {
  const reads = samples.at(-1)?.iteration ?? 0;
  const verified = end?.verifiedReads ?? reads;
  return {
    name: 'every-read-verified',
    met: verified === reads && reads > 0,
    observed: `${verified} of ${reads} reads returned the whole ${payloadMiB} MiB object`,
  };
}
