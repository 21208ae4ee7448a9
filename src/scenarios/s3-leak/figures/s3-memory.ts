// The drawing and text shared by the two s3-leak memory figures (s3-rss, the whole run, and
// s3-rss-first-reads, the reads up to where the first build stopped), over the rows and the drawn
// subset that s3-memory-rows.ts prepares. The run's recorded peak (verdict.peakRssBytes) is the higher
// of the probe's and the outside samples, so both are drawn and both are named in the summary.
import * as Plot from '@observablehq/plot';
import { bytesToMiB, formatInt, formatMiB, MiB } from '../../../lib/format.ts';
import type { Layout } from '../../../figures/layout.ts';
import { el, treeMarker } from '../../../figures/svg-tree.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { buildColors } from '../../../figures/palette.ts';
import { thinBy } from '../../../figures/thin.ts';
import { buildsOf, drawnS3Memory, maxOf, minOf, outsideOf, probeOf, type S3MemoryRow } from './s3-memory-rows.ts';
import type { LegendItem, TableView, TipPoint } from '../../../figures/types.ts';

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
const ringMarker = treeMarker((color) =>
  el(
    'marker',
    {
      viewBox: '-4 -4 8 8',
      markerWidth: 8,
      markerHeight: 8,
      markerUnits: 'userSpaceOnUse',
      fill: 'none',
      stroke: color,
      'stroke-opacity': 0.55,
    },
    [el('circle', { r: 2.5 })],
  ),
);

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
  const { probe, outside, xMax, peaks, highest } = drawnS3Memory(allRows, f.plotWidth);
  const first = allRows[0];
  const lines = buildsOf(allRows);
  const colours = buildColors(lines);
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
