// The s3-leak memory figures' rows (s3-rss, s3-rss-first-reads; drawn by s3-memory.ts): pure transforms
// from records to rows and from rows to what the chart draws, tested without drawing. Two kinds of
// sample per build: the probe's own (process.memoryUsage() after each read and a forced GC) and the
// harness's outside ones (/proc VmRSS every outsideSampleIntervalMs, usually mid-read).
import type { RunRecord, S3LeakRecord } from '../../../../repro/core/record/schema.ts';
import { leastSquaresSlope } from '../../../../repro/core/maths.ts';
import { buildColumns, memory, type CsvColumn } from '../../../figures/csv-columns.ts';
import { thinBy } from '../../../figures/thin.ts';
import { bytesToMiB } from '../../../lib/format.ts';

type S3Source = 'probe' | 'outside';

export interface S3MemoryRow {
  [key: string]: string | number | null;
  build: string;
  line: string;
  revision: string;
  /** "probe": process.memoryUsage() after the read and Bun.gc(true); "outside": /proc VmRSS read by the harness. */
  source: S3Source;
  /** The read the sample follows; for an outside sample, where it falls between reads (fractional, estimated). */
  iteration: number;
  /** ms since the baseline sample, on the probe's clock (outside samples: aligned, see alignOutside). */
  elapsedMs: number;
  /** process.memoryUsage().rss (probe) or VmRSS (outside), bytes. */
  rss: number;
  heapUsed: number | null;
  external: number | null;
  arrayBuffers: number | null;
  /** RssAnon from /proc, bytes; null where /proc is missing. */
  anonRss: number | null;
  /** The harness's RSS threshold (parameters.targetRssMiB) in bytes, repeated so rows stand alone. */
  thresholdRss: number;
  /** The memory cap the run was held to (parameters.memoryCapMiB) in bytes. */
  memoryCap: number;
  payloadBytes: number;
  /** verdict.peakRssBytes: the peak the run recorded (probe and outside samples during the reads). */
  recordedPeakRss: number;
}

const MiB = 1024 * 1024;

/**
 * Puts the outside samples on the probe's clock. Newer records keep the moment the probe's baseline
 * reached the harness on the outside clock (`baselineAtOutsideMs`), which lines the clocks up exactly.
 * Older ones do not, so they are aligned at the end: the probe exits right after its last sample, and
 * the sampler's last sample falls within one interval before that exit, so half an interval before it
 * is the best estimate (off by at most half an interval plus the exit, a read or two). Outside samples
 * that land before the baseline (setup: writing the object) are left out, as the verdict leaves them
 * out of the peak.
 */
export function alignOutside(
  r: S3LeakRecord,
): { elapsedMs: number; iteration: number; vmRss: number; rssAnon: number }[] {
  const samples = r.samples;
  const lastProbe = samples.at(-1);
  const lastOutside = r.outsideSamples.at(-1);
  if (!lastProbe || !lastOutside) return [];
  const offset =
    r.baselineAtOutsideMs != null
      ? r.baselineAtOutsideMs - samples[0].elapsedMs
      : lastOutside.elapsedMs - lastProbe.elapsedMs + r.parameters.outsideSampleIntervalMs / 2;
  const msPerRead = lastProbe.iteration > 0 ? (lastProbe.elapsedMs - samples[0].elapsedMs) / lastProbe.iteration : 0;
  return r.outsideSamples
    .map((o) => ({ elapsedMs: round2(o.elapsedMs - offset), vmRss: o.vmRss, rssAnon: o.rssAnon }))
    .filter((o) => o.elapsedMs >= samples[0].elapsedMs)
    .map((o) => ({ ...o, iteration: round2(iterationAt(samples, o.elapsedMs, msPerRead)) }));
}

/** Where a probe-clock time falls between reads, by linear interpolation (extrapolated past the last). */
function iterationAt(samples: S3LeakRecord['samples'], t: number, msPerRead: number): number {
  const i = firstSampleAtOrAfter(samples, t);
  if (i < samples.length) {
    const a = samples[i - 1];
    const b = samples[i];
    return a.iteration + ((t - a.elapsedMs) / (b.elapsedMs - a.elapsedMs || 1)) * (b.iteration - a.iteration);
  }
  const last = samples.at(-1)!;
  return msPerRead > 0 ? last.iteration + (t - last.elapsedMs) / msPerRead : last.iteration;
}

/**
 * The first index from 1 whose sample is at or after `t` (samples.length when none is), by binary
 * search: the probe samples once after each read on one clock, so its samples are in time order.
 * A scan from the start for each outside sample would be quadratic, hours on a run of 500,000 reads.
 */
function firstSampleAtOrAfter(samples: S3LeakRecord['samples'], t: number): number {
  let lo = 1;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid].elapsedMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function selectS3Memory(records: readonly RunRecord[]): S3MemoryRow[] {
  return records
    .filter((r): r is S3LeakRecord => r.scenario === 's3-leak')
    .flatMap((r) => {
      const common = {
        build: r.runtime.label,
        line: r.runtime.line,
        revision: r.runtime.revision,
      };
      const limits = {
        thresholdRss: r.parameters.targetRssMiB * MiB,
        memoryCap: r.parameters.memoryCapMiB * MiB,
        payloadBytes: Math.round(r.parameters.payloadMiB * MiB),
        recordedPeakRss: r.verdict.peakRssBytes,
      };
      const probe = r.samples.map(
        (s): S3MemoryRow => ({
          ...common,
          source: 'probe',
          iteration: s.iteration,
          elapsedMs: s.elapsedMs,
          rss: s.rss,
          heapUsed: s.heapUsed,
          external: s.external,
          arrayBuffers: s.arrayBuffers,
          anonRss: s.anonRss,
          ...limits,
        }),
      );
      const outside = alignOutside(r).map(
        (o): S3MemoryRow => ({
          ...common,
          source: 'outside',
          iteration: o.iteration,
          elapsedMs: o.elapsedMs,
          rss: o.vmRss,
          heapUsed: null,
          external: null,
          arrayBuffers: null,
          anonRss: o.rssAnon,
          ...limits,
        }),
      );
      return probe.concat(outside);
    });
}

/** The CSV download's columns (csv-columns.ts) of both memory figures: one per row field, with its unit. */
export const s3MemoryColumns: CsvColumn[] = [
  buildColumns[0],
  {
    field: 'line',
    name: 'line',
    datatype: 'string',
    description: 'The implementation line of the build: zig or rust.',
  },
  buildColumns[1],
  {
    field: 'source',
    name: 'source',
    datatype: 'string',
    description:
      'Who took the sample. probe: the probe inside Bun, process.memoryUsage() right after a read and a forced GC (Bun.gc(true)). ' +
      'outside: the harness, reading VmRSS and RssAnon from /proc/<pid>/status at a fixed interval, usually in the middle of a read.',
  },
  {
    field: 'iteration',
    name: 'read',
    datatype: 'number',
    description:
      'The S3 read the sample follows; 0 is the baseline before the first read. Whole numbers for probe samples. An outside sample is ' +
      'taken by time, not after a read, so its position is estimated from its time between the probe samples around it and is ' +
      'fractional: 12.4 means 40 % of the way from the end of read 12 to the end of read 13.',
  },
  {
    field: 'elapsedMs',
    name: 'elapsed_ms',
    datatype: 'number',
    unit: 'ms',
    description:
      "Time since the baseline sample, on the probe's clock (outside samples are put on that clock by the harness).",
  },
  memory('rss', 'rss_mib', 'Resident set size: process.memoryUsage().rss (probe) or VmRSS (outside).'),
  memory(
    'heapUsed',
    'heap_used_mib',
    'process.memoryUsage().heapUsed, the JavaScript heap in use; empty for outside samples.',
  ),
  memory(
    'external',
    'external_mib',
    'process.memoryUsage().external, memory of objects outside the JS heap; empty for outside samples.',
  ),
  memory('arrayBuffers', 'array_buffers_mib', 'process.memoryUsage().arrayBuffers; empty for outside samples.'),
  memory('anonRss', 'rss_anon_mib', 'RssAnon from /proc: anonymous resident memory; empty where /proc had none.'),
  memory(
    'thresholdRss',
    'rss_threshold_mib',
    "The run's RSS threshold (parameter targetRssMiB): a build that reaches it has leaked; repeated on every row.",
  ),
  memory(
    'memoryCap',
    'memory_cap_mib',
    'The memory cap the run was held to (parameter memoryCapMiB); repeated on every row.',
  ),
  memory('payloadBytes', 'payload_mib', 'Size of the S3 object each read fetches; repeated on every row.'),
  memory(
    'recordedPeakRss',
    'recorded_peak_rss_mib',
    "The build's peak RSS as the run recorded it (the higher of probe and outside samples during the reads); repeated on every row.",
  ),
];

// ---------------------------------------------------------------- helpers on rows

/** The first row of each build, in row order. One pass: a long run has hundreds of thousands of rows. */
export function buildsOf(rows: readonly S3MemoryRow[]): S3MemoryRow[] {
  const seen = new Set<string>();
  const firsts: S3MemoryRow[] = [];
  for (const r of rows) {
    if (seen.has(r.build)) continue;
    seen.add(r.build);
    firsts.push(r);
  }
  return firsts;
}

export const probeOf = (rows: readonly S3MemoryRow[], build: string) =>
  rows.filter((r) => r.build === build && r.source === 'probe');
export const outsideOf = (rows: readonly S3MemoryRow[], build: string) =>
  rows.filter((r) => r.build === build && r.source === 'outside');

// Loops, not Math.max(...values): spreading a long run's samples as arguments overflows the stack
// (a record of 430,000 samples did). Like Math.max() and Math.min(), they give -Infinity and
// Infinity for no values.

/** The largest of the values. */
export function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of the values. */
export function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** The last read each build completed, in row order. */
export function lastReads(rows: readonly S3MemoryRow[]): number[] {
  return buildsOf(rows).map((b) => maxOf(probeOf(rows, b.build).map((r) => r.iteration)));
}

/** Least-squares slope of probe RSS over the reads (baseline left out, as the verdict does), MiB per read. */
export function slopeMiBPerRead(probe: readonly S3MemoryRow[]): number {
  return leastSquaresSlope(probe.filter((r) => r.iteration > 0).map((r) => [r.iteration, bytesToMiB(r.rss)] as const));
}

/** What the chart draws of the rows, for a plot `plotWidth` px wide. */
export interface DrawnS3Memory {
  /** The probe's samples, at most one per px column per build (thin.ts keeps each stretch's extremes, so every spike is drawn). */
  probe: S3MemoryRow[];
  /** The outside samples up to the last probe read: a cloud of dots, at most one per 3 px per build. */
  outside: S3MemoryRow[];
  /** The last read drawn. */
  xMax: number;
  /** Each build's highest point, whichever sampler saw it: the peak the verdict table reports. */
  peaks: S3MemoryRow[];
  /** The highest of the peaks (undefined for no rows). */
  highest: S3MemoryRow | undefined;
}

export function drawnS3Memory(allRows: readonly S3MemoryRow[], plotWidth: number): DrawnS3Memory {
  const probe = thinBy(
    allRows.filter((r) => r.source === 'probe'),
    (r) => r.build,
    plotWidth,
    (r) => r.rss,
  );
  const xMax = maxOf(probe.map((r) => r.iteration));
  const outside = thinBy(
    allRows.filter((r) => r.source === 'outside' && r.iteration <= xMax),
    (r) => r.build,
    Math.floor(plotWidth / 3),
    (r) => r.rss,
  );
  const peaks = buildsOf(allRows).map((b) =>
    allRows.filter((r) => r.build === b.build && r.iteration <= xMax).reduce((p, r) => (r.rss > p.rss ? r : p)),
  );
  const highest = peaks.reduce<S3MemoryRow | undefined>(
    (p, r) => (p === undefined || r.rss > p.rss ? r : p),
    undefined,
  );
  return { probe, outside, xMax, peaks, highest };
}
