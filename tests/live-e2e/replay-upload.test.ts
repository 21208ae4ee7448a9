// s3-upload on the live page: s3-upload-rise fills in upload by upload over the published run drawn
// faintly, and the end shows the compare verdict; and the page on a phone (360 px), in the dark theme.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addressOf, overlappingLabels, publishedRecords, rerunOf, startCli, watchProblems } from './cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-e2e-upload-'));
test.afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const published = publishedRecords('s3-upload');
const rerun = () => rerunOf('s3-upload', '20261201T000000Z-e2e0', tmp);

test('s3-upload replay: the rise figure gains uploads one by one over the published run, then the verdict', async ({
  page,
}) => {
  // Slow enough to watch the dots arrive: the run's 36 uploads took about 70 s in all, so under 20 s here.
  const cli = startCli(['s3-upload', ...rerun().flatMap((f) => ['--replay', f]), '--speed', '4']);
  try {
    const url = await addressOf(cli);
    const problems = watchProblems(page);
    await page.goto(url);
    await expect(page).toHaveTitle(/^Replay: s3-upload/);
    const figure = page.locator('#fig-s3-upload-rise');
    // The published run, faint, from the start; the run's own layer once its first upload is in.
    await expect(figure.locator('svg.reference')).toHaveCount(1);
    await expect(figure.locator('svg.current')).toHaveCount(1, { timeout: 30_000 });
    const points = async () => Number(await page.locator('body').getAttribute('data-points'));
    const dots = () => figure.locator('svg.current circle').count();
    const first = await points();
    const firstDots = await dots();
    await expect.poll(points, { timeout: 30_000 }).toBeGreaterThan(first);
    await expect.poll(dots, { timeout: 30_000 }).toBeGreaterThan(firstDots);
    // Written before the plan was recorded, but complete: its own uploads are its plan, so the total.
    const total = JSON.parse(readFileSync(published[0]!, 'utf8')).uploads.length;
    await expect(page.locator('#status')).toContainText(new RegExp(`1\\.3\\.14 \\(Zig\\): \\d+ of ${total} uploads`));
    await expect(page.locator('#status')).toContainText('faint: the published run 20261126T203643Z-fad1');

    await expect(page.locator('#result')).toBeVisible({ timeout: 80_000 });
    // The published run's labels give way to the run's own.
    expect(await overlappingLabels(page)).toEqual([]);
    // The same measurements as the published run: reproduced, build by build.
    await expect(page.locator('#verdict')).toContainText('Compare verdict: REPRODUCED');
    const verdicts = await page.locator('#compare-rows tbody tr td:nth-child(5)').allTextContents();
    expect(verdicts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(verdicts)).toEqual(new Set(['reproduced']));
    await expect(page.locator('#records a')).toHaveCount(3);
    // Every counted upload of the run is drawn: the caption now says what they show.
    await expect(figure.locator('figcaption')).toContainText('1.4.2 (Rust): a median peak anonymous-memory rise');
    expect(await points()).toBe(
      published
        .map((f) => JSON.parse(readFileSync(f, 'utf8')).uploads.length)
        .reduce((a: number, b: number) => a + b, 0),
    );
    expect(problems).toEqual([]);
  } finally {
    cli.child.kill('SIGINT');
    await cli.result;
  }
});

test.describe('on a phone, in the dark', () => {
  test.use({ viewport: { width: 360, height: 740 }, colorScheme: 'dark', isMobile: true, hasTouch: true });

  test('the page fits 360 px (no sideways scroll), draws the narrow layout and the dark build colours', async ({
    page,
  }) => {
    const cli = startCli(['s3-upload', ...published.flatMap((f) => ['--replay', f]), '--speed', '1000']);
    try {
      const url = await addressOf(cli);
      const problems = watchProblems(page);
      await page.goto(url);
      await expect(page.locator('#result')).toBeVisible({ timeout: 60_000 });
      const figure = page.locator('#fig-s3-upload-rise');
      await expect(figure).toHaveAttribute('data-layout', '300');
      // Nothing wider than the screen: the compare table scrolls in its own box.
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        screen: document.documentElement.clientWidth,
      }));
      expect(widths.page).toBeLessThanOrEqual(widths.screen);
      const svg = (await figure.locator('svg.current').boundingBox())!;
      expect(svg.x).toBeGreaterThanOrEqual(0);
      expect(svg.x + svg.width).toBeLessThanOrEqual(360);
      // The dark theme: a dark page, and the Rust build drawn in its dark shade (palette.ts, #6ea8fe).
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
      const rust = figure.locator('svg.current .fig-stroke-rust').first();
      expect(await rust.evaluate((el) => getComputedStyle(el).stroke)).toBe('rgb(110, 168, 254)');
      expect(problems).toEqual([]);
    } finally {
      cli.child.kill('SIGINT');
      await cli.result;
    }
  });
});
