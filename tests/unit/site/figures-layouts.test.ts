// The layouts the page chooses between, the colours it themes, and the labels placed to fit: pure
// functions of the records, checked without a browser (the e2e charts test measures the result).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { LAYOUTS } from '../../../src/figures/layout.ts';
import { formatMiB } from '../../../src/lib/format.ts';
import { buildColors, lineShades, shadeName, themedClass, type Line } from '../../../src/figures/palette.ts';
import { figureData, figureHeadline, figures, getFigure } from '../../../src/figures/registry.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { contrast } from './colour.ts';
import { fixtureFor, fixtureRecords } from './fixtures.ts';
import { clippedLabels } from './svg-text.ts';

const css = readFileSync(path.resolve(import.meta.dirname, '../../../src/styles/figures.css'), 'utf8');

test('figures.css gives each build shade its light and dark colour from palette.ts, each 4.5:1 on its page', () => {
  for (const line of Object.keys(lineShades) as Line[]) {
    lineShades[line].forEach(({ light, dark }, i) => {
      const name = shadeName(line, i);
      expect(css).toContain(`--fig-${name}: light-dark(${light}, ${dark});`);
      expect(css).toContain(`.fig-fill-${name} { fill: var(--fig-${name}); }`);
      expect(css).toContain(`.fig-stroke-${name} { stroke: var(--fig-${name}); }`);
      expect(contrast(light, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(dark, '#14161a')).toBeGreaterThanOrEqual(4.5);
      expect(themedClass(light.toUpperCase(), 'fill')).toBe(`fig-fill-${name}`);
    });
  }
  expect(themedClass('#B5530B', 'fill')).toBe('fig-fill-zig');
  expect(themedClass('#2e8540', 'fill')).toBeUndefined();
});

test('builds of one line take its shades in turn, so three Zig and two Rust builds get five colours', () => {
  const builds = [
    { build: '1.3.12 (Zig)', line: 'zig' },
    { build: '1.3.14 (Zig)', line: 'zig' },
    { build: '1.4.0 (Rust)', line: 'rust' },
    { build: '1.3.13 (Zig)', line: 'zig' },
    { build: '1.4.5 (Rust)', line: 'rust' },
  ];
  const colours = buildColors(builds);
  expect([...colours.values()]).toEqual([
    lineShades.zig[0].light,
    lineShades.zig[1].light,
    lineShades.rust[0].light,
    lineShades.zig[2].light,
    lineShades.rust[1].light,
  ]);
  expect(new Set(colours.values()).size).toBe(5);
  // The usual pair keeps the lines' own colours.
  expect([...buildColors([builds[1], builds[2]]).values()]).toEqual([
    lineShades.zig[0].light,
    lineShades.rust[0].light,
  ]);
});

test('figures.css switches between exactly the layouts the figures are drawn at', () => {
  const [narrow, wide] = LAYOUTS;
  expect(LAYOUTS).toHaveLength(2);
  expect(css).toContain(`.fig-layout[data-width='${narrow.width}']`);
  expect(css).toContain(`@container (min-width: ${wide.width}px)`);
  // 12.5 px text stays at least 12 px down to 96 % of a layout's width (a 360 px phone gives the narrow one ~ 300).
  for (const l of LAYOUTS) expect((l.fontSize * 0.96 * l.width) / l.width).toBeGreaterThanOrEqual(12);
});

describe.each(figures.map((f) => [f.id, f] as const))('figure %s', (id, figure) => {
  const { rows } = figureData(figure, fixtureFor(figure));

  // The layouts the page draws it at (a figure drawn wide only scrolls on a phone).
  test.each((figure.layouts ?? LAYOUTS).map((l) => [l.width, l] as const))(
    'at %i px: its width, its text size, labels inside it, and a snapshot',
    async (width, layout) => {
      const { svg, width: drawn } = renderFigure(figure, rows, undefined, layout);
      expect(drawn).toBe(width);
      expect(svg).toContain(`font-size="${layout.fontSize}"`);
      // No text smaller than the layout's own (Plot's default 10 px must not survive anywhere).
      for (const [, size] of svg.matchAll(/font-size="([\d.]+)"/g))
        expect(Number(size)).toBeGreaterThanOrEqual(layout.fontSize);
      // Every upright label inside the SVG: none cut off at either edge.
      expect(clippedLabels(svg, width)).toEqual([]);
      if (layout.narrow)
        await expect(
          svg.replace(/plot-[0-9a-f]{6}/g, 'plot').replace(/plot-(clip|marker)-\d+/g, 'plot-$1'),
        ).toMatchFileSnapshot(`__snapshots__/${id}-narrow.svg`);
    },
  );

  test('has a caption of a few lines and notes for the detail', () => {
    // About 38 characters a line at 390 px: "Figure N. " and the title and the caption in about four lines.
    expect(`Figure 1. ${figure.title}. ${figure.caption}`.length).toBeLessThanOrEqual(4 * 38);
    expect(figure.notes.length).toBeGreaterThan(figure.caption.length);
  });

  test('has a headline: one sentence from its rows, read before the chart', () => {
    const headline = figureHeadline(figure, rows);
    expect(headline).toMatch(/\.$/);
    expect(headline).not.toMatch(/undefined|NaN|null|\[object/);
    // About six lines at 390 px: a headline, not the summary.
    expect(headline.length).toBeLessThanOrEqual(6 * 38);
    expect(headline).not.toBe(figure.summary(rows));
    // Before any record there is nothing to state: the title stands in.
    expect(figureHeadline(figure, [])).toBe(figure.title);
  });
});

test('the verdict matrix labels every bar with its ordering and build, and keeps the distribution in each bar', () => {
  const figure = getFigure('sql-verdicts');
  const { rows } = figureData(figure, fixtureRecords);
  for (const layout of LAYOUTS) {
    const { svg } = renderFigure(figure, rows, undefined, layout);
    const name = (b: string) => (layout.narrow ? /\(([^)]+)\)$/.exec(b)![1] : b);
    for (const r of rows) expect(svg).toContain(`>${r.ordering} · ${name(String(r.build))}<`);
    // cold-start/after on Zig: 7 corrupted and 3 recovered, two segments of one bar (narrow: the counts alone).
    expect(svg).toMatch(layout.narrow ? />(corrupted )?7</ : />corrupted 7</);
    expect(svg).toMatch(/>(\w+ )?3</);
    expect(svg).toContain('⚠ hangs');
  }
  expect(figure.legend!(rows, LAYOUTS[0]).map((i) => i.label)).toEqual([
    'recovers',
    'fails-fast',
    'corrupted',
    '⚠ hangs',
  ]);
});

test('the timeline has a legend and says how many pool events a tick stands for', () => {
  const figure = getFigure('sql-timeline');
  const { rows } = figureData(figure, fixtureRecords);
  const { svg } = renderFigure(figure, rows);
  expect(svg).toContain('class="fig-legend"');
  expect(svg).toContain('>pool event<');
  expect(svg).toMatch(/>\d+ events?</);
  expect(svg).not.toContain('× ');
});

test('an S3 run of two Zig builds and one Rust build draws three colours, and names the builds that share a line at their peaks', () => {
  const s3 = fixtureRecords.filter((r): r is Extract<typeof r, { scenario: 's3-leak' }> => r.scenario === 's3-leak');
  const zig = s3.find((r) => r.runtime.line === 'zig')!;
  const other = { ...zig, runtime: { ...zig.runtime, label: '1.3.13 (Zig)', version: '1.3.13' } };
  const figure = getFigure('s3-rss');
  const rows = figure.select([...s3, other]);
  const { svg } = renderFigure(figure, rows, undefined, LAYOUTS[1]);
  for (const shade of [lineShades.zig[0], lineShades.zig[1], lineShades.rust[0]])
    expect(svg).toContain(`stroke="${shade.light}"`);
  expect(svg).toContain('fig-stroke-zig-2');
  expect(svg).toMatch(/1\.3\.13 \(Zig\): peak/);
  expect(svg).not.toMatch(/\(Rust\): peak/);
});

test('as the live page draws s3-rss mid-run, each peak so far at the newest read, every peak label stays inside', () => {
  const s3 = fixtureRecords.filter((r): r is Extract<typeof r, { scenario: 's3-leak' }> => r.scenario === 's3-leak');
  const figure = getFigure('s3-rss');
  const last = Math.max(...s3.map((r) => r.samples.at(-1)!.iteration));
  for (const upTo of [5, 20, 60, Math.floor(last / 2), last]) {
    // What the live view folds in by then: the samples so far, the peak the highest of them.
    const sofar = s3.map((r) => {
      const samples = r.samples.filter((x) => x.iteration <= upTo);
      const peak = Math.max(...samples.map((x) => x.rss));
      return { ...r, samples, outsideSamples: [], verdict: { ...r.verdict, peakRssBytes: peak } };
    });
    const rows = figure.select(sofar);
    for (const layout of LAYOUTS) {
      const { svg, width } = renderFigure(figure, rows, undefined, layout);
      for (const r of sofar) expect(svg, `read ${upTo}`).toContain(formatMiB(r.verdict.peakRssBytes));
      expect(clippedLabels(svg, width), `read ${upTo} at ${width} px`).toEqual([]);
    }
  }
});
