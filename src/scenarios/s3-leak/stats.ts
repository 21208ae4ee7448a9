// The S3 read leak's values for <Stat>: each a function of one build's record.
import type { RunRecord, S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { bytesToMiB, fixed, formatInt } from '../../lib/format.ts';
import { latestRun, recordForLine } from '../../lib/runs.ts';
import { noBuild, requireBuild, type StatQuery, type StatValue } from '../../lib/stat-query.ts';

export const s3Metrics = {
  verdict: (r: S3LeakRecord) => s3VerdictText(r),
  iterations: (r: S3LeakRecord) => formatInt(r.verdict.iteration),
  thresholdIteration: (r: S3LeakRecord) => {
    const crossed = r.samples.find((s) => bytesToMiB(s.rss) >= r.parameters.targetRssMiB);
    return crossed ? formatInt(crossed.iteration) : 'not reached';
  },
  baselineRssMiB: (r: S3LeakRecord) => `${bytesToMiB(r.verdict.baselineRssBytes).toFixed(1)} MiB`,
  peakRssMiB: (r: S3LeakRecord) => `${bytesToMiB(r.verdict.peakRssBytes).toFixed(1)} MiB`,
  growthMiBPerIteration: (r: S3LeakRecord) => `${fixed(r.verdict.growthMiBPerIteration, 2)} MiB per iteration`,
  wallSeconds: (r: S3LeakRecord) => `${(r.verdict.wallMs / 1000).toFixed(1)} s`,
  version: (r: S3LeakRecord) => r.runtime.revision,
  payloadMiB: (r: S3LeakRecord) => `${formatInt(r.parameters.payloadMiB)} MiB`,
  targetRssMiB: (r: S3LeakRecord) => `${formatInt(r.parameters.targetRssMiB)} MiB`,
  maxIterations: (r: S3LeakRecord) => formatInt(r.parameters.maxIterations),
  memoryCap: (r: S3LeakRecord) => memoryCapText(r),
} as const;

const s3MetricNames = Object.keys(s3Metrics);

const s3VerdictWords: Record<S3LeakRecord['verdict']['kind'], string> = {
  'threshold-crossed': 'crossed the RSS threshold',
  'oom-killed': 'was killed at the memory cap',
  bounded: 'stayed bounded',
  interrupted: 'was interrupted',
  error: 'failed with an error',
};

function s3VerdictText(r: S3LeakRecord): string {
  return s3VerdictWords[r.verdict.kind];
}

const capWords: Record<S3LeakRecord['parameters']['memoryCap']['kind'], string> = {
  'kernel-cgroup': 'a kernel cgroup limit',
  container: 'the container memory limit',
  watchdog: 'the harness watchdog',
  none: 'no cap',
};

function memoryCapText(r: S3LeakRecord): string {
  const { kind } = r.parameters.memoryCap;
  return kind === 'none' ? capWords.none : `${formatInt(r.parameters.memoryCapMiB)} MiB (${capWords[kind]})`;
}

/** One build's value from the latest run. */
export function s3Stat(all: readonly RunRecord[], q: StatQuery): StatValue {
  const build = requireBuild(q);
  const metric = s3Metrics[q.metric as keyof typeof s3Metrics];
  if (!metric) throw new Error(`<Stat> unknown s3-leak metric "${q.metric}"; known: ${s3MetricNames.join(', ')}.`);
  const run = latestRun(all, 's3-leak');
  if (run.length === 0) return null;
  const record = recordForLine(run, build);
  return record ? metric(record) : noBuild(build);
}
