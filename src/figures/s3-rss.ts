// Figure s3-rss: resident memory over the whole run, per build: the probe's RSS after each read,
// the harness's outside VmRSS samples, the RSS threshold and the memory cap, and the JS heap
// (heapUsed, external) drawn to show it stays flat while RSS climbs. Rows and drawing are shared
// with s3-rss-first-reads (s3-memory.ts).
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { buildMemorySentence, buildsOf, heapSentence, s3MemorySpec, s3MemoryTable, s3MemoryTips, selectS3Memory, type S3MemoryRow } from './s3-memory.ts';
import type { FigureModule } from './types.ts';

export type { S3MemoryRow as S3RssRow } from './s3-memory.ts';

export const s3Rss: FigureModule<S3MemoryRow> = {
  id: 's3-rss',
  scenario: 's3-leak',
  title: 'Resident memory per S3 read, by Bun build',
  caption:
    'The whole run. Solid line: RSS the probe reported after each S3File.arrayBuffer() read and a forced GC, one per ' +
    'build; faint circles: VmRSS the harness read from /proc at a fixed interval, usually mid-read; the ringed point is each ' +
    "build's recorded peak. The RSS threshold and the memory cap are marked. The dashed lines near the bottom are " +
    'heapUsed and external: the JS heap stays flat.',

  select: (records: readonly RunRecord[]) => selectS3Memory(records),

  spec: (rows) => s3MemorySpec(rows, { drawnPerBuild: 600, probeDots: false, peakWord: 'peak' }),

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const builds = buildsOf(rows);
    return `${builds.map((b) => buildMemorySentence(rows, b.build)).join('. ')}. In ${builds.length === 2 ? 'both' : 'each build'}, ${heapSentence(rows)}.`;
  },

  table: (rows) => s3MemoryTable(rows, 60),

  tips: (rows) => s3MemoryTips(rows, 200),
};
