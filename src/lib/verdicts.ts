// The side-by-side verdict tables of <VerdictTable>: one row per build (s3-leak) or per trial
// (sql-pool), every cell read from the latest recorded run.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { formatInt, formatMiB } from './format.ts';
import { latestRun } from './runs.ts';
import { s3Metrics, sqlVerdictText } from './stats.ts';

export interface VerdictView {
  caption: string;
  header: string[];
  rows: string[][];
}

export function verdictView(all: readonly RunRecord[], scenario: 's3-leak' | 'sql-pool'): VerdictView | undefined {
  if (scenario === 's3-leak') {
    const run = latestRun(all, 's3-leak');
    if (run.length === 0) return undefined;
    return {
      caption: `S3 read leak: verdict per build (run ${run[0].runId})`,
      header: ['Build', 'Revision', 'Verdict', 'Reads', 'RSS baseline → peak (probe or outside sampler)', 'Growth', 'Wall time'],
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
  const run = latestRun(all, 'sql-pool');
  if (run.length === 0) return undefined;
  const trialIds = [...new Set(run.flatMap((r) => r.trials.map((t) => t.id)))];
  return {
    caption: `SQL pool after resume: verdict per trial and build (run ${run[0].runId})`,
    header: ['Trial (fault/ordering)', ...run.map((r) => `${r.runtime.label}`)],
    rows: trialIds.map((id) => [id, ...run.map((r) => {
      const t = r.trials.find((x) => x.id === id);
      return t ? sqlVerdictText(t) : 'not run';
    })]),
  };
}
