// The s3-upload scenario's run record: every upload with its memory rises, samples and checks, and the verdict.
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
  SignedBytes,
  Text,
  TiB,
} from '../../core/record/base.ts';

export const S3UploadMethod = z.enum(['s3-write', 'fetch-presigned']);
export type S3UploadMethod = z.infer<typeof S3UploadMethod>;

/**
 * How one upload ended. completed: the upload settled and was read back; oom-killed: the memory cap
 * killed it; hangs: no byte reached the store for the stall timeout, or no end within the time limit;
 * error: it rejected, the probe died without its end line, or the stored object differs;
 * not-counted: it completed, but a condition of the measurement did not hold (checks).
 */
export const S3UploadOutcome = z.enum(['completed', 'not-counted', 'oom-killed', 'hangs', 'error', 'interrupted']);
export type S3UploadOutcome = z.infer<typeof S3UploadOutcome>;

/** One upload, in its own fresh probe process. Rises are above the probe's baseline just before it. */
export const S3Upload = z.object({
  method: S3UploadMethod,
  payloadMiB: z.number().positive().max(4096),
  /** 1-based, per method and size. */
  repetition: z.number().int().positive().max(1000),
  outcome: S3UploadOutcome,
  /** The upload's own wall time (probe clock); null when it never settled. */
  wallMs: Ms.nullable(),
  /**
   * The probe's whole life on the harness's clock: writing the payload, the upload, reading it back
   * (the live page's pace). Absent in older records.
   */
  probeMs: Ms.optional(),
  /** /proc/self/status just before the upload, after Bun.gc(true); null if the probe never got there. */
  baseline: z.object({ vmRss: Bytes, rssAnon: Bytes, rssFile: Bytes }).nullable(),
  /** The verdict's figure: the highest RssAnon the outside sampler saw during the upload, minus the baseline. */
  peakAnonRiseBytes: SignedBytes.nullable(),
  /** The same for VmRSS, outside. */
  peakVmRssRiseBytes: SignedBytes.nullable(),
  /** The probe's own 10 ms sampler (it under-reads when Bun's event loop blocks). */
  insidePeakAnonRiseBytes: SignedBytes.nullable(),
  /** VmHWM after the upload minus the baseline VmRSS (the kernel's exact peak); null where it could not be reset. */
  vmHwmRiseBytes: SignedBytes.nullable(),
  peakRssFileRiseBytes: SignedBytes.nullable(),
  /** After Bun.gc(true), a pause and Bun.gc(true) again. */
  afterGcAnonRiseBytes: SignedBytes.nullable(),
  /** Most mappings of the payload file seen in /proc/self/maps during the upload. */
  mappedPayload: Count,
  /** The longest gap between the probe's own samples: a blocked event loop. */
  maxSampleGapMs: Ms.nullable(),
  /** Bytes the counting proxy forwarded to the store during the upload (all requests). */
  forwardedBytes: Bytes,
  /** Outside samples of the upload's window, on the harness clock (0: the upload's start). */
  outsideSamples: z.array(OutsideSample).max(MAX_SAMPLES),
  checks: z.array(Check).max(20),
  /** Why it did not complete, in one line. */
  message: Text().optional(),
});
export type S3Upload = z.infer<typeof S3Upload>;

const S3UploadVerdictKind = z.enum(['buffers-payload', 'streams', 'inconclusive', 'hangs', 'error', 'interrupted']);
/** What the counted s3-write uploads say about memory, whatever else happened. */
export const S3UploadMemoryClass = z.enum(['buffers-payload', 'streams', 'inconclusive']);
export type S3UploadMemoryClass = z.infer<typeof S3UploadMemoryClass>;

export const S3UploadSizeSummary = z.object({
  method: S3UploadMethod,
  payloadMiB: z.number().positive().max(4096),
  /** Uploads counted (completed with every check met, or killed at the cap). */
  counted: Count,
  medianRiseBytes: SignedBytes.nullable(),
  minRiseBytes: SignedBytes.nullable(),
  maxRiseBytes: SignedBytes.nullable(),
});
export type S3UploadSizeSummary = z.infer<typeof S3UploadSizeSummary>;

export const S3UploadRecord = RecordBase.safeExtend({
  scenario: z.literal('s3-upload'),
  parameters: z.object({
    /** Payload sizes, ascending; the verdict compares the smallest and the largest. */
    payloadMiB: z.array(z.number().positive().max(4096)).min(2).max(8),
    repetitions: z.number().int().positive().max(100),
    methods: z.array(S3UploadMethod).min(1).max(2),
    /** Sizes at which the fetch control runs (all of them in a full run). */
    controlPayloadMiB: z.array(z.number().positive().max(4096)).max(8),
    /** Control uploads per control size (the live page's total). Absent in older records. */
    controlRepetitions: z.number().int().positive().max(100).optional(),
    memoryCapMiB: z
      .number()
      .positive()
      .max(TiB / 2 ** 20),
    memoryCap: z.object({ kind: MemoryCapKind, detail: Text(500) }),
    outsideSampleIntervalMs: Ms.positive(),
    stallTimeoutMs: Ms.positive(),
    /** An upload must end within baseMs + perMiBMs × payload. */
    timeLimit: z.object({ baseMs: Ms, perMiBMs: Ms }),
    thresholds: z.object({
      bufferRatio: z.number().positive().max(100),
      ratioMinPayloadMiB: z.number().positive().max(4096),
      bufferSlope: z.number().positive().max(100),
      streamBoundMiB: z
        .number()
        .positive()
        .max(TiB / 2 ** 20),
      streamSlope: z.number().positive().max(100),
      fileRiseMaxMiB: z.number().positive().max(4096),
    }),
    s3: z.object({ kind: z.enum(['embedded-s3rver', 'external']), endpoint: Line(500), bucket: Line(100) }),
  }),
  /** Every upload, in the order run. */
  uploads: z.array(S3Upload).max(1000),
  /** Build-level conditions, e.g. that the fetch control streams. */
  checks: z.array(Check).max(20),
  verdict: z.object({
    kind: S3UploadVerdictKind,
    /** The memory class of the counted s3-write uploads; null when none was counted. */
    memory: S3UploadMemoryClass.nullable(),
    /** Per method and size: the peak anon rises of the counted uploads. */
    sizes: z.array(S3UploadSizeSummary).max(32),
    /** (median rise at the largest − at the smallest) / (largest − smallest payload), MiB per MiB; s3-write. */
    slope: z.number().min(-1000).max(1000).nullable(),
    /** Median rise at the largest payload over that payload; s3-write. */
    ratio: z.number().min(-1000).max(1000).nullable(),
    counts: z.partialRecord(S3UploadOutcome, Count),
    wallMs: Ms,
    message: Text(),
  }),
});
export type S3UploadRecord = z.infer<typeof S3UploadRecord>;
