// The build's pages: the expected ones are there, none is too heavy, pages that need no JavaScript
// ship none, articles carry citation meta, the home page shows the records. Each page loading
// cleanly and passing axe is sweep.test.ts's light pass.
import { expect, test } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { latestRun } from '../../src/lib/runs.ts';
import { THEME_SCRIPT } from '../../src/lib/theme.ts';
import { builtPages, committedRecords, dist } from './site.ts';

const pages = builtPages();

test('the build has the expected pages', () => {
  for (const p of [
    '/',
    '/404.html',
    '/search/',
    '/articles/the-case/',
    '/articles/s3-read-leak/',
    '/articles/sql-pool-after-scale-to-zero/',
    '/articles/assessing-ai-generated-infrastructure/',
    '/articles/methodology/',
  ]) {
    expect(pages).toContain(p);
  }
});

test("no page weighs more than 300 KB of HTML, the figures' data pages included", () => {
  // Issue 22: the heaviest pages (a data table of 8,000 rows, the matrix) took a phone seconds to lay out.
  expect(pages.some((p) => p.startsWith('/figures/'))).toBe(true);
  const heavy = pages
    .map((p) => ({ p, bytes: statSync(path.join(dist, p.endsWith('.html') ? p : `${p}index.html`)).size }))
    .filter(({ bytes }) => bytes > 300 * 1024)
    .map(({ p, bytes }) => `${p}: ${(bytes / 1024).toFixed(0)} KB`);
  expect(heavy).toEqual([]);
});

test('pages that need no JavaScript ship none but the few lines that remember the theme', () => {
  // Every page carries the theme script once, verbatim; nothing else counts as "none".
  const others = (html: string) => {
    expect(html.split(`<script>${THEME_SCRIPT}</script>`)).toHaveLength(2);
    return html.replace(`<script>${THEME_SCRIPT}</script>`, '');
  };
  for (const page of ['/', '/404.html', '/articles/assessing-ai-generated-infrastructure/']) {
    const file = path.join(dist, page.endsWith('.html') ? page : `${page}index.html`);
    const html = others(readFileSync(file, 'utf8'));
    // A copy button, a figure's tooltips, "Compare with your run" and Cite need their script; nothing else does.
    const needsJs = /class="expressive-code|data-copy=|<fig-tips|data-compare-run|data-cite/.test(html);
    if (!needsJs) expect(html, page).not.toContain('<script');
  }
  // The 404 page has none of those: it must carry no script at all.
  expect(others(readFileSync(path.join(dist, '404.html'), 'utf8'))).not.toContain('<script');
});

test('article pages carry citation and social-card meta', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  await expect(page.locator('meta[name="citation_title"]')).toHaveAttribute('content', /.+/);
  await expect(page.locator('meta[name="citation_publication_date"]')).toHaveAttribute(
    'content',
    /^\d{4}\/\d{2}\/\d{2}$/,
  );
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

test('the home page shows what we measured, from the records, with links to the articles and bundles', async ({
  page,
}) => {
  await page.goto('/');
  const findings = page.locator('section.findings');
  await expect(findings.getByRole('heading', { name: 'What we measured' })).toBeVisible();
  const s3 = latestRun(committedRecords(), 's3-leak');
  const sql = latestRun(committedRecords(), 'sql-pool');
  if (s3.length > 0) {
    for (const r of s3)
      await expect(findings.locator('.verdict-table table').first()).toContainText(r.runtime.revision);
  } else {
    await expect(findings).toContainText('No recorded run of s3-leak yet.');
  }
  if (sql.length > 0) {
    for (const r of sql) {
      const hung = r.trials.filter((t) => t.verdict.kind === 'hangs').map((t) => t.id);
      const row = findings.locator('.sql-summary tbody tr', {
        has: page.getByRole('rowheader', { name: r.runtime.label }),
      });
      // a hang is marked in text (⚠ and the trial ids), not by colour alone
      if (hung.length > 0) await expect(row.locator('td.is-hang')).toHaveText(new RegExp(`^⚠ ${hung.length}`));
      for (const id of hung) await expect(row.locator('td.is-hang')).toContainText(id);
    }
  } else {
    await expect(findings).toContainText('No recorded run of sql-pool yet.');
  }
  for (const href of [
    '/articles/s3-read-leak/',
    '/articles/sql-pool-after-scale-to-zero/',
    '/bundles/s3-leak.tar.gz',
    '/bundles/sql-pool.tar.gz',
  ]) {
    await expect(findings.locator(`a[href="${href}"]`)).toHaveCount(1);
  }
});
