// The s3-upload probe's line protocol, as a zod schema: one JSON object per line on stdout. The
// harness parses every line with it; anything else (a Bun warning, a stack trace) is kept as text for
// the error message. Memory fields are bytes, read by the probe from /proc/self/status.
import { z } from 'zod';
import { parseJsonLine } from '../../harness/lines.ts';

const Bytes = z.number().int().nonnegative();
const UploadMethod = z.enum(['s3-write', 'fetch-presigned']);

/** VmRSS, RssAnon, RssFile, RssShmem and VmHWM at one moment. */
const Memory = { vmRss: Bytes, rssAnon: Bytes, rssFile: Bytes, rssShmem: Bytes, vmHwm: Bytes };
const Upload = { method: UploadMethod, repetition: z.number().int().positive() };

export const ProbeLine = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    revision: z.string(),
    version: z.string(),
    pid: z.number().int(),
    payloadBytes: Bytes,
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    methods: z.array(UploadMethod),
    repetitions: z.number().int().positive(),
  }),
  /** Just before an upload, after Bun.gc(true); `peakReset`: VmHWM was reset to the current RSS. */
  z.object({ type: z.literal('upload-start'), ...Upload, key: z.string(), peakReset: z.boolean(), ...Memory }),
  /** One inside sample during an upload; `mappedPayload`: mappings of the payload file in /proc/self/maps. */
  z.object({
    type: z.literal('sample'),
    ...Upload,
    elapsedMs: z.number().nonnegative(),
    vmRss: Bytes,
    rssAnon: Bytes,
    rssFile: Bytes,
    mappedPayload: z.number().int().nonnegative(),
  }),
  /**
   * The upload settled. Peaks are over the inside samples and the end; `vmHwm` is the kernel's peak
   * since the reset (exact, whatever the sampling missed). `returnedBytes`: what Bun.write resolved to
   * (null for fetch). `maxSampleGapMs` > the interval shows a blocked event loop.
   */
  z.object({
    type: z.literal('upload-end'),
    ...Upload,
    wallMs: z.number().nonnegative(),
    ok: z.boolean(),
    error: z.string().nullable(),
    returnedBytes: z.number().int().nullable(),
    samples: z.number().int().nonnegative(),
    maxSampleGapMs: z.number().nonnegative(),
    peakVmRss: Bytes,
    peakRssAnon: Bytes,
    peakRssFile: Bytes,
    vmHwm: Bytes,
    endVmRss: Bytes,
    endRssAnon: Bytes,
    endRssFile: Bytes,
    endRssShmem: Bytes,
    endVmHwm: Bytes,
  }),
  /** After Bun.gc(true), a 200 ms pause and Bun.gc(true) again. */
  z.object({ type: z.literal('after-gc'), ...Upload, ...Memory }),
  /** The stored object read back as a stream: its size and SHA-256 against the source file's. */
  z.object({
    type: z.literal('verify'),
    ...Upload,
    size: Bytes.nullable(),
    sha256: z.string().nullable(),
    intact: z.boolean(),
    error: z.string().optional(),
  }),
  z.object({ type: z.literal('end') }),
]);
export type ProbeLine = z.infer<typeof ProbeLine>;

export const parseProbeLine = (text: string) => parseJsonLine(ProbeLine, text);
