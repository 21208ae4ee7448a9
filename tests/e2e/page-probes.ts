// What the page sweep (sweep.test.ts) and the theme tests read from a page in a tab: how a reader
// lands on it, the errors it logs, when it has settled, every element's box (and colours), and
// whether it is drawn dark or light.
import { expect, type Page } from '@playwright/test';

/** The page as a reader lands on it: /search/ with a query, so results and their highlights are scanned too. */
export const visit = (page: string) => (page === '/search/' ? '/search/?q=arrayBuffer' : page);

/** Console errors and CSP violations, collected from the start of the page's life. */
export async function watchErrors(tab: Page): Promise<() => Promise<string[]>> {
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
export async function settled(tab: Page, page: string) {
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
export function layout(tab: Page, { colours = false } = {}): Promise<string[]> {
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
export async function expectDrawnIn(tab: Page, theme: 'dark' | 'light') {
  const dark = (l: number) => (theme === 'dark' ? l < 0.1 : l > 0.8);
  expect(dark(await backgroundLuminance(tab, 'html')), `page background in ${theme}`).toBe(true);
  if ((await tab.locator('.expressive-code pre').count()) > 0) {
    expect(dark(await backgroundLuminance(tab, '.expressive-code pre')), `code block background in ${theme}`).toBe(
      true,
    );
  }
}

/**
 * Waits out the transitions a theme switch starts (Expressive Code's copy buttons fade their
 * background): a page switched on screen is compared with another only once it has come to rest.
 */
export async function transitionsDone(tab: Page) {
  await tab.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}
