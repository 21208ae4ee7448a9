// Widths, beyond the sweep's "no page scrolls sideways" (sweep.test.ts): wide tables scroll in
// their own focusable, labelled box with a visible cue, or reflow; "On this page" sits above the
// article on a phone and beside it on a desktop; the home page's findings fit a phone, the "Mostly
// hung" column included; long reference URLs stay in the article's column.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contrastResults } from './axe.ts';
import { dist, sweptPages } from './site.ts';

const pages = sweptPages();
const articles = pages.filter((p) => p.startsWith('/articles/'));

test('every table in an article scrolls in a focusable, labelled region or reflows', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const tab = await context.newPage();
  let regions = 0;
  for (const page of articles) {
    await tab.goto(page);
    // Figure data tables are the figure's own (Figure.astro); every other table is prose.
    for (const table of await tab.locator('article table').all()) {
      if (await table.evaluate((t) => !!t.closest('.figure'))) continue;
      const region = table.locator('xpath=..');
      await expect(region, `${page}: a table's container`).toHaveAttribute('role', 'region');
      await expect(region).toHaveAttribute('tabindex', '0');
      await expect(region).toHaveAttribute('aria-label', /\w/);
      // The table stays inside the column; whatever does not fit scrolls within the region.
      const [t, r, main] = [
        await table.boundingBox(),
        await region.boundingBox(),
        await tab.locator('main').boundingBox(),
      ];
      expect(r!.x + r!.width).toBeLessThanOrEqual(main!.x + main!.width + 0.5);
      if (t!.width > r!.width + 0.5) {
        await region.focus();
        await tab.keyboard.press('ArrowRight');
        await expect.poll(() => region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
      }
      regions++;
    }
  }
  expect(regions).toBeGreaterThan(0);
  await context.close();
});

/** Mean brightness (0–255) of the 4 px strips at an element's left edge, middle and right edge, as drawn. */
async function edgeBrightness(tab: Page, element: Locator): Promise<{ left: number; middle: number; right: number }> {
  const png = await element.screenshot();
  return tab.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const ctx = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height }).getContext(
      '2d',
    )!;
    ctx.drawImage(img, 0, 0);
    const strip = (x: number) => {
      const d = ctx.getImageData(x, 0, 4, img.height).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
      return sum / (d.length / 4);
    };
    return { left: strip(0), middle: strip(Math.floor(img.width / 2) - 2), right: strip(img.width - 4) };
  }, png.toString('base64'));
}

test('a table region that overflows shades the edge with more to see', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 844 }, colorScheme: 'light' });
  const tab = await context.newPage();
  let checked = 0;
  for (const page of articles) {
    await tab.goto(page);
    for (const region of await tab.locator('article .table-scroll').all()) {
      if (!(await region.evaluate((e) => e.scrollWidth > e.clientWidth + 1))) continue;
      // Only the cue is left to see: the table's text and rules are made invisible.
      await region.evaluate((e) => e.querySelector('table')!.style.setProperty('visibility', 'hidden'));
      // At the start: a shadow on the right only.
      const start = await edgeBrightness(tab, region);
      expect(start.right, page).toBeLessThan(start.middle - 3);
      expect(Math.abs(start.left - start.middle), page).toBeLessThan(1);
      // Scrolled to the end: on the left only.
      await region.evaluate((e) => {
        e.scrollLeft = e.scrollWidth;
      });
      const end = await edgeBrightness(tab, region);
      expect(end.left, page).toBeLessThan(end.middle - 3);
      expect(Math.abs(end.right - end.middle), page).toBeLessThan(1);
      checked++;
    }
  }
  // The articles hold at least one table wider than a small phone; if none did, this test would prove nothing.
  expect(checked).toBeGreaterThan(0);
  await context.close();
});

// The pages with a scrolling table box, from the built HTML.
const withTableScroll = pages.filter((p) =>
  readFileSync(path.join(dist, p.endsWith('/') ? `${p}index.html` : p), 'utf8').includes('class="table-scroll"'),
);

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe decides the contrast of the whole cells of a scrolling table, scrolled midway, in ${colorScheme}`, async ({
    browser,
  }) => {
    // Nine pages, /affected/ with some 1,300 cells: half a minute on an idle machine.
    test.setTimeout(180_000);
    const context = await browser.newContext({ viewport: { width: 360, height: 844 }, colorScheme });
    const tab = await context.newPage();
    let cells = 0;
    for (const page of withTableScroll) {
      await tab.goto(page);
      const regions = tab.locator('.table-scroll');
      // Midway, both edges carry their cue, over the text on each side.
      for (const region of await regions.all()) {
        await region.evaluate((e) => {
          e.scrollLeft = (e.scrollWidth - e.clientWidth) / 2;
        });
      }
      const { passes, violations, incomplete } = await contrastResults(tab, '.table-scroll');
      expect(violations, page).toEqual([]);
      // What axe leaves undecided is only text in cells the box's edge cuts (partly scrolled out of view),
      // never whole text over the cue, as it was while the cue was a gradient background.
      const whole = await tab.evaluate(
        (targets) =>
          targets.filter((target) => {
            const e = document.querySelector(target)!;
            const cell = e.closest('td, th') ?? e;
            const [r, box] = [cell.getBoundingClientRect(), e.closest('.table-scroll')!.getBoundingClientRect()];
            return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
          }),
        incomplete,
      );
      expect(whole, page).toEqual([]);
      cells += passes.length;
    }
    // axe judged the text in such tables; had it judged none, this test would prove nothing.
    expect(cells).toBeGreaterThan(0);
    await context.close();
  });
}

test('"On this page" is a collapsed list above the article on a phone, a side column on a desktop', async ({
  browser,
}) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const tab = await phone.newPage();
  await tab.goto('/articles/s3-read-leak/');
  const toc = tab.locator('.toc');
  const firstLink = toc.locator('details a').first();
  const h1 = (await tab.locator('article h1').boundingBox())!;
  expect((await toc.boundingBox())!.y).toBeLessThan(h1.y);
  expect((await toc.boundingBox())!.y).toBeLessThan(844);
  await expect(firstLink).toBeHidden();
  await toc.locator('summary').click();
  await expect(firstLink).toBeVisible();
  await expect(tab.getByRole('navigation', { name: 'On this page' })).toHaveCount(1);
  await firstLink.click();
  await expect(tab).toHaveURL(/#.+/);
  await phone.close();

  const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const wide = await desktop.newPage();
  await wide.goto('/articles/s3-read-leak/');
  // One "On this page" for a screen reader too: the narrow form is out of the accessibility tree.
  await expect(wide.getByRole('navigation', { name: 'On this page' })).toHaveCount(1);
  await expect(wide.getByRole('navigation', { name: 'On this page' }).getByRole('link').first()).toBeVisible();
  const [tocBox, mainBox] = [await wide.locator('.toc').boundingBox(), await wide.locator('main').boundingBox()];
  expect(tocBox!.x).toBeGreaterThanOrEqual(mainBox!.x + mainBox!.width);
  expect(tocBox!.y).toBeLessThan(mainBox!.y + 100);
  await desktop.close();
});

test('the home page findings fit a phone, every value, "Mostly hung" included, in view without scrolling sideways', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 844 } });
  const tab = await context.newPage();
  await tab.goto('/');
  const cells = tab.locator('.findings td');
  expect(await cells.count()).toBeGreaterThan(0);
  for (const cell of await cells.all()) {
    const box = (await cell.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    // Each value is shown with its column's name.
    expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toMatch(/^".+"$/);
  }
  const hung = tab.locator('.sql-summary td.is-hang');
  if ((await hung.count()) > 0) {
    await expect(hung.first()).toBeVisible();
    expect(await hung.first().evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Mostly hung"');
  }
  await context.close();
});

test('reference URLs stay inside the article column on a desktop', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  for (const page of articles) {
    await tab.goto(page);
    const right = await tab.locator('article').evaluate((a) => a.getBoundingClientRect().right);
    const outside = await tab
      .locator('.references a')
      .evaluateAll(
        (links, edge) => links.filter((l) => l.getBoundingClientRect().right > edge + 0.5).map((l) => l.textContent),
        right,
      );
    expect(outside, page).toEqual([]);
  }
  await context.close();
});

test('bundle boxes show code as code, with no Markdown backticks', async ({ page }) => {
  for (const article of articles) {
    await page.goto(article);
    for (const box of await page.locator('aside.bundle').all()) {
      expect(await box.textContent()).not.toContain('`');
      await expect(box.locator('code', { hasText: /^npm run repro -- / })).not.toHaveCount(0);
    }
  }
});
