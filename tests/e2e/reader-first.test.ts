// Reader first: every page that shows figures opens with its result. Its heading starts within
// 200 px; its first chart within the first 1,000 px on a desktop and within two phone screens
// (2 × 844 px). Every figure block leads with a headline (the one its SVG and PNG downloads carry,
// generated from the same records), then its chart; the generated prose comes after the chart,
// behind a disclosure, with at most one paragraph outside it. In both themes, at both widths.
import { expect, test } from '@playwright/test';
import { figureData, figureHeadline, getFigure, figureSource } from '../../src/figures/registry.ts';
import { builtPages, committedRecords } from './site.ts';

// The articles, and the home page, which leads with the ledger; the catalogue's pages are each one figure.
const pages = ['/', ...builtPages().filter((p) => p.startsWith('/articles/'))];
const CHART_WITHIN = { 390: 2 * 844, 1280: 1000 } as const;

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [390, 1280] as const) {
    test.describe(`${colorScheme}, ${width} px`, () => {
      test.use({ viewport: { width, height: 844 }, colorScheme });

      test('each page starts its heading within 200 px and its first chart within reach', async ({ page }) => {
        let withFigures = 0;
        for (const path of pages) {
          await page.goto(path);
          expect((await page.locator('h1').first().boundingBox())!.y, path).toBeLessThan(200);
          const figures = page.locator('figure.figure');
          if ((await figures.count()) === 0) continue;
          withFigures++;
          const chart = figures.first().locator('.fig-layout svg').filter({ visible: true }).first();
          const top = await chart.evaluate((svg) => svg.getBoundingClientRect().top + window.scrollY);
          expect(top, `${path}: first chart`).toBeLessThan(CHART_WITHIN[width]);
        }
        // The home page and the three scenario articles: a page list that lost them would pass empty.
        expect(withFigures).toBeGreaterThanOrEqual(4);
      });

      test('each figure block: headline, then chart, then its prose behind a disclosure', async ({ page }) => {
        for (const path of pages) {
          await page.goto(path);
          for (const block of await page.locator('figure.figure').all()) {
            const id = (await block.getAttribute('id'))!.replace(/^fig-/, '');
            const figure = getFigure(id);
            const { rows } = figureData(figure, committedRecords(figureSource(figure)));
            const headline = block.locator('figcaption .figure-headline');
            await expect(headline, `${path} ${id}`).toBeVisible();
            expect((await headline.textContent())!.trim().replace(/\s+/g, ' '), `${path} ${id}`).toMatch(
              new RegExp(`^Figure \\d+\\. ${escape(figureHeadline(figure, rows))}$`),
            );
            const layout = await block.evaluate((fig) => {
              const chart = [...fig.querySelectorAll('.fig-layout svg')].find((s) => s.getClientRects().length > 0)!;
              const prose = [...fig.querySelectorAll('.figure-summary, .figure-notes')];
              const after = (a: Element, b: Element) =>
                !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
              return {
                proseAfterChart: prose.every((p) => after(chart, p)),
                proseInDisclosure: prose.every((p) => p.closest('details') !== null && !p.closest('details')!.open),
                // Paragraphs of the block a reader sees without opening anything, beside the caption and the chart.
                openParagraphs: [...fig.querySelectorAll('p')].filter(
                  (p) =>
                    !p.closest('details') &&
                    !p.closest('[data-compare-run]') &&
                    !p.classList.contains('figure-downloads'),
                ).length,
              };
            });
            expect(layout.proseAfterChart, `${path} ${id}: the chart comes before its prose`).toBe(true);
            expect(layout.proseInDisclosure, `${path} ${id}: the generated prose waits behind a disclosure`).toBe(true);
            expect(layout.openParagraphs, `${path} ${id}`).toBeLessThanOrEqual(1);
          }
        }
      });
    });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
