// The quick protocol's stopping rule for a build that does not leak. A leaking build decides itself:
// it crosses the target. A bounded one would otherwise read all maxIterations times (4096 reads, about
// seven minutes of a Rust build here), so the quick protocol stops it as soon as its own samples show,
// at 95 % confidence, that the full protocol could not end otherwise than bounded:
//
//   after at least `minReads` reads, highest RSS so far + upper bound of the growth per read ×
//   the reads still to come  <  the target.
//
// The growth is the least-squares slope of the probe's RSS over the reads. Successive samples are
// strongly correlated (lag-1 autocorrelation of the residuals is about 0.85 in the reference run), so
// the slope's standard error is widened by sqrt((1 + ρ) / (1 − ρ)), the AR(1) correction; without it,
// the interval would be about four times too narrow. The rule is checked against the full protocol on
// the published records (tests/repro/s3-leak/stopping-rule.test.ts) and in the methodology.
import type { S3Sample } from '../../core/record/schema.ts';
import { MiB } from '../../core/table.ts';
import { linearFit } from '../../core/maths.ts';

export interface StoppingRule {
  minReads: number;
  /** Two-sided normal quantile for the upper bound: 1.96 for 95 %. */
  z: number;
}

export const QUICK_RULE: StoppingRule = { minReads: 256, z: 1.96 };

export interface Projection {
  reads: number;
  slopeMiBPerRead: number;
  /** Upper 95 % bound of the slope, autocorrelation-corrected. */
  slopeUpperMiBPerRead: number;
  /** The highest RSS the full protocol could reach at that bound, MiB. */
  projectedPeakMiB: number;
  /** True when the projection stays under the target: the quick protocol may stop here. */
  bounded: boolean;
}

/** The projection after the samples so far; null before `minReads` reads. */
export function project(
  samples: readonly S3Sample[],
  targetRssMiB: number,
  maxIterations: number,
  rule: StoppingRule = QUICK_RULE,
): Projection | null {
  const points = samples.filter((s) => s.iteration > 0);
  const n = points.length;
  if (n < rule.minReads || n < 3) return null;
  const peak = Math.max(...points.map((s) => s.rss / MiB));
  const { slope, meanX, meanY, sxx } = linearFit(points.map((s) => [s.iteration, s.rss / MiB] as const));
  if (sxx === 0) return null;
  let squares = 0;
  let lagged = 0;
  let previous: number | null = null;
  for (const s of points) {
    const residual = s.rss / MiB - meanY - slope * (s.iteration - meanX);
    squares += residual ** 2;
    if (previous !== null) lagged += residual * previous;
    previous = residual;
  }
  const rho = squares === 0 ? 0 : Math.min(0.99, Math.max(0, lagged / squares));
  const standardError = Math.sqrt(squares / (n - 2) / sxx) * Math.sqrt((1 + rho) / (1 - rho));
  const upper = slope + rule.z * standardError;
  const remaining = Math.max(0, maxIterations - (points.at(-1)?.iteration ?? 0));
  const projectedPeakMiB = peak + Math.max(0, upper) * remaining;
  return {
    reads: n,
    slopeMiBPerRead: slope,
    slopeUpperMiBPerRead: upper,
    projectedPeakMiB,
    bounded: projectedPeakMiB < targetRssMiB,
  };
}

/** The first read at which the rule would stop this series, or null if it never would before its end. */
export function firstStop(
  samples: readonly S3Sample[],
  targetRssMiB: number,
  maxIterations: number,
  rule: StoppingRule = QUICK_RULE,
): Projection | null {
  for (let end = rule.minReads + 1; end <= samples.length; end++) {
    const projection = project(samples.slice(0, end), targetRssMiB, maxIterations, rule);
    if (projection?.bounded) return projection;
  }
  return null;
}
