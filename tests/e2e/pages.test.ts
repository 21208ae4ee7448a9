// Every built page loads without console errors and passes an axe scan with no serious or
// critical violation; pages that need no JavaScript ship none.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtPages, dist } from './site.ts';

const pages = builtPages();

test('the build has the expected pages', () => {
  for (const p of ['/', '/404.html', '/search/', '/articles/the-case/', '/articles/s3-read-leak/', '/articles/sql-pool-after-scale-to-zero/', '/articles/assessing-ai-generated-infrastructure/', '/articles/methodology/']) {
    expect(pages).toContain(p);
  }
});

for (const page of pages) {
  test(`${page} loads cleanly and passes axe`, async ({ page: tab }) => {
    const errors: string[] = [];
    tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    tab.on('pageerror', (e) => errors.push(e.message));
    const response = await tab.goto(page);
    expect(response?.status()).toBe(200);
    await expect(tab.locator('h1').first()).toBeVisible();
    if (page === '/search/') await expect(tab.locator('.pagefind-ui__search-input')).toBeVisible();
    const axe = await new AxeBuilder({ page: tab }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('pages that need no JavaScript ship none', () => {
  for (const page of ['/', '/404.html', '/articles/assessing-ai-generated-infrastructure/']) {
    const file = path.join(dist, page.endsWith('.html') ? page : `${page}index.html`);
    const html = readFileSync(file, 'utf8');
    const needsJs = /class="expressive-code|data-copy=|<fig-tips/.test(html);
    if (!needsJs) expect(html, page).not.toContain('<script');
  }
  expect(readFileSync(path.join(dist, 'index.html'), 'utf8')).not.toContain('<script');
});

test('article pages carry citation and social-card meta', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  await expect(page.locator('meta[name="citation_title"]')).toHaveAttribute('content', /.+/);
  await expect(page.locator('meta[name="citation_publication_date"]')).toHaveAttribute('content', /^\d{4}\/\d{2}\/\d{2}$/);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /\/social-card\.png$/);
  const card = await page.request.get('/social-card.png');
  expect(card.headers()['content-type']).toBe('image/png');
});

test('the theme choice switches the colour scheme without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await bg();
  await page.getByLabel('Dark').check();
  expect(await bg()).not.toBe(light);
  await context.close();
});
