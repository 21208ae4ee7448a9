// The live page as a reader sees it, at 390 and 1280 px, light and dark, on a replayed s3-leak rerun
// drawn over the published run: the heading names the failure, the progress gives the total and the
// time left, the published labels never overlap the run's own nor run past the chart's edge, and the
// compare table fits a phone.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { siteScenario } from '../../src/scenarios/registry.ts';
import { addressOf, clippedLabels, overlappingLabels, rerunOf, startCli, watchProblems } from './cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-e2e-reader-'));
test.afterAll(() => rmSync(tmp, { recursive: true, force: true }));

for (const width of [390, 1280]) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${width} px, ${colorScheme}`, () => {
      test.use({ viewport: { width, height: 900 }, colorScheme });

      test('heading in words, progress with total and time left, no label overlapping or cut off, a compare table that fits', async ({
        page,
      }) => {
        const cli = startCli([
          's3-leak',
          ...rerunOf('s3-leak', '20261201T000000Z-read', tmp).flatMap((f) => ['--replay', f]),
          '--speed',
          '40',
        ]);
        try {
          const url = await addressOf(cli);
          const problems = watchProblems(page);
          await page.goto(url);
          await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Replay: ${siteScenario('s3-leak').title}`);
          // The Rust build reads up to the run's bound, 4,096 (its parameters), at the rate so far.
          await expect(page.locator('#status')).toContainText(
            /1\.4\.5 \(Rust\): read \d+ of 4096 · about \d+ (s|min) left/,
            { timeout: 30_000 },
          );
          // The Zig build stopped at the threshold: no time left to give.
          await expect(page.locator('#status')).toContainText(/1\.3\.14 \(Zig\): stopped at read \d+ of at most 4096/);

          const figure = page.locator('#fig-s3-rss');
          await expect(figure.locator('svg.reference')).toHaveCount(1);
          await expect(figure.locator('svg.current')).toHaveCount(1);
          // Labels on both layers, and some of the published ones given way.
          await expect(figure.locator('svg.reference text.label-hidden').first()).toBeAttached();
          expect(await overlappingLabels(page)).toEqual([]);
          expect(await clippedLabels(page)).toEqual([]);

          await expect(page.locator('#result')).toBeVisible({ timeout: 60_000 });
          await expect(page.locator('#verdict')).toContainText('Compare verdict: REPRODUCED');
          expect(await overlappingLabels(page)).toEqual([]);
          // Each build's peak label stays inside the chart, the newest read's at its right edge included.
          expect(await clippedLabels(page)).toEqual([]);

          // The compare table: every cell inside the screen, nothing scrolling sideways.
          const cells = page.locator('#compare-rows tbody td');
          expect(await cells.count()).toBeGreaterThan(0);
          const fit = await page.evaluate(() => ({
            page: document.documentElement.scrollWidth,
            screen: document.documentElement.clientWidth,
            box:
              document.querySelector('.table-scroll')!.scrollWidth -
              document.querySelector('.table-scroll')!.clientWidth,
            beyond: [...document.querySelectorAll('#compare-rows td')].filter(
              (td) => td.getBoundingClientRect().right > document.documentElement.clientWidth,
            ).length,
          }));
          expect(fit.page).toBeLessThanOrEqual(fit.screen);
          expect(fit.box).toBeLessThanOrEqual(0);
          expect(fit.beyond).toBe(0);
          if (width === 390) {
            // Stacked: each cell on its own line, named by its column.
            await expect(cells.first()).toHaveAttribute('data-label', 'Build');
            expect(await cells.first().evaluate((td) => getComputedStyle(td).display)).toBe('grid');
            expect(await cells.first().evaluate((td) => getComputedStyle(td, '::before').content)).toBe('"Build"');
          }
          expect(problems).toEqual([]);
        } finally {
          cli.child.kill('SIGINT');
          await cli.result;
        }
      });
    });
  }
}
