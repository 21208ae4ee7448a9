// The live page as readers see it, at 390 and 1280 px, light and dark, all four on one replayed rerun of each
// deep scenario drawn over its published run: the heading names the failure, the progress gives the
// total and the time left, no two labels overlap nor run past the chart's edge, and the compare table
// fits a phone.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { siteScenario } from '../../src/scenarios/registry.ts';
import {
  addressOf,
  clippedLabels,
  overlappingLabels,
  publishedRecords,
  recordStatusLine,
  rerunOf,
  startCli,
  statusHistory,
  watchProblems,
} from './cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-e2e-reader-'));
test.afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The first published record of a scenario, as written. */
const firstPublished = (scenario: string) => JSON.parse(readFileSync(publishedRecords(scenario)[0]!, 'utf8'));

/** Each scenario's replay speed (its run in well under a minute) and what its status line must have said. */
const SCENARIOS = {
  // The Rust build reads up to the run's bound, 4,096 (its parameters), at the rate so far; the Zig
  // build stopped at the threshold: no time left to give.
  's3-leak': {
    speed: 40,
    figure: '#fig-s3-rss',
    faint: true,
    progress: () => [
      /1\.4\.5 \(Rust\): read \d+ of 4096 · about \d+ (s|min) left/,
      /1\.3\.14 \(Zig\): stopped at read \d+ of at most 4096/,
    ],
  },
  // The published run was written before the plan was recorded; complete, its uploads are its plan.
  's3-upload': {
    speed: 8,
    figure: '#fig-s3-upload-rise',
    faint: true,
    progress: () => [
      new RegExp(
        `1\\.3\\.14 \\(Zig\\): \\d+ of ${firstPublished('s3-upload').uploads.length} uploads · about \\d+ (s|min) left`,
      ),
    ],
  },
  // The builds take turns trial by trial: one time left, the run's, after both builds' counts.
  'sql-pool': {
    speed: 150,
    figure: '#fig-sql-verdicts',
    // A matrix of verdicts has no "so far" to draw the published run behind.
    faint: false,
    progress: () => {
      const total = firstPublished('sql-pool').trials.length;
      return [
        new RegExp(
          `1\\.3\\.14 \\(Zig\\): \\d+ of ${total} trials; 1\\.4\\.5 \\(Rust\\): \\d+ of ${total} trials · about \\d+ (s|min) left`,
        ),
      ];
    },
  },
} as const;

/** The readers of each replay: a phone and a laptop, each in light and in dark. */
const VIEWS = [390, 1280].flatMap((width) =>
  (['light', 'dark'] as const).map((colorScheme) => ({ width, colorScheme })),
);

for (const [scenario, { speed, figure: figureId, faint, progress }] of Object.entries(SCENARIOS)) {
  test(`${scenario}, at 390 and 1280 px, light and dark: heading in words, progress with total and time left, no label overlapping or cut off, a compare table that fits`, async ({
    browser,
  }) => {
    const cli = startCli([
      scenario,
      ...rerunOf(scenario, '20261201T000000Z-read', tmp).flatMap((f) => ['--replay', f]),
      '--speed',
      String(speed),
    ]);
    try {
      const url = await addressOf(cli);
      // One replay, watched from its start by four readers at once (the live page serves up to
      // MAX_EVENT_STREAMS): the page is the same stream of events whatever the width or theme.
      await Promise.all(
        VIEWS.map(async ({ width, colorScheme }) => {
          const view = `${width} px, ${colorScheme}`;
          const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
          try {
            const page = await context.newPage();
            const problems = watchProblems(page);
            await recordStatusLine(page);
            await page.goto(url);
            await expect(page.getByRole('heading', { level: 1 }), view).toHaveText(
              `Replay: ${siteScenario(scenario).title}`,
            );
            const figure = page.locator(figureId);
            await expect(figure.locator('svg.current'), view).toHaveCount(1, { timeout: 30_000 });
            if (faint) {
              await expect(figure.locator('svg.reference'), view).toHaveCount(1);
              // Labels on both layers, and some of the published ones given way.
              await expect(figure.locator('svg.reference text.label-hidden').first(), view).toBeAttached();
            }
            expect(await overlappingLabels(page), view).toEqual([]);
            expect(await clippedLabels(page), view).toEqual([]);

            await expect(page.locator('#result'), view).toBeVisible({ timeout: 80_000 });
            await expect(page.locator('#verdict'), view).toContainText('Compare verdict: REPRODUCED');
            expect(await overlappingLabels(page), view).toEqual([]);
            expect(await clippedLabels(page), view).toEqual([]);
            const statuses = await statusHistory(page);
            for (const line of progress())
              expect(
                statuses.filter((s) => line.test(s)),
                view,
              ).not.toEqual([]);

            // The compare table: every cell inside the screen, nothing scrolling sideways.
            const cells = page.locator('#compare-rows tbody td');
            expect(await cells.count(), view).toBeGreaterThan(0);
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
            expect(fit.page, view).toBeLessThanOrEqual(fit.screen);
            expect(fit.box, view).toBeLessThanOrEqual(0);
            expect(fit.beyond, view).toBe(0);
            if (width === 390) {
              // Stacked: each cell on its own line, named by its column.
              await expect(cells.first(), view).toHaveAttribute('data-label', 'Build');
              expect(await cells.first().evaluate((td) => getComputedStyle(td).display), view).toBe('grid');
              expect(await cells.first().evaluate((td) => getComputedStyle(td, '::before').content), view).toBe(
                '"Build"',
              );
            }
            expect(problems, view).toEqual([]);
          } finally {
            await context.close();
          }
        }),
      );
    } finally {
      cli.child.kill('SIGINT');
      await cli.result;
    }
  });
}
