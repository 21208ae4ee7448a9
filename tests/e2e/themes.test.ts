// Dark and light, as a reader gets them: every page in light, in dark by system preference and in
// dark by the header's choice (made earlier on another page, so the choice must have been kept);
// code blocks really switch; the choice is on <html> before the body exists (no flash of the other
// theme); without JavaScript the radios and the system preference still work.
//
// The light pass is the site's sweep: each page answers 200 with its heading, no console error or CSP
// violation, and no WCAG violation of any impact. A theme changes colours only (site.css's
// light-dark() and Expressive Code's colour variables), so the dark pass by system preference runs the
// colour rules, and checks the premise on the page itself: switched back to light, every element keeps
// its box and its visibility, so every other rule would answer as in the light pass. The dark pass by
// choice reaches dark by the other road (<html data-theme> and the checked radio, where the system's
// dark comes from prefers-color-scheme); it shows that road ends where the system's does, every
// element with the same colours and the same box, so the colour rules would answer as they did there.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { THEME_STORAGE_KEY } from '../../src/lib/theme.ts';
import { axeViolations } from './axe.ts';
import { sweptPages } from './site.ts';

const pages = sweptPages();
/** axe's WCAG A and AA rules that read colours (its cat.color category, less the AAA contrast rule). */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** The page as a reader lands on it: /search/ with a query, so results and their highlights are scanned too. */
const visit = (page: string) => (page === '/search/' ? '/search/?q=arrayBuffer' : page);

/** Console errors and CSP violations, collected from the start of the page's life. */
async function watchErrors(tab: Page): Promise<() => Promise<string[]>> {
  const errors: string[] = [];
  tab.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) errors.push(m.text());
  });
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.addInitScript(() => {
    const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  return async () => [
    ...errors,
    ...(await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
  ];
}

/** Waits for what the page draws after load: its heading, search results, scrolling code blocks made focusable. */
async function settled(tab: Page, page: string) {
  await expect(tab.locator('h1').first()).toBeVisible();
  if (page === '/search/') {
    await expect(tab.locator('.pagefind-ui__search-input')).toBeVisible();
    await expect(tab.locator('.pagefind-ui__result mark').first()).toBeVisible();
    // Each result fills in as its fragment arrives: scan and measure once all have.
    await expect(tab.locator('.pagefind-ui__loading')).toHaveCount(0);
  }
  // Expressive Code makes a scrolling code block focusable from a script once layout settles.
  await tab.waitForFunction(() =>
    [...document.querySelectorAll('.expressive-code pre')].every(
      (p) => p.scrollWidth <= p.clientWidth || p.hasAttribute('tabindex'),
    ),
  );
}

/**
 * Every element's box and visibility, in document order: what the rules that do not read colours see.
 * With `colours`, also what the colour rules read: each computed property whose name has "color"
 * (but color-scheme), fill, stroke, images, shadows, filters and blending, and the font size and weight
 * that set the contrast a text needs.
 */
function layout(tab: Page, { colours = false } = {}): Promise<string[]> {
  return tab.evaluate((colours) => {
    const read = colours
      ? [...getComputedStyle(document.documentElement)].filter(
          (p) =>
            !p.startsWith('--') &&
            // color-scheme is the road itself ("light dark" by system, "dark" by choice); both use dark.
            p !== 'color-scheme' &&
            (p.includes('color') ||
              /^(fill|stroke|background-image|box-shadow|text-shadow|filter|backdrop-filter|mix-blend-mode|font-size|font-weight)$/.test(
                p,
              )),
        )
      : [];
    return [...document.querySelectorAll('*')].map((e) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      const values = read.map((p) => ` ${p}: ${s.getPropertyValue(p)};`).join('');
      return `${e.tagName} ${r.x},${r.y} ${r.width}x${r.height} ${s.display} ${s.visibility} ${s.opacity}${values}`;
    });
  }, colours);
}

/** Relative luminance (0 black … 1 white) of an element's computed background colour. */
async function backgroundLuminance(tab: Page, selector: string): Promise<number> {
  return tab
    .locator(selector)
    .first()
    .evaluate((el) => {
      // Canvas resolves any CSS colour syntax (rgb(), color(srgb …), oklch …) to sRGB bytes.
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.fillStyle = getComputedStyle(el).backgroundColor;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].map((v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    });
}

/** Dark or light as drawn: the page background, and a code block's where the page has one. */
async function expectDrawnIn(tab: Page, theme: 'dark' | 'light') {
  const dark = (l: number) => (theme === 'dark' ? l < 0.1 : l > 0.8);
  expect(dark(await backgroundLuminance(tab, 'html')), `page background in ${theme}`).toBe(true);
  if ((await tab.locator('.expressive-code pre').count()) > 0) {
    expect(dark(await backgroundLuminance(tab, '.expressive-code pre')), `code block background in ${theme}`).toBe(
      true,
    );
  }
}

async function newTab(browser: Browser, colorScheme: 'light' | 'dark') {
  const context = await browser.newContext({ colorScheme });
  return { context, tab: await context.newPage() };
}

// Each mode: the system's colour scheme, and the header choice made on another page first, if any.
const modes = [
  { name: 'light', system: 'light', choose: undefined, drawn: 'light' },
  { name: 'dark by system preference', system: 'dark', choose: undefined, drawn: 'dark' },
  { name: 'dark by choice, made earlier on another tab', system: 'light', choose: 'dark', drawn: 'dark' },
] as const;
type Mode = (typeof modes)[number];

/**
 * The sweep's browser: one context per mode and worker, each page in a new tab of it. In the chosen
 * mode the reader picks the theme once, in the header of /404.html, and every page after loads with
 * that choice stored, as after a navigation.
 */
const sweep = test.extend<object, { contextIn: (mode: Mode) => Promise<BrowserContext> }>({
  contextIn: [
    async ({ browser }, use) => {
      const made = new Map<Mode, Promise<BrowserContext>>();
      await use((mode) => {
        if (!made.has(mode)) made.set(mode, themedContext(browser, mode));
        return made.get(mode)!;
      });
      for (const context of made.values()) await context.then((c) => c.close()).catch(() => undefined);
    },
    { scope: 'worker' },
  ],
});

async function themedContext(browser: Browser, mode: Mode): Promise<BrowserContext> {
  const context = await browser.newContext({ colorScheme: mode.system });
  if (mode.choose) {
    const tab = await context.newPage();
    const errors = await watchErrors(tab);
    await tab.goto('/404.html');
    await tab.locator(`label[for="theme-${mode.choose}"]`).click();
    await expectDrawnIn(tab, mode.drawn);
    expect(await errors()).toEqual([]);
    await tab.close();
  }
  return context;
}

for (const page of pages) {
  for (const mode of modes) {
    const what =
      mode.drawn === 'light'
        ? 'loads cleanly, no axe violation'
        : mode.choose
          ? "every colour and box as in the system's dark"
          : 'no violation of a colour rule, laid out as in light';
    sweep(`${page}: ${what}, in ${mode.name}`, async ({ contextIn }) => {
      const tab = await (await contextIn(mode)).newPage();
      const errors = await watchErrors(tab);
      const response = await tab.goto(visit(page));
      expect(response?.status()).toBe(200);
      await expect(tab.locator(`#theme-${mode.choose ?? 'auto'}`)).toBeChecked();
      await expectDrawnIn(tab, mode.drawn);
      await settled(tab, page);
      if (mode.drawn === 'light') {
        expect(await axeViolations(tab)).toEqual([]);
        // What loads late (search's index and worker, images) has loaded too before the errors are read:
        // this pass is also the site's check that no page trips its Content-Security-Policy.
        await tab.waitForLoadState('networkidle');
      } else if (mode.choose) {
        // The system's road to dark, on this page: the system turns dark, <html> and the radios go back
        // to Auto (no change event, so the stored choice is kept for the next page). Nothing may change.
        const chosen = await layout(tab, { colours: true });
        await tab.emulateMedia({ colorScheme: 'dark' });
        await tab.evaluate(() => {
          delete document.documentElement.dataset.theme;
          (document.getElementById('theme-auto') as HTMLInputElement).checked = true;
        });
        expect(await layout(tab, { colours: true })).toEqual(chosen);
      } else {
        expect(await axeViolations(tab, { rules: COLOUR_RULES })).toEqual([]);
        // Light again, without a change event, so nothing is stored: the same boxes, the same visibility.
        const dark = await layout(tab);
        await tab.evaluate(() => {
          document.documentElement.dataset.theme = 'light';
          (document.getElementById('theme-light') as HTMLInputElement).checked = true;
        });
        await expectDrawnIn(tab, 'light');
        expect(await layout(tab)).toEqual(dark);
      }
      expect(await errors()).toEqual([]);
      await tab.close();
    });
  }
}

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
