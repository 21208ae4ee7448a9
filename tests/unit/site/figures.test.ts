// Chart specs from fixture records: rows carry the records' values, summaries describe them,
// and each rendered SVG matches its committed snapshot (normalised the way Plot's own tests do).
import { describe, expect, test } from 'vitest';
import type { S3LeakRecord } from '../../../repro/harness/record/schema.ts';
import { figureDownload } from '../../../src/figures/downloads.ts';
import { figureData, figures, getFigure } from '../../../src/figures/registry.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { parseCsv } from '../../../src/lib/csv.ts';
import { fixtureRecords } from './fixtures.ts';

/** Plot's snapshot normalisation: 3 decimals, stable class and clip ids. */
function normalise(svg: string): string {
  let clip = 0;
  const ids = new Map<string, string>();
  return svg
    .replace(/\d+\.\d{4,}/g, (n) => Number(n).toFixed(3))
    .replace(/plot-[0-9a-f]{6}/g, 'plot')
    .replace(/plot-clip-\d+/g, (id) => {
      if (!ids.has(id)) ids.set(id, `plot-clip-${++clip}`);
      return ids.get(id)!;
    })
    .replace(/></g, '>\n<');
}

describe.each(figures.map((f) => [f.id, f] as const))('figure %s', (id, figure) => {
  const { rows } = figureData(figure, fixtureRecords);

  test('draws from the records and matches its SVG snapshot', async () => {
    expect(rows.length).toBeGreaterThan(0);
    const { svg } = renderFigure(figure, rows);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain(`aria-label="${figure.title}"`);
    await expect(normalise(svg)).toMatchFileSnapshot(`__snapshots__/${id}.svg`);
  });

  test('with no recorded run says so and draws no data', () => {
    const { rows: none } = figureData(figure, []);
    expect(none).toEqual([]);
    expect(figure.summary(none)).toBe('No recorded run yet.');
    expect(renderFigure(figure, none).svg).toContain('No recorded run yet');
  });

  test('CSV download has one line per row, in the rows\' values', () => {
    const csv = parseCsv(figureDownload(id, 'csv', fixtureRecords) as string);
    expect(csv.length).toBe(rows.length + 1);
    expect(csv[0]).toEqual(Object.keys(rows[0]));
    expect(csv[1]).toEqual(Object.values(rows[0]).map((v) => (v === null ? '' : String(v))));
  });
});

test('s3-rss rows are the samples of the latest run, unconverted (bytes)', () => {
  const figure = getFigure('s3-rss');
  const { records, rows } = figureData(figure, fixtureRecords);
  const s3 = records as S3LeakRecord[];
  expect(rows.length).toBe(s3.reduce((n, r) => n + r.samples.length, 0));
  expect(rows[0]).toMatchObject({ build: s3[0].runtime.label, rss: s3[0].samples[0].rss, heapUsed: s3[0].samples[0].heapUsed });
  expect(figure.summary(rows)).toMatchInlineSnapshot(`"1.3.14 (Zig): the RSS the probe reported went from 100.0 MiB to 1060.0 MiB at most over 30 iterations, crossing the 900 MiB threshold at iteration 25, while heapUsed stayed between 4.0 MiB and 4.5 MiB; 1.4.5 (Rust): the RSS the probe reported went from 100.0 MiB to 120.0 MiB at most over 40 iterations, never reaching the threshold, while heapUsed stayed between 4.0 MiB and 4.5 MiB."`);
});

test('s3-rss marks the threshold and the cap from the record parameters', () => {
  const { rows } = figureData(getFigure('s3-rss'), fixtureRecords);
  const { svg } = renderFigure(getFigure('s3-rss'), rows);
  expect(svg).toContain('900 MiB threshold');
  expect(svg).toContain('1 GiB cap');
});

test('sql figures pick the case trial and tabulate every build', () => {
  const { rows } = figureData(getFigure('sql-timeline'), fixtureRecords);
  expect(new Set(rows.map((r) => r.trial))).toEqual(new Set(['blackhole/after']));
  const verdicts = figureData(getFigure('sql-verdicts'), fixtureRecords).rows;
  expect(verdicts.find((r) => r.fault === 'blackhole' && r.ordering === 'after' && r.build === '1.3.14 (Zig)')?.verdict).toBe('hangs');
});

test('an unknown figure id is an error naming the known ones', () => {
  expect(() => getFigure('nope')).toThrowErrorMatchingInlineSnapshot(`[Error: Unknown figure id "nope"; known: s3-rss, sql-verdicts, sql-timeline.]`);
});

test('the PNG download is a PNG', () => {
  const png = figureDownload('s3-rss', 'png', fixtureRecords) as Uint8Array;
  expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});
