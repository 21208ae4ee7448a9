// The S3 read leak's verdict table: one row per build of the latest run.
import type { RunRecord } from '../../../repro/core/record/schema.ts';
import { formatInt, formatMiB } from '../../lib/format.ts';
import { latestRun } from '../../lib/runs.ts';
import type { VerdictView } from '../../lib/verdicts.ts';
import { s3Metrics } from './stats.ts';

export function s3VerdictView(all: readonly RunRecord[]): VerdictView | undefined {
  const run = latestRun(all, 's3-leak');
  if (run.length === 0) return undefined;
  return {
    caption: `S3 read leak: verdict per build (run ${run[0].runId}). The peak is the highest RSS seen during the reads, by the probe after a read or by the harness's outside sampler mid-read.`,
    header: ['Build', 'Revision', 'Verdict', 'Reads', 'RSS baseline → peak', 'Growth', 'Wall time'],
    rows: run.map((r) => [
      r.runtime.label,
      r.runtime.revision,
      s3Metrics.verdict(r),
      formatInt(r.verdict.iteration),
      `${formatMiB(r.verdict.baselineRssBytes)} → ${formatMiB(r.verdict.peakRssBytes)}`,
      s3Metrics.growthMiBPerIteration(r),
      s3Metrics.wallSeconds(r),
    ]),
  };
}
