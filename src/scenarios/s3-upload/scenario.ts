// S3 uploads that hold the payload in memory (oven-sh/bun#42722, fixed by #42731), as the site shows it.
import type { S3UploadRecord } from '../../../repro/core/record/schema.ts';
import { uploadCompareRules } from '../../../repro/scenarios/s3-upload/compare.ts';
import type { SiteScenario } from '../types.ts';
import { s3UploadLive } from './live.ts';
import { uploadBundle, uploadQuickLook } from './bundle.ts';
import { uploadBuffersFailure } from './failures.ts';
import { s3UploadRise } from './figures/s3-upload-rise.ts';
import { uploadStat } from './stats.ts';
import { uploadVerdictView } from './verdicts.ts';

export const s3Upload: SiteScenario<S3UploadRecord> = {
  name: 's3-upload',
  title: 'S3 upload memory: Bun.write(s3file, Bun.file()) buffers the payload (oven-sh/bun#42722)',
  home: { heading: 'S3 uploads: is the file streamed or held in memory?', view: 'verdict-table' },
  verdictView: uploadVerdictView,
  stat: uploadStat,
  bundle: { ...uploadBundle, quickLook: uploadQuickLook },
  sampleCount: (r) => r.uploads.reduce((n, u) => n + u.outsideSamples.length, 0),
  failures: [uploadBuffersFailure],
  figures: [s3UploadRise],
  compareRules: uploadCompareRules,
  live: s3UploadLive,
};
