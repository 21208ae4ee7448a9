// The parts that run in the browser: the cite block's copy buttons, search (figure tooltips: charts.test.ts).
import { expect, test } from '@playwright/test';
import { longDay } from '../../src/lib/format.ts';
import { FAILURES } from '../../src/lib/version-matrix.ts';

test("the cite block copies a citation with the figure permalink and today's date", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto('/articles/s3-read-leak/');
  const figure = page.locator('#fig-s3-rss');
  await figure.getByText('Cite this figure').click();
  await figure.locator('button[data-copy="cite-s3-rss-plain"]').click();
  await expect(figure.locator('button[data-copy="cite-s3-rss-plain"]')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('(s3-rss)');
  expect(copied).toContain(`${new URL('/articles/s3-read-leak/#fig-s3-rss', baseURL).pathname}`);
  expect(copied).toContain(`Retrieved ${longDay(new Date())}.`);
  await figure.locator('button[data-copy="cite-s3-rss-bibtex"]').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^@misc\{casebook-fig-s3-rss,/);
  await figure.locator('button[data-copy="cite-s3-rss-csl"]').click();
  expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))[0].number).toBe('s3-rss');
  await context.close();
});

test('search finds "arrayBuffer"', async ({ page }) => {
  await page.goto('/search/?q=arrayBuffer');
  const results = page.locator('.pagefind-ui__result');
  await expect(results.first()).toBeVisible();
  await expect(results.first().locator('a').first()).toHaveAttribute('href', /\/articles\//);
});

test('the header search box leads to results', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search the site' }).fill('arrayBuffer');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('.pagefind-ui__result').first()).toBeVisible();
});

test('figure anchors are permalinks', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/#fig-s3-rss');
  await expect(page.locator('#fig-s3-rss figcaption')).toContainText('Figure');
});

// Tooltips (mouse, tap, keyboard) are tested in charts.test.ts.

test('search for a version number finds its answer on "Is my Bun affected?"', async ({ page }) => {
  await page.goto('/search/?q=1.4.2');
  const results = page.locator('.pagefind-ui__result');
  await expect(results.first()).toBeVisible();
  await expect(results.locator('a').first()).toHaveAttribute('href', /\/affected\//);
});

// What a table or a chart's generated text looks like cut into an excerpt: "10/10 (72–100 %) · 2 not met".
const TABLE_FRAGMENT = /%\)|\d+\/\d+ \(|· \d+ not met|✕|✓/;
const failure = FAILURES.find((f) => f.scenario === 'catalogue') ?? FAILURES[0]!;

for (const { query, page: expected } of [
  { query: '1.4.2', page: '/affected/' },
  { query: failure.title, page: `/failures/${failure.id}/` },
  { query: 'reproduction bundle', page: '/bundles/' },
  { query: 'WebContainer', page: '/browser/' },
  { query: 'Every build, every failure', page: '/affected/matrix/' },
]) {
  test(`search for "${query}" finds ${expected}, with excerpts of prose, not of tables`, async ({ page }) => {
    await page.goto(`/search/?q=${encodeURIComponent(query)}`);
    const results = page.locator('.pagefind-ui__result');
    await expect(results.first()).toBeVisible();
    const hit = results.filter({ has: page.locator(`a.pagefind-ui__result-link[href^="${expected}"]`) }).first();
    await expect(hit).toBeVisible();
    await expect(hit.locator('.pagefind-ui__result-excerpt').first()).not.toBeEmpty();
    for (const excerpt of await results.locator('.pagefind-ui__result-excerpt').allTextContents()) {
      expect(excerpt, `an excerpt for "${query}"`).not.toMatch(TABLE_FRAGMENT);
    }
  });
}
