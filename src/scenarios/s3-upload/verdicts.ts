// The S3 upload's verdict table: one row per build of the latest run.
import type { RunRecord } from '../../../repro/core/record/schema.ts';
import { formatInt } from '../../lib/format.ts';
import { statText } from '../../lib/stat-query.ts';
import { latestRun } from '../../lib/runs.ts';
import type { VerdictView } from '../../lib/verdicts.ts';
import { HANG_MARK } from '../../lib/verdicts.ts';
import { uploadMetric, uploadVerdictText } from './stats.ts';

export function uploadVerdictView(all: readonly RunRecord[]): VerdictView | undefined {
  const run = latestRun(all, 's3-upload');
  if (run.length === 0) return undefined;
  const sizes = run[0]!.parameters.payloadMiB;
  return {
    caption:
      `S3 upload memory: verdict per build (run ${run[0]!.runId}). Each rise is the median, over the repetitions, of the highest anonymous RSS (RssAnon) ` +
      'the harness read from outside the probe during one Bun.write(s3file, Bun.file()) upload, above the level just before it; each upload ran in a fresh process.',
    header: [
      'Build',
      'Revision',
      'Verdict',
      ...sizes.map((m) => `Rise at ${formatInt(m)} MiB`),
      'Slope',
      'fetch() control, highest',
      'Uploads',
    ],
    rows: run.map((r) => [
      r.runtime.label,
      r.runtime.revision,
      `${r.verdict.kind === 'hangs' ? `${HANG_MARK} ` : ''}${uploadVerdictText(r)}`,
      ...sizes.map((m) => statText(uploadMetric(r, `rise${m}`))),
      statText(uploadMetric(r, 'slope')),
      statText(uploadMetric(r, 'controlMaxRise')),
      Object.entries(r.verdict.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', '),
    ]),
  };
}
