// The s3-leak scenario's run record: the read loop's samples, inside and outside the probe, and its verdict.
import { z } from 'zod';
import {
  Bytes,
  Check,
  Count,
  Line,
  MAX_SAMPLES,
  MemoryCapKind,
  Ms,
  OutsideSample,
  RecordBase,
  Text,
  TiB,
} from '../../core/record/base.ts';

export const S3Sample = z.object({
  iteration: Count,
  elapsedMs: Ms,
  /** process.memoryUsage() inside the probe. */
  rss: Bytes,
  heapUsed: Bytes,
  external: Bytes,
  arrayBuffers: Bytes,
  /** /proc/PID/status RssAnon read by the harness at the same moment; null where /proc is missing. */
  anonRss: Bytes.nullable(),
});
export type S3Sample = z.infer<typeof S3Sample>;

const S3VerdictKind = z.enum(['threshold-crossed', 'oom-killed', 'bounded', 'interrupted', 'error']);

/** Growth per read, MiB: at most the 1 TiB bound in either direction. */
const MiBPerIteration = z
  .number()
  .min(-(TiB / 2 ** 20))
  .max(TiB / 2 ** 20);

export const S3Verdict = z.object({
  kind: S3VerdictKind,
  /** The iteration at which the verdict was reached (the last one completed). */
  iteration: Count,
  baselineRssBytes: Bytes,
  peakRssBytes: Bytes,
  /** Least-squares slope of RSS over iteration, MiB per iteration. */
  growthMiBPerIteration: MiBPerIteration,
  wallMs: Ms,
  message: Text(),
  /**
   * Present when the quick protocol's stopping rule ended the run (repro/scenarios/s3-leak/stopping-rule.ts):
   * after `reads` reads, the upper 95 % bound of the growth per read projected a peak under the target.
   */
  projection: z
    .object({
      reads: Count,
      slopeMiBPerRead: MiBPerIteration,
      slopeUpperMiBPerRead: MiBPerIteration,
      projectedPeakMiB: z
        .number()
        .min(0)
        .max(TiB / 2 ** 20),
    })
    .optional(),
});
export type S3Verdict = z.infer<typeof S3Verdict>;

export const S3LeakRecord = RecordBase.safeExtend({
  scenario: z.literal('s3-leak'),
  parameters: z.object({
    payloadMiB: z.number().positive().max(4096),
    targetRssMiB: z
      .number()
      .positive()
      .max(TiB / 2 ** 20),
    maxIterations: z.number().int().positive().max(10_000_000),
    memoryCapMiB: z
      .number()
      .positive()
      .max(TiB / 2 ** 20),
    outsideSampleIntervalMs: Ms.positive(),
    memoryCap: z.object({ kind: MemoryCapKind, detail: Text(500) }),
    /** The quick protocol's stopping rule for bounded builds (`--quick`); absent in a full run. */
    stoppingRule: z.object({ minReads: Count, z: z.number().positive().max(10) }).optional(),
    s3: z.object({
      kind: z.enum(['embedded-s3rver', 'external']),
      /** Endpoint without credentials. */
      endpoint: Line(500),
      bucket: Line(100),
    }),
  }),
  samples: z.array(S3Sample).max(MAX_SAMPLES),
  outsideSamples: z.array(OutsideSample).max(MAX_SAMPLES),
  /**
   * When the probe's baseline sample (iteration 0) reached the harness, on the outside samples' clock:
   * it places each outside sample against the reads. Null without outside sampling.
   */
  baselineAtOutsideMs: Ms.nullable(),
  /** Conditions of the run, e.g. every read returned the whole object. */
  checks: z.array(Check).max(20),
  verdict: S3Verdict,
});
export type S3LeakRecord = z.infer<typeof S3LeakRecord>;
