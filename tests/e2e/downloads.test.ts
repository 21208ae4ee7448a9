// Figure downloads return valid SVG/PNG/CSV/JSON that match the committed records; bundles match
// SHA256SUMS, and a bundle downloaded through the page unpacks with the files its README names.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { figureData, figures } from '../../src/figures/registry.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { committedRecords } from './site.ts';

const records = committedRecords();

for (const figure of figures) {
  test(`figure ${figure.id}: downloads match the records`, async ({ request }) => {
    const { records: behind, rows } = figureData(figure, records);

    const svg = await request.get(`/figures/${figure.id}.svg`);
    expect(svg.headers()['content-type']).toContain('image/svg+xml');
    const svgText = await svg.text();
    expect(svgText).toMatch(/^<\?xml[^>]*>\s*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgText.trim().endsWith('</svg>')).toBe(true);

    const png = await request.get(`/figures/${figure.id}.png`);
    expect(png.headers()['content-type']).toBe('image/png');
    expect([...(await png.body()).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const csv = parseCsv(await (await request.get(`/figures/${figure.id}.csv`)).text());
    if (rows.length === 0) {
      expect(csv).toEqual([]);
    } else {
      expect(csv[0]).toEqual(Object.keys(rows[0]));
      expect(csv.slice(1)).toEqual(rows.map((r) => Object.values(r).map((v) => (v === null ? '' : String(v)))));
    }

    const json = await (await request.get(`/figures/${figure.id}.json`)).json();
    expect(json.figure.id).toBe(figure.id);
    expect(json.records).toEqual(JSON.parse(JSON.stringify(behind)));
    if (behind.length > 0) expect(json.provenance.builds.map((b: { revision: string }) => b.revision)).toEqual(behind.map((r) => r.runtime.revision));
  });
}

test('every bundle matches SHA256SUMS', async ({ request }) => {
  const sums = (await (await request.get('/bundles/SHA256SUMS')).text()).trim().split('\n');
  expect(sums.length).toBe(4);
  for (const line of sums) {
    const [hex, name] = line.split(/\s+/);
    const body = await (await request.get(`/bundles/${name}`)).body();
    expect(createHash('sha256').update(body).digest('hex'), name).toBe(hex);
  }
});

test('a bundle downloaded from the article unpacks with the files its README names', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href="/bundles/s3-leak.tar.gz"]').first().click()]);
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
