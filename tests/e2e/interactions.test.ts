// The parts that run in the browser: the cite block's copy buttons, search, figure tooltips.
import { expect, test } from '@playwright/test';
import { longDay } from '../../src/lib/format.ts';

test('the cite block copies a citation with the figure permalink and today\'s date', async ({ browser, baseURL }) => {
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

test('the S3 chart shows a tooltip when the pointer is on a line (when there is a recorded run)', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  const island = page.locator('#fig-s3-rss fig-tips');
  test.skip((await island.count()) === 0, 'no recorded s3-leak run: the figure has no tooltips to test');
  await island.scrollIntoViewIfNeeded();
  const tips = JSON.parse((await island.getAttribute('data-tips'))!) as { x: number; y: number; text: string }[];
  const width = Number(await island.getAttribute('data-width'));
  const box = (await island.locator('svg').boundingBox())!;
  const k = box.width / width;
  const target = tips[Math.floor(tips.length / 2)];
  await page.mouse.move(box.x + target.x * k, box.y + target.y * k);
  await expect(island.locator('.fig-tip')).toBeVisible();
  await expect(island.locator('.fig-tip')).toContainText(/read \d+/);
});
