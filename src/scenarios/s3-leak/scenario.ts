// The S3 read leak (oven-sh/bun#29083), as the site shows it.
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { s3CompareRules } from '../../../repro/scenarios/s3-leak/compare.ts';
import { s3Rss } from './figures/s3-rss.ts';
import { s3RssFirstReads } from './figures/s3-rss-first-reads.ts';
import type { SiteScenario } from '../types.ts';
import { s3LeakLive } from './live.ts';
import { s3Bundle, s3QuickLook } from './bundle.ts';
import { s3LeakFailure } from './failures.ts';
import { s3Stat } from './stats.ts';
import { s3VerdictView } from './verdicts.ts';

export const s3Leak: SiteScenario<S3LeakRecord> = {
  name: 's3-leak',
  title: 'S3File.arrayBuffer() RSS leak (oven-sh/bun#29083)',
  home: { heading: 'S3 reads: does memory come back?', view: 'verdict-table' },
  verdictView: s3VerdictView,
  stat: s3Stat,
  bundle: { ...s3Bundle, quickLook: s3QuickLook },
  sampleCount: (r) => r.samples.length,
  failures: [s3LeakFailure],
  figures: [s3Rss, s3RssFirstReads],
  compareRules: s3CompareRules,
  live: s3LeakLive,
};
