// "Is my Bun affected?" as a reader uses it: a version's anchor, the filter without JavaScript, and
// each cell's link to the record behind it, which must be that build's record.
import { expect, test } from '@playwright/test';
import { RunRecord } from '../../repro/core/record/schema.ts';

test('every row has a citable anchor, and #v1.3.14 lands on the last Zig release', async ({ page }) => {
  await page.goto('/affected/#v1.3.14');
  const row = page.locator('tr#v1\\.3\\.14');
  await expect(row).toBeVisible();
  await expect(row.locator('td').first()).toHaveText('1.3.14+0d9b296af');
  const ids = await page.locator('.version-matrix tbody tr').evaluateAll((rows) => rows.map((r) => r.id));
  expect(ids.length).toBeGreaterThan(1);
  expect(ids.every((id) => /^v\d+\.\d+\.\d+/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the line filter shows only that line, and "all" brings every row back', async ({ page }) => {
    await page.goto('/affected/');
    const rows = page.locator('.version-matrix tbody tr');
    const total = await rows.count();
    await page.getByLabel('Rust line').check();
    const visibleLines = await rows.evaluateAll((rs) => rs.filter((r) => (r as HTMLElement).offsetParent !== null).map((r) => r.getAttribute('data-line')));
    expect(visibleLines.length).toBeGreaterThan(0);
    expect(visibleLines.length).toBeLessThan(total);
    expect(new Set(visibleLines)).toEqual(new Set(['rust']));
    await page.getByLabel('All builds').check();
    expect(await rows.evaluateAll((rs) => rs.filter((r) => (r as HTMLElement).offsetParent !== null).length)).toBe(total);
  });
});

test("a cell's record link serves that build's record, as the harness wrote it", async ({ page, request }) => {
  await page.goto('/affected/');
  const links = page.locator('.version-matrix tbody tr a.matrix-record');
  expect(await links.count()).toBeGreaterThan(0);
  // The first and the last link: the oldest and the newest build recorded.
  for (const link of [links.first(), links.last()]) {
    const revision = (await link.locator('xpath=ancestor::tr').locator('td').first().textContent())!.trim();
    const response = await request.get((await link.getAttribute('href'))!);
    expect(response.status()).toBe(200);
    const record = RunRecord.parse(await response.json());
    expect(record.runtime.revision).toBe(revision);
  }
});

test('the figure above the table is figure 1 of the page, cited from here, and its provenance links serve its records', async ({ page, request, baseURL }) => {
  await page.goto('/affected/');
  const figure = page.locator('#fig-version-matrix');
  await expect(figure.locator('figcaption')).toContainText('Figure 1.');
  // Above the table: the reader sees the overview first.
  const [figureTop, tableTop] = await Promise.all([figure, page.locator('.version-matrix')].map(async (l) => (await l.boundingBox())!.y));
  expect(figureTop).toBeLessThan(tableTop);
  await figure.getByText('Cite this figure').click();
  const plain = await figure.locator('pre[data-citation="plain"]').textContent();
  expect(plain).toContain(`In "Is my Bun affected?"`);
  expect(plain).toContain(`${baseURL}/affected/#fig-version-matrix`);
  for (const ext of ['svg', 'png', 'csv', 'csv-metadata.json', 'json']) await expect(figure.locator(`a[href="/figures/version-matrix.${ext}"]`)).toHaveCount(1);
  await figure.getByText('Provenance').click();
  const links = figure.locator('.provenance-records a');
  expect(await links.count()).toBeGreaterThan(40);
  for (const link of [links.first(), links.last()]) {
    const response = await request.get((await link.getAttribute('href'))!);
    expect(response.status()).toBe(200);
    const record = RunRecord.parse(await response.json());
    expect(await link.textContent()).toBe(`${record.runtime.source.split('@').at(-1)}, ${record.scenario}`);
  }
});

test("the ledger leads the page: its classes are /ledger.json, and each key state is that build row's cell", async ({ page, request }) => {
  await page.goto('/affected/');
  const ledger = page.locator('.ledger table');
  await expect(ledger).toBeVisible();
  const [ledgerTop, matrixTop] = await Promise.all([ledger, page.locator('.version-matrix')].map(async (l) => (await l.boundingBox())!.y));
  expect(ledgerTop).toBeLessThan(matrixTop);
  const published = (await (await request.get('/ledger.json')).json()) as { failure: string; title: string; class: string; states: Record<string, string> }[];
  expect(published.length).toBeGreaterThan(0);
  // One row per published failure, in the same order, titled alike.
  await expect(ledger.locator('tbody th')).toHaveText(published.map((p) => p.title));
  // Each key build's column: its heading links to the build's row, and every state in it is the row's.
  const keyBuilds = await ledger.locator('thead th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace(/^#v/, '')));
  expect(keyBuilds).toHaveLength(4);
  const matrixColumns = await page.locator('.version-matrix thead th').allTextContents();
  for (const [i, failure] of published.entries()) {
    const states = await ledger.locator('tbody tr').nth(i).locator('td.matrix-cell').allTextContents();
    expect(states).toEqual(keyBuilds.map((b) => (failure.states[b] ?? 'not recorded').replace('-', ' ')));
    // The failure's column in the matrix table, after its three columns naming the build.
    const column = matrixColumns.indexOf(failure.title) - 3;
    expect(column).toBeGreaterThanOrEqual(0);
    for (const b of keyBuilds.filter((k) => failure.states[k])) {
      await expect(page.locator(`tr#v${b.replace(/\./g, '\\.')} td.matrix-cell`).nth(column)).toHaveClass(new RegExp(`\\bis-${failure.states[b]}\\b`));
    }
  }
});
