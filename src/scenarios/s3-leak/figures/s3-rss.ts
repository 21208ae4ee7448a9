// Figure s3-rss: resident memory over the whole run, per build: the probe's RSS after each read,
// the harness's outside VmRSS samples, the RSS threshold and the memory cap, and the JS heap
// (heapUsed, external) drawn to show it stays flat while RSS climbs. Rows and drawing are shared
// with s3-rss-first-reads (s3-memory.ts).
import type { RunRecord } from '../../../../repro/core/record/schema.ts';
import {
  buildMemorySentence,
  heapSentence,
  thresholdHeadline,
  s3MemoryLegend,
  s3MemorySpec,
  s3MemorySummaryTable,
  s3MemoryTable,
  s3MemoryTips,
  type S3SpecOptions,
} from './s3-memory.ts';
import { buildsOf, selectS3Memory, type S3MemoryRow, s3MemoryColumns } from './s3-memory-rows.ts';
import type { FigureModule } from '../../../figures/types.ts';

const OPTIONS: S3SpecOptions = { probeDots: false, peakWord: 'peak', scale: 'log' };

export const s3Rss: FigureModule<S3MemoryRow> = {
  id: 's3-rss',
  exportSubtitle: 'Resident memory (RSS, MiB) after each S3File.arrayBuffer() read, the whole run',
  csvColumns: s3MemoryColumns,
  scenario: 's3-leak',
  title: 'Resident memory per S3 read, by Bun build',
  caption: 'One line per build, to where it stopped; the JS heap stays flat.',
  notes:
    'Each read fetches the same S3 object. Both axes are logarithmic, so the first hundred reads and the last four thousand, ' +
    'and a heap of a few MiB beside an RSS of hundreds, share one chart. Solid line: the RSS the probe reported after each ' +
    'S3File.arrayBuffer() read and a forced GC. Faint circles: VmRSS the harness read from /proc at a fixed interval, usually ' +
    "mid-read. The ringed point is each build's recorded peak, whichever sampler saw it. Dotted: heapUsed; dashed: external. " +
    'Grey rules: the threshold and the memory cap, each labelled. Long runs are drawn with at most one point per pixel ' +
    "column, keeping each stretch's lowest and highest sample; the tooltips, the data page and the CSV give the samples.",

  select: (records: readonly RunRecord[]) => selectS3Memory(records),

  spec: (rows, layout) => s3MemorySpec(rows, OPTIONS, layout),

  legend: (rows, layout) => s3MemoryLegend(rows, OPTIONS, layout),

  headline: (rows) => thresholdHeadline(rows),

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const builds = buildsOf(rows);
    return `${builds.map((b) => buildMemorySentence(rows, b.build)).join('. ')}. In ${builds.length === 2 ? 'both' : 'each build'}, ${heapSentence(rows)}.`;
  },

  table: (rows) => s3MemoryTable(rows),

  summaryTable: (rows) => s3MemorySummaryTable(rows),

  tips: (rows) => s3MemoryTips(rows, 40),
};
