// The rows and drawing shared by the two s3-leak memory figures (s3-rss, the whole run, and
// s3-rss-first-reads, the reads up to where the first build stopped). Two kinds of sample per build:
// the probe's own (process.memoryUsage() after each read and a forced GC) and the harness's outside
// ones (/proc VmRSS every outsideSampleIntervalMs, usually mid-read). The run's recorded peak
// (verdict.peakRssBytes) is the higher of the two, so both are drawn and both are named in the summary.
import * as Plot from '@observablehq/plot';
import type { RunRecord, S3LeakRecord } from '../../../../repro/core/record/schema.ts';
import { bytesToMiB, formatInt, formatMiB } from '../../../lib/format.ts';
import type { Layout } from '../../../figures/layout.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { buildColors } from '../../../figures/palette.ts';
import { thinBy } from '../../../figures/thin.ts';
import type { LegendItem, TableView, TipPoint } from '../../../figures/types.ts';
import { buildColumns, memory, type CsvColumn } from '../../../figures/csv-columns.ts';
import { leastSquaresSlope } from '../../../../repro/core/maths.ts';

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

const probeOf = (rows: readonly S3MemoryRow[], build: string) =>
  rows.filter((r) => r.build === build && r.source === 'probe');
const outsideOf = (rows: readonly S3MemoryRow[], build: string) =>
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

// ---------------------------------------------------------------- drawing

const mib = (k: 'rss' | 'heapUsed' | 'external') => (d: S3MemoryRow) => (d[k] === null ? NaN : bytesToMiB(d[k]));

function capLabel(bytes: number): string {
  const m = bytesToMiB(bytes);
  return m % 1024 === 0 ? `${m / 1024} GiB cap` : `${formatInt(m)} MiB cap`;
}

export interface S3SpecOptions {
  /** Draw a dot on every drawn probe sample: worth it when there are few enough to tell apart. */
  probeDots: boolean;
  /** How the ringed highest point is named: "peak" over the whole run, "highest here" in a window. */
  peakWord: string;
  /**
   * "log": reads on a symlog axis and memory on a log axis, so one chart shows a climb over the first
   * hundred reads, a flat line over four thousand, and a heap of a few MiB beside an RSS of hundreds.
   * "linear": both axes linear, for a window of the first reads.
   */
  scale: 'linear' | 'log';
}

/** Log-axis ticks: the powers of ten within [lo, hi], and hi itself when it is `apart` times past the last one. */
function decadeTicks(lo: number, hi: number, apart = 2.5): number[] {
  const ticks: number[] = [];
  for (let t = 10 ** Math.ceil(Math.log10(Math.max(lo, 1e-9))); t <= hi; t *= 10) ticks.push(t);
  if (ticks.length === 0 || hi / ticks.at(-1)! > apart) ticks.push(hi);
  return ticks;
}

const tickText = (v: number) => (v >= 1 ? formatInt(Math.round(v)) : String(v));

/**
 * The chart's frame for a layout: margins fit the tick labels at the layout's text size, the last
 * read's (centred on the right edge of the plot, "4,096") included.
 */
function frame(layout: Layout, lastRead: number) {
  const marginLeft = Math.ceil(textWidth('1,000', layout.fontSize)) + 12;
  const marginRight = Math.max(14, Math.ceil(textWidth(tickText(lastRead), layout.fontSize) / 2) + 2);
  const height = layout.narrow ? 300 : layout.width < 600 ? 330 : 400;
  return {
    marginLeft,
    marginRight,
    marginTop: Math.round(layout.fontSize * 2),
    marginBottom: Math.round(layout.fontSize * 3.4),
    height,
    plotWidth: layout.width - marginLeft - marginRight,
  };
}

/** A hollow, faint circle at each vertex of a line drawn without its stroke: a dot per sample in one path. */
function ringMarker(color: string, context: { document: Document }): SVGMarkerElement {
  const marker = context.document.createElementNS('http://www.w3.org/2000/svg', 'marker');
  for (const [k, v] of Object.entries({
    viewBox: '-4 -4 8 8',
    markerWidth: 8,
    markerHeight: 8,
    markerUnits: 'userSpaceOnUse',
    fill: 'none',
    stroke: color,
    'stroke-opacity': 0.55,
  }))
    marker.setAttribute(k, String(v));
  marker.innerHTML = '<circle r="2.5"></circle>';
  return marker as SVGMarkerElement;
}

/** Between a peak's ring and its label, px. */
const PEAK_GAP = 9;

/**
 * Whether a label `width` px wide goes left of its point at `x` (anchored at its end) rather than right
 * of it, in an SVG `frameWidth` px wide: the side preferred, unless the label would cross the SVG's
 * edge there and fits on the other side.
 */
function labelGoesLeft(x: number, width: number, frameWidth: number, preferLeft: boolean): boolean {
  const fitsLeft = x - PEAK_GAP - width >= 0;
  const fitsRight = x + PEAK_GAP + width <= frameWidth;
  return preferLeft ? fitsLeft || !fitsRight : !fitsRight && fitsLeft;
}

export function s3MemorySpec(allRows: readonly S3MemoryRow[], opts: S3SpecOptions, layout: Layout): Plot.PlotOptions {
  const f = frame(layout, maxOf(allRows.filter((r) => r.source === 'probe').map((r) => r.iteration)));
  // At most one point per pixel column for each build and sampler (thin.ts keeps each stretch's
  // extremes, so every spike is drawn); the outside samples, a cloud of dots, at most one per 3 px.
  const probe = thinBy(
    allRows.filter((r) => r.source === 'probe'),
    (r) => r.build,
    f.plotWidth,
    (r) => r.rss,
  );
  const xMax = maxOf(probe.map((r) => r.iteration));
  const outside = thinBy(
    allRows.filter((r) => r.source === 'outside' && r.iteration <= xMax),
    (r) => r.build,
    Math.floor(f.plotWidth / 3),
    (r) => r.rss,
  );
  const first = allRows[0];
  const lines = buildsOf(allRows);
  const colours = buildColors(lines);
  // Each build's highest point, whichever sampler saw it: the peak the verdict table reports.
  const peaks = lines.map((b) =>
    allRows.filter((r) => r.build === b.build && r.iteration <= xMax).reduce((p, r) => (r.rss > p.rss ? r : p)),
  );
  const highest = peaks.reduce((p, r) => (r.rss > p.rss ? r : p), peaks[0]);
  // The limits are labelled on the side away from the highest point, so the climb never crosses them.
  const log = opts.scale === 'log';
  // Where a read falls across the plot, 0 to 1: Plot's symlog is sign(x)·log1p(|x|) (constant 1).
  const across = (iteration: number) => (log ? Math.log1p(iteration) / Math.log1p(xMax) : iteration / xMax);
  // Log: the limits are labelled at the right, over the reads after the climb, where nothing is drawn so high.
  const limitsLeft = !log && highest !== undefined && across(highest.iteration) > 0.5;
  const limits = first
    ? [
        // Narrow on the log axes, the threshold is its value alone: the label would reach the climb's peak.
        {
          y: bytesToMiB(first.thresholdRss),
          text: `${formatInt(bytesToMiB(first.thresholdRss))} MiB${opts.scale === 'log' && layout.narrow ? '' : ' threshold'}`,
        },
        { y: bytesToMiB(first.memoryCap), text: capLabel(first.memoryCap) },
      ]
    : [];
  // Log: room above the cap for its label (the threshold's goes below its own rule, a hair lower).
  const yMax = Math.max(maxOf(limits.map((l) => l.y)), maxOf(allRows.map(mib('rss')))) * (log ? 1.6 : 1.05);
  // On a log axis the floor is the decade below the smallest value drawn: the heap's few MiB.
  const drawnLow = minOf(
    probe
      .flatMap((r) => [r.rss, r.heapUsed, r.external])
      .filter((v): v is number => v !== null && v > 0)
      .map((v) => v / MiB),
  );
  const yMin = 10 ** Math.floor(Math.log10(drawnLow > 0 && Number.isFinite(drawnLow) ? drawnLow : 1));
  // Narrow, the label is the value alone (the legend names the ring; the tooltip and table, the sampler).
  // Builds that share a line differ only by shade, so their peaks also carry the build's name.
  const named = (d: S3MemoryRow, text: string) =>
    lines.filter((b) => b.line === d.line).length > 1 ? `${d.build}: ${text}` : text;
  const peakText = (d: S3MemoryRow) =>
    named(
      d,
      layout.narrow
        ? formatMiB(d.rss)
        : `${opts.peakWord} ${formatMiB(d.rss)} (${d.source === 'outside' ? 'outside, mid-read' : 'probe'})`,
    );
  // Where each peak's label goes: left of its ring when it sits in the right half, else right of it;
  // above it, clear of the line climbing to it from the lower left, except the highest ring in the
  // left half, whose label goes below, where the run is over and the chart is empty.
  // On the log axes a lower peak's label goes right of its ring, into the empty reads after the climb.
  // Either way, a label that would run past the chart's edge goes to the other side of its ring: on the
  // live page the newest read, and so a peak, is at the right edge.
  const place = (p: S3MemoryRow) => ({
    left: labelGoesLeft(
      f.marginLeft + across(p.iteration) * f.plotWidth,
      textWidth(peakText(p), layout.fontSize),
      layout.width,
      across(p.iteration) > 0.5 && !(log && p !== highest),
    ),
    below: p === highest && across(p.iteration) <= 0.5,
  });
  // The limits' labels sit on the other side of their rules from the highest ring's label.
  const limitsAbove = highest !== undefined && place(highest).below;
  return {
    width: layout.width,
    height: f.height,
    marginLeft: f.marginLeft,
    marginRight: f.marginRight,
    marginTop: f.marginTop,
    marginBottom: f.marginBottom,
    x: log
      ? {
          type: 'symlog',
          label: layout.narrow ? 'S3 read (log scale) →' : 'Read (one S3File.arrayBuffer() each), log scale →',
          labelOffset: f.marginBottom - 4,
          grid: true,
          domain: [0, xMax],
          // Narrow, the last read's tick needs a decade's room (1,000 and 4,096 would touch).
          ticks: [0, ...decadeTicks(1, xMax, layout.narrow ? 9 : 2.5)],
          tickFormat: tickText,
        }
      : {
          label: layout.narrow ? 'S3 read →' : 'Read (one S3File.arrayBuffer() each) →',
          labelOffset: f.marginBottom - 4,
          grid: false,
          domain: [0, xMax],
          ticks: Math.max(2, Math.floor(f.plotWidth / 90)),
        },
    y: log
      ? {
          type: 'log',
          label: '↑ Memory (MiB, log scale)',
          grid: true,
          domain: [yMin, yMax],
          ticks: decadeTicks(yMin, yMax),
          tickFormat: tickText,
        }
      : {
          label: '↑ Memory (MiB)',
          grid: true,
          domain: [0, yMax],
          ticks: Math.max(3, Math.floor((f.height - f.marginTop - f.marginBottom) / 40)),
        },
    color: { domain: [...colours.keys()], range: [...colours.values()] },
    marks: [
      ...(log ? [] : [Plot.ruleY([0])]),
      // The limits: thin grey rules, labelled, never dashed: dashes and dots belong to the heap's lines.
      ...limits.map((l) => Plot.ruleY([l.y], { stroke: 'currentColor', strokeOpacity: 0.4, strokeWidth: 1 })),
      ...(log
        ? // The two rules are close on a log axis: the cap labelled above its rule, the threshold below its own.
          limits.map((l, i) =>
            Plot.text([l], {
              y: 'y',
              text: 'text',
              frameAnchor: limitsLeft ? 'left' : 'right',
              textAnchor: limitsLeft ? 'start' : 'end',
              dx: limitsLeft ? 4 : -4,
              dy: i === 0 ? 4 : -4,
              lineAnchor: i === 0 ? 'top' : 'bottom',
            }),
          )
        : [
            Plot.text(limits, {
              y: 'y',
              text: 'text',
              frameAnchor: limitsLeft ? 'left' : 'right',
              textAnchor: limitsLeft ? 'start' : 'end',
              dx: limitsLeft ? 4 : -4,
              dy: limitsAbove ? -4 : 4,
              lineAnchor: limitsAbove ? 'bottom' : 'top',
            }),
          ]),
      // Outside samples: faint rings, one path whose vertices carry them, behind the probe's line.
      Plot.lineY(outside, {
        x: 'iteration',
        y: mib('rss'),
        z: 'build',
        stroke: 'build',
        strokeOpacity: 0,
        marker: ringMarker as never,
      }),
      Plot.lineY(probe, {
        x: 'iteration',
        y: mib('rss'),
        stroke: 'build',
        strokeWidth: 2,
        ...(opts.probeDots ? { marker: 'dot' } : {}),
      }),
      Plot.lineY(probe, {
        x: 'iteration',
        y: mib('heapUsed'),
        stroke: 'build',
        strokeWidth: 1.5,
        strokeDasharray: '2,3',
      }),
      Plot.lineY(probe, {
        x: 'iteration',
        y: mib('external'),
        stroke: 'build',
        strokeWidth: 1.5,
        strokeDasharray: '8,4',
      }),
      Plot.dot(peaks, { x: 'iteration', y: mib('rss'), stroke: 'build', r: 5, strokeWidth: 1.5 }),
      ...peaks.map((p) => {
        const { left, below } = place(p);
        return Plot.text([p], {
          x: 'iteration',
          y: mib('rss'),
          fill: 'build',
          text: peakText,
          textAnchor: left ? 'end' : 'start',
          dx: left ? -PEAK_GAP : PEAK_GAP,
          dy: below ? 9 : -9,
          lineAnchor: below ? 'top' : 'bottom',
        });
      }),
    ],
  };
}

/** The builds' colours, then what each kind of mark is. */
export function s3MemoryLegend(rows: readonly S3MemoryRow[], opts: S3SpecOptions, layout: Layout): LegendItem[] {
  const colours = buildColors(buildsOf(rows));
  const builds = [...colours].map(([label, color]): LegendItem => ({ label, swatch: 'rect', color }));
  const n = layout.narrow;
  return [
    ...builds,
    { label: n ? 'RSS after GC' : 'RSS after each read and GC (probe)', swatch: 'line', color: 'currentColor' },
    { label: n ? 'VmRSS, outside' : 'VmRSS from outside, mid-read', swatch: 'dot', color: 'currentColor' },
    { label: 'heapUsed', swatch: 'dash', color: 'currentColor' },
    { label: 'external', swatch: 'longdash', color: 'currentColor' },
    { label: opts.peakWord, swatch: 'ring', color: 'currentColor' },
  ];
}

// ---------------------------------------------------------------- text

/** Per build: both samplers' ranges and how they give the recorded peak. */
export function buildMemorySentence(rows: readonly S3MemoryRow[], build: string): string {
  const probe = probeOf(rows, build);
  const outside = outsideOf(rows, build);
  const last = probe.at(-1)!;
  const probePeak = maxOf(probe.map((r) => r.rss));
  const crossed = probe.find((r) => r.rss >= r.thresholdRss);
  const reads = crossed
    ? `stopped after ${formatInt(last.iteration)} reads, having crossed the ${formatInt(bytesToMiB(last.thresholdRss))} MiB threshold at read ${formatInt(crossed.iteration)}`
    : `ran ${formatInt(last.iteration)} reads without reaching the ${formatInt(bytesToMiB(last.thresholdRss))} MiB threshold`;
  const probeText = `the RSS the probe reported after each read (after a forced GC) went from ${formatMiB(probe[0].rss)} to ${formatMiB(probePeak)} at most`;
  if (outside.length === 0)
    return `${build} ${reads}: ${probeText}; the run recorded a peak of ${formatMiB(last.recordedPeakRss)}`;
  const outsidePeak = maxOf(outside.map((r) => r.rss));
  const recorded = last.recordedPeakRss;
  const reconciles = formatMiB(Math.max(probePeak, outsidePeak)) === formatMiB(recorded);
  const whose = outsidePeak > probePeak ? "the outside sampler's" : "the probe's";
  return (
    `${build} ${reads}: ${probeText}, while the harness, reading VmRSS from outside mid-read, saw up to ${formatMiB(outsidePeak)}` +
    (reconciles
      ? `; the recorded peak, ${formatMiB(recorded)}, is ${whose}`
      : `; the run recorded a peak of ${formatMiB(recorded)}`)
  );
}

/** Each build's fate against the threshold, in one sentence: the s3-rss headline. */
export function thresholdHeadline(rows: readonly S3MemoryRow[]): string {
  const parts = buildsOf(rows).map((b, i) => {
    const probe = probeOf(rows, b.build);
    const last = probe.at(-1)!;
    const crossed = probe.find((r) => r.rss >= r.thresholdRss);
    const threshold = i === 0 ? `the ${formatInt(bytesToMiB(last.thresholdRss))} MiB threshold` : 'it';
    return crossed
      ? `${b.build} reached ${threshold} at read ${formatInt(crossed.iteration)}`
      : `${b.build} ran ${formatInt(last.iteration)} reads below ${threshold}`;
  });
  return `${parts.join('; ')}.`;
}

export function heapSentence(rows: readonly S3MemoryRow[]): string {
  const heap = rows.filter((r) => r.source === 'probe').map((r) => r.heapUsed!);
  return `heapUsed stayed between ${formatMiB(minOf(heap))} and ${formatMiB(maxOf(heap))} throughout`;
}

const TABLE_COLUMNS: TableView['columns'] = [
  { label: 'Build', numeric: false },
  { label: 'Read', numeric: true },
  { label: 'Sampler', numeric: false },
  { label: 'RSS (MiB)', numeric: true },
  { label: 'heapUsed (MiB)', numeric: true },
  { label: 'external (MiB)', numeric: true },
  { label: 'arrayBuffers (MiB)', numeric: true },
];

/** Every sample, per build in read order: the figure's data page. */
export function s3MemoryTable(allRows: readonly S3MemoryRow[]): TableView {
  const order = buildsOf(allRows).map((b) => b.build);
  const sorted = [...allRows].sort(
    (a, b) => order.indexOf(a.build) - order.indexOf(b.build) || a.iteration - b.iteration,
  );
  const m = (v: number | null) => (v === null ? '' : bytesToMiB(v).toFixed(1));
  return {
    note:
      'A probe sample follows the read it is numbered by; an outside sample (≈) is placed between the reads it fell ' +
      'between, by time, so its read number has a fraction.',
    columns: TABLE_COLUMNS,
    rows: sorted.map((r) => [
      r.build,
      r.source === 'probe' ? String(r.iteration) : `≈ ${r.iteration.toFixed(1)}`,
      r.source === 'probe' ? 'probe, after GC' : 'outside, mid-read',
      m(r.rss),
      m(r.heapUsed),
      m(r.external),
      m(r.arrayBuffers),
    ]),
  };
}

/** Per build: what the chart shows, in numbers; the article's table (every sample is on the data page). */
export function s3MemorySummaryTable(rows: readonly S3MemoryRow[]): TableView {
  return {
    columns: [
      { label: 'Build', numeric: false },
      { label: 'Reads', numeric: true },
      { label: 'First RSS (MiB)', numeric: true },
      { label: 'Highest RSS after GC (MiB)', numeric: true },
      { label: 'Highest VmRSS outside (MiB)', numeric: true },
      { label: 'Crossed the threshold at read', numeric: true },
      { label: 'heapUsed (MiB)', numeric: true },
    ],
    rows: buildsOf(rows).map((b) => {
      const probe = probeOf(rows, b.build);
      const outside = outsideOf(rows, b.build);
      const heap = probe.map((r) => r.heapUsed ?? NaN).filter((v) => !Number.isNaN(v));
      const crossed = probe.find((r) => r.rss >= r.thresholdRss);
      const m = (v: number) => bytesToMiB(v).toFixed(1);
      return [
        b.build,
        formatInt(maxOf(probe.map((r) => r.iteration))),
        m(probe[0].rss),
        m(maxOf(probe.map((r) => r.rss))),
        outside.length > 0 ? m(maxOf(outside.map((r) => r.rss))) : '',
        crossed ? formatInt(crossed.iteration) : 'never',
        heap.length > 0 ? `${m(minOf(heap))} to ${m(maxOf(heap))}` : '',
      ];
    }),
    note: `${formatInt(rows.length)} samples in all; every one is on the figure's data page and in its CSV.`,
  };
}

/** Tooltip points: the probe's samples, thinned like the line (so each spike keeps its tooltip). */
export function s3MemoryTips(allRows: readonly S3MemoryRow[], perBuild: number): TipPoint[] {
  const probe = allRows.filter((r) => r.source === 'probe');
  return thinBy(
    probe,
    (r) => r.build,
    perBuild,
    (r) => r.rss,
  ).map((r) => ({
    x: r.iteration,
    y: Math.round(bytesToMiB(r.rss) * 10) / 10,
    text: `${r.build}, read ${formatInt(r.iteration)}: RSS after GC ${formatMiB(r.rss)}, heapUsed ${formatMiB(r.heapUsed!)}`,
  }));
}
