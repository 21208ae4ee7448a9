// The chrome every page shares, as a phone shows it: the menu opens search, theme and navigation
// without JavaScript (that each page's heading starts near the top is the sweep's, sweep.test.ts). And the search page has
// one search box, with a name.
import { expect, test } from '@playwright/test';

test.describe('at 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the Menu link opens search, theme and navigation, and closes them again', async ({ page }) => {
      await page.goto('/articles/the-case/');
      const nav = page.getByRole('navigation', { name: 'Site' });
      await expect(nav).toBeHidden();
      await expect(page.getByRole('searchbox', { name: 'Search the site' })).toBeHidden();
      await page.getByRole('link', { name: 'Menu' }).click();
      await expect(nav).toBeVisible();
      await expect(page.getByRole('searchbox', { name: 'Search the site' })).toBeVisible();
      await nav.getByRole('link', { name: 'Is my Bun affected?' }).click();
      await expect(page).toHaveURL(/\/affected\/$/);
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'Close the menu' }).click();
      await expect(page.getByRole('navigation', { name: 'Site' })).toBeHidden();
    });
  });
});

test('the search page has one search box, named', async ({ page }) => {
  await page.goto('/search/?q=rewrite');
  await expect(page.locator('.pagefind-ui__result').first()).toBeVisible();
  await expect(page.getByRole('searchbox').or(page.getByRole('textbox'))).toHaveCount(1);
  await expect(
    page
      .getByRole('textbox', { name: 'Search the casebook' })
      .or(page.getByRole('searchbox', { name: 'Search the casebook' })),
  ).toHaveCount(1);
});

test('/bundles/ lists every bundle with its downloads', async ({ page, request }) => {
  await page.goto('/bundles/');
  const links = page.locator('.bundle a[download]');
  expect(await links.count()).toBeGreaterThanOrEqual(2);
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
    expect((await request.head(href)).status(), href).toBe(200);
  }
});
