// Figure s3-rss-first-reads: the same rows as s3-rss, cut to the reads up to where the first build
// stopped plus a margin, so a climb of a few MiB per read is a slope rather than a vertical line
// against the y axis of a 4,096-read chart. The window comes from the records, never typed.
import type { RunRecord } from '../../../../repro/core/record/schema.ts';
import { bytesToMiB, formatInt, formatMiB } from '../../../lib/format.ts';
import {
  s3MemoryLegend,
  s3MemorySpec,
  s3MemorySummaryTable,
  s3MemoryTable,
  s3MemoryTips,
  type S3SpecOptions,
} from './s3-memory.ts';
import {
  buildsOf,
  lastReads,
  maxOf,
  minOf,
  selectS3Memory,
  slopeMiBPerRead,
  type S3MemoryRow,
  s3MemoryColumns,
} from './s3-memory-rows.ts';
import type { FigureModule } from '../../../figures/types.ts';

/** The share of the first stop added as margin, so the stop itself is visible. */
const MARGIN = 0.2;

/** Rounds up to a whole quarter of the value's power of ten: 122.4 → 125, 1,234 → 1,250, 36 → 38. */
export function niceCeil(n: number): number {
  if (n <= 10) return Math.ceil(n);
  const step = 10 ** Math.floor(Math.log10(n)) / 4;
  return Math.ceil(Math.ceil(n / step) * step);
}

/** Last read shown: the first build's stop plus a margin; the whole run when no build stopped early. */
export function readWindow(rows: readonly S3MemoryRow[]): number {
  const reads = lastReads(rows);
  if (reads.length === 0) return 0;
  return Math.min(maxOf(reads), niceCeil(minOf(reads) * (1 + MARGIN)));
}

const OPTIONS: S3SpecOptions = { probeDots: true, peakWord: 'highest here', scale: 'linear' };

export const s3RssFirstReads: FigureModule<S3MemoryRow> = {
  id: 's3-rss-first-reads',
  exportSubtitle: 'Resident memory (RSS, MiB) after each S3 read, up to where the first build stopped',
  csvColumns: s3MemoryColumns,
  scenario: 's3-leak',
  title: 'Resident memory over the first reads, by Bun build',
  caption: "The same run, to just past the first build's stop: a dot per read.",
  notes:
    'The reads up to where the first build stopped, with a margin of a fifth. Dots on the solid line: the RSS the probe reported after each read and a forced GC. Faint circles: VmRSS the ' +
    'harness read from /proc at a fixed interval, usually mid-read, placed between reads by time. The ringed point is ' +
    "each build's highest sample in this window. Dashed lines near the bottom: heapUsed and external.",

  select(records: readonly RunRecord[]) {
    const rows = selectS3Memory(records);
    const end = readWindow(rows);
    return rows.filter((r) => r.iteration <= end);
  },

  spec: (rows, layout) => s3MemorySpec(rows, OPTIONS, layout),

  legend: (rows, layout) => s3MemoryLegend(rows, OPTIONS, layout),

  headline(rows) {
    const parts = buildsOf(rows).map((b) => {
      const slope = slopeMiBPerRead(rows.filter((r) => r.build === b.build && r.source === 'probe'));
      return `${Math.abs(slope) < 0.05 ? 'no measurable growth' : `${slope.toFixed(1)} MiB per read`} on ${b.build}`;
    });
    return `Over the first ${formatInt(readWindow(rows))} reads, resident memory grows ${parts.join(', against ')}.`;
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const end = readWindow(rows);
    const parts = buildsOf(rows).map((b) => {
      const probe = rows.filter((r) => r.build === b.build && r.source === 'probe');
      const outside = rows.filter((r) => r.build === b.build && r.source === 'outside');
      const last = probe.at(-1)!;
      const slope = slopeMiBPerRead(probe);
      const stop = last.iteration < end ? `, and stopped after read ${formatInt(last.iteration)}` : '';
      const seen =
        outside.length > 0
          ? `; VmRSS read from outside mid-read reached ${formatMiB(maxOf(outside.map((r) => r.rss)))}`
          : '';
      return (
        `${b.build}: RSS after each read went from ${formatMiB(probe[0].rss)} to ${formatMiB(last.rss)}, ` +
        `${Math.abs(slope) < 0.05 ? 'no measurable growth' : `${slope.toFixed(1)} MiB per read`} (least squares)${stop}${seen}`
      );
    });
    const payload = rows[0].payloadBytes;
    return `Reads 0 to ${formatInt(end)}, each fetching the same ${formatInt(bytesToMiB(payload))} MiB object. ${parts.join('. ')}.`;
  },

  table: (rows) => s3MemoryTable(rows),

  summaryTable: (rows) => s3MemorySummaryTable(rows),

  tips: (rows) => s3MemoryTips(rows, 40),
};
