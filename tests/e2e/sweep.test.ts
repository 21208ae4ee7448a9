// Every page, as readers get it, from one load: in light it answers 200 with its heading, logs no
// console error or CSP violation once idle, and has no WCAG violation of any impact; turned dark by
// the system, no violation of axe's colour rules, and every element keeps its box and visibility (so
// every rule that does not read colours answers as in light); turned dark by the header's choice
// instead, every element has the colours and box of the system's dark (so the colour rules answer as
// there); and from a small phone to a desktop it never scrolls sideways.
//
// A theme changes colours only (site.css's light-dark() and Expressive Code's colour variables), and
// the layout is CSS alone (media queries; no script measures the width or reads the theme at load),
// so switching the theme or the width of a loaded page re-evaluates what a load in that state would.
// That a stored choice is applied before the body is parsed, on every later page, is themes.test.ts's.
//
// The two dark checks depend only on which kinds of element a page holds (coveringPages in site.ts:
// tag, classes, inline paint, data attributes, under which parent), so they visit the fewest pages
// that hold every kind between them: 28 of 50 when this was written, every page with a kind of its
// own among them. The others (figure data pages, most of them) are checked in light and at every
// width, which depend on their text.
import { expect, test } from '@playwright/test';
import { axeViolations } from './axe.ts';
import { expectDrawnIn, layout, settled, transitionsDone, visit, watchErrors } from './page-probes.ts';
import { coveringPages, sweptPages } from './site.ts';

/** axe's WCAG A and AA rules that read colours (its cat.color category, less the AAA contrast rule). */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

// A small phone, the common phone, a tablet, each side of the two-column breakpoint, desktops.
const WIDTHS = [360, 390, 768, 1100, 1101, 1280, 1440];
const PHONE = 390;

const pages = sweptPages();
const themed = new Set(coveringPages(pages));

for (const page of pages) {
  const dark = themed.has(page);
  const title = dark
    ? "clean in light, in the system's dark and the chosen dark, and at every width"
    : 'clean in light and at every width (its kinds of element are checked dark on other pages)';
  test(`${page}: ${title}`, async ({ browser }) => {
    // A context of its own: the choice made below is stored in it, and must not reach another page.
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 844 } });
    const tab = await context.newPage();
    const errors = await watchErrors(tab);

    await test.step('light: loads cleanly, no axe violation', async () => {
      const response = await tab.goto(visit(page));
      expect(response?.status()).toBe(200);
      await expect(tab.locator('#theme-auto')).toBeChecked();
      await expectDrawnIn(tab, 'light');
      await settled(tab, page);
      expect(await axeViolations(tab)).toEqual([]);
      // What loads late (search's index and worker, images) has loaded too before the errors are read:
      // this is also the site's check that no page trips its Content-Security-Policy.
      await tab.waitForLoadState('networkidle');
      expect(await errors()).toEqual([]);
    });

    if (dark) {
      const light = await layout(tab);
      const systemDark =
        await test.step("the system's dark: no violation of a colour rule, laid out as in light", async () => {
          await tab.emulateMedia({ colorScheme: 'dark' });
          await transitionsDone(tab);
          await expectDrawnIn(tab, 'dark');
          expect(await axeViolations(tab, { rules: COLOUR_RULES })).toEqual([]);
          expect(await layout(tab)).toEqual(light);
          return layout(tab, { colours: true });
        });

      await test.step("dark chosen in the header: every colour and box as in the system's dark", async () => {
        // The other road to dark: <html data-theme> and the checked radio, where the system stays light.
        await tab.emulateMedia({ colorScheme: 'light' });
        await transitionsDone(tab);
        await expectDrawnIn(tab, 'light');
        await tab.locator('label[for="theme-dark"]').click();
        await expect(tab.locator('#theme-dark')).toBeChecked();
        await transitionsDone(tab);
        await expectDrawnIn(tab, 'dark');
        expect(await layout(tab, { colours: true })).toEqual(systemDark);
      });
    }

    await test.step(`no sideways scroll from ${WIDTHS[0]} to ${WIDTHS.at(-1)} px`, async () => {
      await tab.evaluate(() => window.scrollTo(0, 0));
      const wide: string[] = [];
      for (const width of WIDTHS) {
        await tab.setViewportSize({ width, height: 844 });
        const { scrollWidth, innerWidth } = await tab.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(innerWidth).toBe(width);
        if (scrollWidth > innerWidth) wide.push(`at ${width} px: ${scrollWidth} px`);
        // A phone sees the page's own heading near the top, under the title and the Menu link.
        if (width === PHONE && !page.endsWith('404.html')) {
          expect((await tab.locator('h1').first().boundingBox())!.y, `heading at ${PHONE} px`).toBeLessThan(200);
        }
      }
      expect(wide).toEqual([]);
    });

    expect(await errors()).toEqual([]);
    await context.close();
  });
}
