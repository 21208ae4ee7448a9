// Dark and light beyond the page sweep (sweep.test.ts, which switches each loaded page): a choice
// made on one page holds on the next; it is on <html> before the body exists (no flash of the other
// theme); Auto forgets it; without JavaScript the radios and the system preference still work.
import { expect, test, type Browser } from '@playwright/test';
import { THEME_STORAGE_KEY } from '../../src/lib/theme.ts';
import { expectDrawnIn, layout, settled, visit, watchErrors } from './page-probes.ts';

async function newTab(browser: Browser, colorScheme: 'light' | 'dark') {
  const context = await browser.newContext({ colorScheme });
  return { context, tab: await context.newPage() };
}

// One page of each kind: what the sweep checks on every page by clicking the radio, here reached
// the way a reader reaches the next page, with the choice stored earlier on another.
const LATER_PAGES = [
  '/',
  '/articles/s3-read-leak/',
  '/failures/s3-leak/',
  '/affected/matrix/',
  '/figures/s3-rss/data/2/',
  '/search/',
];

test("dark chosen on one page holds on every later page, drawn as the system's dark draws it", async ({ browser }) => {
  const chosen = await browser.newContext({ colorScheme: 'light' });
  const first = await chosen.newPage();
  await first.goto('/404.html');
  await first.locator('label[for="theme-dark"]').click();
  await expectDrawnIn(first, 'dark');
  const system = await browser.newContext({ colorScheme: 'dark' });
  for (const page of LATER_PAGES) {
    const [tab, reference] = [await chosen.newPage(), await system.newPage()];
    const errors = await watchErrors(tab);
    await tab.goto(visit(page));
    await reference.goto(visit(page));
    await expect(tab.locator('#theme-dark'), page).toBeChecked();
    await expectDrawnIn(tab, 'dark');
    await Promise.all([settled(tab, page), settled(reference, page)]);
    expect(await layout(tab, { colours: true }), page).toEqual(await layout(reference, { colours: true }));
    expect(await errors(), page).toEqual([]);
    await Promise.all([tab.close(), reference.close()]);
  }
  await Promise.all([chosen.close(), system.close()]);
});

test('the stored choice is on <html> before the body is parsed, so nothing paints in the other theme', async ({
  browser,
}) => {
  const { context, tab } = await newTab(browser, 'dark');
  await tab.addInitScript((key) => {
    localStorage.setItem(key, 'light');
    // Records the theme the moment <body> enters the document.
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      (window as unknown as { themeAtBody: string | null }).themeAtBody =
        document.documentElement.getAttribute('data-theme');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  }, THEME_STORAGE_KEY);
  await tab.goto('/articles/methodology/');
  expect(await tab.evaluate(() => (window as unknown as { themeAtBody: string | null }).themeAtBody)).toBe('light');
  await expect(tab.locator('#theme-light')).toBeChecked();
  await expectDrawnIn(tab, 'light');
  await context.close();
});

test('choosing Auto again forgets the choice: the next page follows the system', async ({ browser }) => {
  const { context, tab } = await newTab(browser, 'dark');
  await tab.goto('/');
  await tab.locator('label[for="theme-light"]').click();
  await tab.goto('/articles/methodology/');
  await expectDrawnIn(tab, 'light');
  await tab.locator('label[for="theme-auto"]').click();
  await expectDrawnIn(tab, 'dark');
  await tab.goto('/articles/s3-read-leak/');
  await expect(tab.locator('#theme-auto')).toBeChecked();
  expect(await tab.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);
  await expectDrawnIn(tab, 'dark');
  // Back to a page loaded while "Light" was chosen: it shows the current choice, not the old one.
  await tab.goBack();
  await expect(tab.locator('#theme-auto')).toBeChecked();
  await expectDrawnIn(tab, 'dark');
  await context.close();
});

test('without JavaScript, code blocks follow the system and the radios override it', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: 'dark' });
  const tab = await context.newPage();
  await tab.goto('/articles/methodology/');
  await expectDrawnIn(tab, 'dark');
  await tab.getByLabel('Light').check();
  await expectDrawnIn(tab, 'light');
  await tab.getByLabel('Dark').check();
  await expectDrawnIn(tab, 'dark');
  await context.close();
});
