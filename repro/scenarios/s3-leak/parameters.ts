// The s3-leak scenario's parameters: those of the original report (oven-sh/bun#29083, run.sh)
// plus the harness's own (memory cap, outside sampling).
import { numberFlag } from '../../harness/flags.ts';
import type { Flag, FlagValues } from '../../harness/scenario.ts';
import { memoryFlags, parseMemoryFlags } from '../../harness/memory-cap.ts';
import { parseS3Options, S3_FLAGS, type S3Options } from '../../harness/services/s3.ts';
import { QUICK_RULE, type StoppingRule } from './stopping-rule.ts';

export interface S3LeakOptions {
  payloadMiB: number;
  targetRssMiB: number;
  maxIterations: number;
  /** The cap asked for; the record says what enforced it (kernel cgroup, container, watchdog or none). */
  memoryCapMiB: number;
  outsideSampleIntervalMs: number;
  /** False with `--no-outside-sampling`: only for measuring the harness's own overhead. */
  outsideSampling: boolean;
  /** `--quick`: stop a bounded build by the stopping rule instead of after every read. */
  stoppingRule: StoppingRule | null;
  s3: S3Options;
}

const DEFAULTS = {
  payloadMiB: 8,
  targetRssMiB: 900,
  maxIterations: 4096,
  memoryCapMiB: 1024,
  outsideSampleIntervalMs: 100,
} as const;

export const FLAGS: Record<string, Flag> = {
  'payload-mib': {
    type: 'string',
    placeholder: 'MiB',
    help: `size of the S3 object read each iteration (default ${DEFAULTS.payloadMiB})`,
  },
  'target-rss-mib': {
    type: 'string',
    placeholder: 'MiB',
    help: `stop when the probe's RSS reaches this (default ${DEFAULTS.targetRssMiB})`,
  },
  'max-iterations': {
    type: 'string',
    placeholder: 'n',
    help: `stop after this many reads (default ${DEFAULTS.maxIterations})`,
  },
  ...memoryFlags(DEFAULTS),
  'no-outside-sampling': {
    type: 'boolean',
    help: 'do not sample from outside (disables the watchdog; for overhead measurements)',
  },
  quick: {
    type: 'boolean',
    help: `stop a build that does not leak once, after at least ${QUICK_RULE.minReads} reads, the 95 % upper bound of its growth projects it under the target for all reads`,
  },
  ...S3_FLAGS,
};

export function parseOptions(values: FlagValues): S3LeakOptions {
  return {
    // Bounds: a payload from 1 KiB to 1 GiB; sampling from 1 ms to a minute.
    payloadMiB: numberFlag(values, 'payload-mib', DEFAULTS.payloadMiB, {
      integer: false,
      min: 1 / 1024,
      max: 1024,
      unit: 'MiB',
    }),
    targetRssMiB: numberFlag(values, 'target-rss-mib', DEFAULTS.targetRssMiB, {
      integer: false,
      min: 1,
      max: 1024 * 1024,
      unit: 'MiB',
    }),
    maxIterations: numberFlag(values, 'max-iterations', DEFAULTS.maxIterations, {
      integer: true,
      min: 1,
      max: 1_000_000,
    }),
    ...parseMemoryFlags(values, DEFAULTS, 60_000),
    outsideSampling: values['no-outside-sampling'] !== true,
    stoppingRule: values.quick === true ? QUICK_RULE : null,
    s3: parseS3Options(values),
  };
}
