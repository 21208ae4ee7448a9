// A long but valid s3-leak run: 500,000 reads, generated here rather than committed (the record
// would weigh about 80 MB). A record of 430,000 samples once overflowed the stack in
// Math.max(...samples); every S3 figure must still describe it, tabulate it and draw it, with a
// bounded SVG whose line still reaches the run's true peak, a single read's spike.
import { beforeAll, describe, expect, test } from 'vitest';
import { RunRecord, type S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { figureDownload } from '../../../src/figures/downloads.ts';
import { figures } from '../../../src/figures/registry.ts';
import { LAYOUTS } from '../../../src/figures/layout.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { thinSeries } from '../../../src/figures/thin.ts';
import { formatInt, formatMiB } from '../../../src/lib/format.ts';
import { fixtureRecords } from './fixtures.ts';

const MiB = 1024 * 1024;
const READS = 500_000;
/** About what a read took in the reference run (26 ms), so the run lasts 3.5 h, within the schema's day. */
const MS_PER_READ = 25;
const OUTSIDE_INTERVAL_MS = 100;
/** When the outside sampler's clock reads the probe's baseline: it starts just before the reads. */
const BASELINE_AT_OUTSIDE_MS = 60;
const PAYLOAD_MIB = 32;
/** One read, off any even stride, whose RSS is far above the rest: the run's peak. */
const SPIKE_READ = 313_373;
const SPIKE_RSS = Math.round(777.7 * MiB);

/**
 * What a figure may draw, whatever the run's length: every series (a path) at most one point per
 * pixel column of its layout (thin.ts), so in all a few series per build of at most `width` points;
 * the frame (axes, ticks, rules, legend, the ringed peaks) adds under 100 more.
 */
const MAX_SERIES_PER_BUILD = 4;
const MAX_FRAME_POINTS = 100;
/** About 10 bytes per path point in practice; 30 leaves room for labels and the frame. */
const MAX_BYTES_PER_POINT = 30;

/** A deterministic wobble (a linear congruential generator), so RSS is not a smooth line thinning could sample evenly. */
function wobble(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** RSS after read i: a slow sawtooth around 140 MiB with noise, and the one spike. */
function rssAfterRead(i: number, noise: number): number {
  if (i === SPIKE_READ) return SPIKE_RSS;
  return Math.round((140 + (i % 5_000) / 250 + noise * 4) * MiB);
}

/** The Rust fixture record, run for 500,000 reads without reaching the threshold, parsed with the schema. */
function longRun(): S3LeakRecord {
  const template = fixtureRecords.find(
    (r): r is S3LeakRecord => r.scenario === 's3-leak' && r.runtime.line === 'rust',
  )!;
  const random = wobble(42);
  const samples = Array.from({ length: READS + 1 }, (_, i) => ({
    iteration: i,
    elapsedMs: i * MS_PER_READ,
    rss: rssAfterRead(i, random()),
    heapUsed: Math.round((4 + random()) * MiB),
    external: 2 * MiB,
    arrayBuffers: 1 * MiB,
    anonRss: Math.round(100 * MiB + random() * MiB),
  }));
  // Mid-read, the payload is in flight on top of the previous read's RSS; the spike is the probe's alone.
  const readsMs = READS * MS_PER_READ;
  const outsideSamples = Array.from(
    { length: Math.floor((BASELINE_AT_OUTSIDE_MS + readsMs) / OUTSIDE_INTERVAL_MS) + 1 },
    (_, k) => {
      const t = k * OUTSIDE_INTERVAL_MS;
      const read = Math.max(0, Math.floor((t - BASELINE_AT_OUTSIDE_MS) / MS_PER_READ));
      const vmRss = rssAfterRead(read === SPIKE_READ ? read + 1 : read, 0.5) + PAYLOAD_MIB * MiB;
      return { elapsedMs: t, vmRss, rssAnon: vmRss - 20 * MiB, cgroupCurrent: null };
    },
  );
  const peak = Math.max(largest(samples.map((s) => s.rss)), largest(outsideSamples.map((o) => o.vmRss)));
  return RunRecord.parse({
    ...template,
    parameters: { ...template.parameters, maxIterations: READS, outsideSampleIntervalMs: OUTSIDE_INTERVAL_MS },
    samples,
    outsideSamples,
    baselineAtOutsideMs: BASELINE_AT_OUTSIDE_MS,
    verdict: {
      ...template.verdict,
      kind: 'bounded',
      iteration: READS,
      baselineRssBytes: samples[0].rss,
      peakRssBytes: peak,
      growthMiBPerIteration: 0,
      wallMs: readsMs,
      message: 'RSS stayed bounded',
    },
  }) as S3LeakRecord;
}

/** The test's own maximum, independent of the code under test. */
function largest(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  return max;
}

/** Circles plus the move/line commands of every path: the points an SVG draws. */
function drawnPoints(svg: string): number {
  const circles = svg.match(/<circle\b/g)?.length ?? 0;
  const commands = [...svg.matchAll(/\bd="([^"]*)"/g)].reduce(
    (n, [, d]) => n + (d.match(/[MLHVCSQTAZ]/gi)?.length ?? 0),
    0,
  );
  return circles + commands;
}

/**
 * Not a speed test: a few seconds per figure here, but a slow or busy machine may take several
 * times that, and the point is that it finishes. (The quadratic code this replaced took minutes.)
 */
const GENEROUS_MS = 120_000;

let long: S3LeakRecord;
beforeAll(() => {
  long = longRun();
}, GENEROUS_MS);

const zigFixture = () => fixtureRecords.find((r) => r.scenario === 's3-leak' && r.runtime.line === 'zig')!;
const runs = {
  'the Zig build stops early, the Rust one reads 500,000 times': () => [zigFixture(), long],
  'one build reads 500,000 times': () => [long],
};
const s3Figures = figures.filter((f) => f.scenario === 's3-leak');

describe.each(s3Figures.map((f) => [f.id, f] as const))('figure %s on a 500,000-read run', (_id, figure) => {
  test.each(Object.keys(runs))(
    '%s: described, tabulated and drawn within bounds',
    (name) => {
      const run = runs[name as keyof typeof runs]();
      const rows = figure.select(run);
      // Page order (Figure.astro): the summary first, then the chart, which carries it, then the table.
      const summary = figure.summary(rows);
      for (const layout of LAYOUTS) {
        const { svg } = renderFigure(figure, rows, summary, layout);
        // At most one point per pixel column for each series.
        for (const [, d] of svg.matchAll(/\bd="(M[^"]*)"/g))
          expect(d.match(/[ML]/g)!.length).toBeLessThanOrEqual(layout.width);
        const maxPoints = run.length * MAX_SERIES_PER_BUILD * layout.width + MAX_FRAME_POINTS;
        expect(drawnPoints(svg)).toBeLessThanOrEqual(maxPoints);
        expect(svg.length).toBeLessThanOrEqual(maxPoints * MAX_BYTES_PER_POINT);
      }
      // The data page's table keeps every row; the article's has one row per build; 40 tooltips per build (s3-rss.ts).
      expect(figure.table(rows).rows.length).toBe(rows.length);
      expect(figure.summaryTable!(rows).rows.length).toBe(run.length);
      expect(figure.tips!(rows).length).toBeLessThanOrEqual(run.length * 40);
    },
    GENEROUS_MS,
  );
});

test(
  's3-rss names the true peak of 500,000 reads, a single read, in its summary and rings it in the chart',
  () => {
    const figure = figures.find((f) => f.id === 's3-rss')!;
    const rows = figure.select([zigFixture(), long]);
    const truePeak = largest(long.samples.map((s) => s.rss));
    expect(truePeak).toBe(SPIKE_RSS);
    const summary = figure.summary(rows);
    expect(summary).toContain(`went from ${formatMiB(long.samples[0].rss)} to ${formatMiB(truePeak)} at most`);
    expect(summary).toContain(`the recorded peak, ${formatMiB(truePeak)}, is the probe's`);
    expect(summary).toContain(`saw up to ${formatMiB(largest(long.outsideSamples.map((o) => o.vmRss)))}`);
    expect(renderFigure(figure, rows, summary).svg).toContain(`peak ${formatMiB(truePeak)} (probe)`);
  },
  GENEROUS_MS,
);

test(
  's3-rss-first-reads, when no build stops early, shows the whole run and rings its true peak',
  () => {
    const figure = figures.find((f) => f.id === 's3-rss-first-reads')!;
    const rows = figure.select([long]);
    const summary = figure.summary(rows);
    expect(summary).toContain(`Reads 0 to ${formatInt(READS)}`);
    expect(renderFigure(figure, rows, summary).svg).toContain(`highest here ${formatMiB(SPIKE_RSS)} (probe)`);
  },
  GENEROUS_MS,
);

test(
  'the CSV download of a 500,000-read run still carries every row',
  () => {
    const rows = figures.find((f) => f.id === 's3-rss')!.select([zigFixture(), long]);
    const csv = figureDownload('s3-rss', 'csv', [zigFixture(), long]) as string;
    expect(csv.split('\r\n').length - 2).toBe(rows.length); // the header, and the empty string after the last line end
  },
  GENEROUS_MS,
);

test("thinning returns a series that fits whole, and of a longer one at most max rows: the ends and each stretch's extremes", () => {
  const short = [
    { i: 0, v: 3 },
    { i: 1, v: 1 },
    { i: 2, v: 2 },
  ];
  expect(thinSeries(short, 4, (r) => r.v)).toEqual(short);
  // A sawtooth with one spike up and one down, neither on an even stride.
  const series = Array.from({ length: 100_003 }, (_, i) => ({
    i,
    v: i === 43_211 ? 500 : i === 87_654 ? -500 : i % 100,
  }));
  const thinned = thinSeries(series, 600, (r) => r.v);
  expect(thinned.length).toBeLessThanOrEqual(600);
  expect(thinned[0]).toBe(series[0]);
  expect(thinned.at(-1)).toBe(series.at(-1));
  expect(thinned.map((r) => r.i)).toContain(43_211);
  expect(thinned.map((r) => r.i)).toContain(87_654);
  expect(thinned.every((r, k) => k === 0 || r.i > thinned[k - 1].i)).toBe(true);
  expect(() => thinSeries(series, 3, (r) => r.v)).toThrow(RangeError);
});
