// The s3-upload scenario's parameters: the payload sizes and repetitions, the fetch control, the
// watchdogs and the verdict's thresholds (findings of the s3-upload research, measured on 11 builds:
// see verdict.ts for each threshold's justification), plus the harness's own (memory cap, sampling).
import { numberFlag, parseNumber } from '../../harness/flags.ts';
import { usageError } from '../../core/errors.ts';
import type { Flag, FlagValues } from '../../harness/scenario.ts';
import { memoryFlags, parseMemoryFlags } from '../../harness/memory-cap.ts';
import { parseS3Options, S3_FLAGS, type S3Options } from '../../harness/services/s3.ts';

export interface Thresholds {
  /** buffers-payload: the median peak anon rise at the largest payload is at least this × the payload… */
  bufferRatio: number;
  /** …and that payload is at least this large (below it the unaffected floor alone is ≥ 1 × the payload)… */
  ratioMinPayloadMiB: number;
  /** …and the rise grows by at least this many MiB per MiB of payload between the two sizes. */
  bufferSlope: number;
  /** streams: every upload's rise stays under this at every size… */
  streamBoundMiB: number;
  /** …and the slope is under this. */
  streamSlope: number;
  /** RssFile may rise by this much (the binary's own pages) before the payload counts as mapped. */
  fileRiseMaxMiB: number;
}

export interface S3UploadOptions {
  /** Ascending, distinct; the verdict compares the smallest and the largest. */
  payloadMiB: number[];
  repetitions: number;
  /** Sizes at which the fetch(presigned PUT) control runs, and how many times each. */
  controlPayloadMiB: number[];
  controlRepetitions: number;
  memoryCapMiB: number;
  outsideSampleIntervalMs: number;
  stallTimeoutMs: number;
  timeLimit: { baseMs: number; perMiBMs: number };
  thresholds: Thresholds;
  s3: S3Options;
}

export const THRESHOLDS: Thresholds = {
  bufferRatio: 1.0,
  ratioMinPayloadMiB: 256,
  bufferSlope: 0.5,
  streamBoundMiB: 160,
  streamSlope: 0.25,
  fileRiseMaxMiB: 32,
};

export const DEFAULTS = {
  payloadMiB: [64, 256],
  repetitions: 3,
  memoryCapMiB: 1024,
  outsideSampleIntervalMs: 20,
  stallTimeoutS: 45,
  /** An upload must end within 60 s + 1 s per MiB (the slowest healthy one: 137 s for 1024 MiB). */
  timeLimit: { baseMs: 60_000, perMiBMs: 1000 },
} as const;

/** The default builds: the Zig stable, an affected Rust stable and the current Rust stable. */
export const DEFAULT_BUILDS = ['1.3.14', '1.4.2', '1.4.5'] as const;

export const FLAGS: Record<string, Flag> = {
  'payload-mib': {
    type: 'string',
    multiple: true,
    placeholder: 'MiB,…',
    help: `payload sizes, at least two (comma-separated or repeated; default ${DEFAULTS.payloadMiB.join(',')})`,
  },
  repetitions: {
    type: 'string',
    placeholder: 'n',
    help: `uploads per size and build, each in a fresh probe (default ${DEFAULTS.repetitions})`,
  },
  'control-payload-mib': {
    type: 'string',
    placeholder: 'MiB,…|none',
    help: 'sizes at which the fetch(presigned PUT) control runs (default: every payload size)',
  },
  'control-repetitions': {
    type: 'string',
    placeholder: 'n',
    help: 'control uploads per size (default: --repetitions)',
  },
  ...memoryFlags(DEFAULTS),
  'stall-timeout-s': {
    type: 'string',
    placeholder: 's',
    help: `an upload that sends the store no byte for this long hangs (default ${DEFAULTS.stallTimeoutS})`,
  },
  ...S3_FLAGS,
};

function sizeList(name: string, texts: string[]): number[] {
  const sizes = texts
    .flatMap((t) => t.split(','))
    .map((t) => parseNumber(name, t.trim(), { integer: true, min: 1, max: 4096, unit: 'MiB' }));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function parseOptions(values: FlagValues): S3UploadOptions {
  const given = values['payload-mib'] as string[] | undefined;
  const payloadMiB = given ? sizeList('--payload-mib', given) : [...DEFAULTS.payloadMiB];
  if (payloadMiB.length < 2)
    throw usageError(
      `--payload-mib ${given!.join(',')}: give at least two different sizes (the verdict compares them)`,
    );
  if (payloadMiB.length > 8) throw usageError(`--payload-mib: at most 8 sizes`);
  const repetitions = numberFlag(values, 'repetitions', DEFAULTS.repetitions, { integer: true, min: 1, max: 100 });
  const controlText = values['control-payload-mib'] as string | undefined;
  const controlPayloadMiB =
    controlText === undefined
      ? payloadMiB
      : controlText.trim() === 'none'
        ? []
        : sizeList('--control-payload-mib', [controlText]);
  const stray = controlPayloadMiB.filter((m) => !payloadMiB.includes(m));
  if (stray.length > 0)
    throw usageError(
      `--control-payload-mib ${controlText}: ${stray.join(', ')} MiB is not one of the payload sizes (${payloadMiB.join(', ')})`,
    );
  const s3 = parseS3Options(values);
  if (s3.kind === 'external' && s3.endpoint.protocol !== 'http:') {
    throw usageError(
      `--s3-endpoint ${s3.endpoint.href}: s3-upload needs an http:// store (its stall watchdog counts the bytes through a local proxy)`,
    );
  }
  return {
    payloadMiB,
    repetitions,
    controlPayloadMiB,
    controlRepetitions: numberFlag(values, 'control-repetitions', repetitions, { integer: true, min: 1, max: 100 }),
    // An upload's peak is brief: sampled at least once a second.
    ...parseMemoryFlags(values, DEFAULTS, 1000),
    stallTimeoutMs:
      numberFlag(values, 'stall-timeout-s', DEFAULTS.stallTimeoutS, { integer: false, min: 1, max: 3600, unit: 's' }) *
      1000,
    timeLimit: { ...DEFAULTS.timeLimit },
    thresholds: { ...THRESHOLDS },
    s3,
  };
}

/** The upload's time limit for a payload. */
export const timeLimitMs = (options: Pick<S3UploadOptions, 'timeLimit'>, payloadMiB: number) =>
  options.timeLimit.baseMs + options.timeLimit.perMiBMs * payloadMiB;

/**
 * The longest one probe may live, writing the payload, uploading it and reading it back, before the
 * harness kills it: the upload's limit, plus a minute and 2 s per MiB (generous) for the rest.
 */
export const probeDeadlineMs = (options: Pick<S3UploadOptions, 'timeLimit'>, payloadMiB: number) =>
  timeLimitMs(options, payloadMiB) + 60_000 + 2000 * payloadMiB;
