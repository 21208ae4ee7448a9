// Figure downloads stand alone and match the committed records: the SVG frame's text is read and
// measured in the browser, the PNG's size from its IHDR, the CSV's units from its header, the JSON's
// address is followed; bundles match
// SHA256SUMS, and a bundle downloaded through the page unpacks with the files its README names.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csvRows } from '../../src/figures/csv-columns.ts';
import { figureData, figureHeadline, figures, figureSource } from '../../src/figures/registry.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { scenarios } from '../../src/scenarios/registry.ts';
import { FIGURE_PAGES } from '../../src/lib/figure-home.ts';
import { committedRecords } from './site.ts';

/** PNG width and height from its IHDR chunk, which the format puts first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

interface Box {
  role: string;
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

for (const figure of figures) {
  test(`figure ${figure.id}: downloads stand alone and match the records`, async ({ page, request, baseURL }) => {
    const matrix = figureSource(figure) === 'matrix';
    const { records: behind, rows } = figureData(figure, committedRecords(figureSource(figure)));

    // JSON first: it names the figure's address, which the SVG frame must print.
    const jsonResponse = await request.get(`/figures/${figure.id}.json`);
    const json = await jsonResponse.json();
    expect(json.figure.id).toBe(figure.id);
    expect(json.records).toEqual(JSON.parse(JSON.stringify(behind)));
    if (behind.length > 0 && !matrix)
      expect(json.provenance.builds.map((b: { revision: string }) => b.revision)).toEqual(
        behind.map((r) => r.runtime.revision),
      );
    if (behind.length > 0 && matrix)
      expect(json.provenance.records.map((r: { revision: string }) => r.revision)).toEqual(
        behind.map((r) => r.runtime.revision),
      );
    const url: string = json.figure.url;
    expect(url).toBe(`${json.figure.page.url}#fig-${figure.id}`);
    // A matrix figure's home is one of the figure pages (/affected/, a failure's page); any other's an article.
    const home = FIGURE_PAGES.find((p) => p.figures.includes(figure.id));
    expect(url.startsWith(`${baseURL}${home ? home.path : '/articles/'}`)).toBe(true);
    expect(matrix).toBe(home !== undefined);

    const svg = await request.get(`/figures/${figure.id}.svg`);
    expect(svg.headers()['content-type']).toContain('image/svg+xml');
    const svgText = await svg.text();
    expect(svgText).toMatch(/^<\?xml[^>]*>\s*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgText.trim().endsWith('</svg>')).toBe(true);

    // Opened as a file is opened: an SVG document of its own, no page stylesheet, no theme.
    await page.goto(`data:image/svg+xml;base64,${Buffer.from(svgText).toString('base64')}`);
    const { width, height, boxes, chart } = await page.evaluate(() => {
      const root = document.documentElement as unknown as SVGSVGElement;
      const rect = (el: Element) => el.getBoundingClientRect();
      const boxes = [...root.querySelectorAll('[data-frame] text')].map((t) => {
        const r = rect(t);
        return {
          role: t.closest('[data-frame]')!.getAttribute('data-frame')!,
          text: t.textContent ?? '',
          left: r.left,
          top: r.top,
          right: r.right,
          bottom: r.bottom,
        };
      });
      const c = rect(root.querySelector(':scope > svg')!);
      return {
        width: root.width.baseVal.value,
        height: root.height.baseVal.value,
        boxes,
        chart: { role: 'chart', text: '', left: c.left, top: c.top, right: c.right, bottom: c.bottom },
      };
    });
    const lines = (role: string) => boxes.filter((b) => b.role === role).map((b) => b.text);
    expect(lines('title').join(' ')).toBe(figureHeadline(figure, rows));
    expect(lines('subtitle')).toHaveLength(1);
    if (matrix) {
      // Many runs: the builds as a count and a range, the records as a count.
      expect(lines('builds').join(' ')).toBe(
        `Builds: ${json.provenance.buildCount} published builds, ${json.provenance.firstBuild} to ${json.provenance.lastBuild}`,
      );
      expect(lines('source')).toEqual([
        `Source: Bun Rewrite Casebook, ${behind.length} version-matrix records, ${json.dataDate.slice(0, 10)}`,
      ]);
    } else {
      for (const r of behind) expect(lines('builds').join(' ')).toContain(r.runtime.revision);
      expect(lines('source')).toEqual([
        `Source: Bun Rewrite Casebook, run ${behind[0].runId}, ${json.dataDate.slice(0, 10)}`,
      ]);
    }
    expect(lines('url').join('')).toBe(url);
    expect(lines('licence').join(' ')).toMatch(/^Licence: MIT License/);
    // Every line fits inside the image, and no two boxes (frame lines and the chart) overlap.
    const all: Box[] = [...boxes, chart];
    for (const b of boxes)
      expect(b.left >= 0 && b.right <= width, `"${b.text}" runs past the edge (${b.right} > ${width})`).toBe(true);
    const overlaps = all.flatMap((a, i) =>
      all
        .slice(i + 1)
        .filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
        .map((b) => `${a.role} "${a.text}" × ${b.role} "${b.text}"`),
    );
    expect(overlaps).toEqual([]);

    const png = await request.get(`/figures/${figure.id}.png`);
    expect(png.headers()['content-type']).toBe('image/png');
    const pngBody = await png.body();
    expect([...pngBody.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(pngBody)).toEqual({ width: width * 2, height: height * 2 });

    const csv = parseCsv(await (await request.get(`/figures/${figure.id}.csv`)).text());
    if (rows.length === 0) {
      expect(csv).toEqual([]);
    } else {
      const expected = csvRows(figure, rows);
      expect(csv[0]).toEqual(Object.keys(expected[0]));
      expect(csv.slice(1)).toEqual(expected.map((r) => Object.values(r).map((v) => (v === null ? '' : String(v)))));
      // Units in the names: no bare byte counts.
      if (figure.scenario === 's3-leak')
        expect(csv[0]).toEqual(expect.arrayContaining(['rss_mib', 'elapsed_ms', 'heap_used_mib', 'read']));
      expect(csv[0].filter((h) => /^(rss|heapUsed|external|elapsedMs|startMs|latencyMs)$/.test(h))).toEqual([]);
    }
    const dictionary = await (await request.get(`/figures/${figure.id}.csv-metadata.json`)).json();
    expect(dictionary.tableSchema.columns.map((c: { name: string }) => c.name)).toEqual(
      csv[0] ?? dictionary.tableSchema.columns.map((c: { name: string }) => c.name),
    );
    expect(dictionary['dc:source']?.['@id']).toBe(url);

    // The address in the download leads to the figure.
    await page.goto(url);
    await expect(page.locator(`#fig-${figure.id}`)).toBeVisible();
    await expect(page.locator(`#fig-${figure.id} a[href="/figures/${figure.id}.csv-metadata.json"]`)).toHaveCount(1);
  });
}

test('every bundle matches SHA256SUMS', async ({ request }) => {
  const sums = (await (await request.get('/bundles/SHA256SUMS')).text()).trim().split('\n');
  // A .tar.gz and a .zip per scenario that has a bundle (the catalogue's failures rerun from a clone).
  expect(sums.length).toBe(2 * scenarios.filter((s) => s.bundle).length);
  for (const line of sums) {
    const [hex, name] = line.split(/\s+/);
    const body = await (await request.get(`/bundles/${name}`)).body();
    expect(createHash('sha256').update(body).digest('hex'), name).toBe(hex);
  }
});

test('a bundle downloaded from the article unpacks with the files its README names', async ({ page, baseURL }) => {
  await page.goto('/articles/s3-read-leak/');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('a[href="/bundles/s3-leak.tar.gz"]').first().click(),
  ]);
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-e2e-'));
  try {
    const file = path.join(dir, 's3-leak.tar.gz');
    await download.saveAs(file);
    // the checksum shown on the page is the file's
    const shown = await page.locator('.bundle li', { hasText: 's3-leak.tar.gz' }).locator('code.sha').textContent();
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(shown);
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    const top = path.join(dir, 'bun-casebook-s3-leak');
    const readme = readFileSync(path.join(top, 'README.md'), 'utf8');
    expect(readme).toContain(`From Bun Rewrite Casebook, ${baseURL}/. `);
    const files = [...(readme.split('## Files')[1] ?? '').matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(existsSync(path.join(top, f)), f).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(top, 'package.json'), 'utf8'));
    expect(pkg.scripts.repro).toBe('node repro/harness/cli.ts');
    expect(pkg.casebook.scenario).toBe('s3-leak');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
