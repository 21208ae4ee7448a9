// A reader without Bun watches a recorded run unfold: the page of `--replay` in Chromium.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../repro/harness/paths.ts';
import { addressOf, startCli } from './cli.ts';

const dir = fromRoot('content', 'runs', 's3-leak');
const records = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(dir, f));

test('during a replay the figure gains points, the page says it is a replay, and the end shows the verdict', async ({
  page,
}) => {
  const cli = startCli(['s3-leak', ...records.flatMap((r) => ['--replay', r]), '--speed', '60']);
  try {
    const url = await addressOf(cli);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url);
    await expect(page).toHaveTitle(/^Replay: s3-leak/);
    await expect(page.locator('#banner')).toContainText('Replay of a recorded run — not a new measurement');
    await expect(page.locator('#status')).toContainText('Replaying');

    const svg = page.locator('#fig-s3-rss svg.current');
    await expect(svg).toHaveCount(1);
    const first = await svg.evaluate((s) => s.outerHTML);
    const points = async () => Number(await page.locator('body').getAttribute('data-points'));
    const before = await points();
    await expect.poll(points).toBeGreaterThan(before);
    await expect.poll(() => svg.evaluate((s) => s.outerHTML)).not.toBe(first);
    // The published run would be drawn faintly behind, but it is the run replayed: none here.
    await expect(page.locator('#fig-s3-rss svg.reference')).toHaveCount(0);
    await expect(page.locator('#fig-s3-rss figcaption')).toContainText('Resident memory per S3 read');

    await expect(page.locator('#result')).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('#verdict')).toContainText('Compare verdict: NOT-COMPARABLE');
    // The published run replayed has no other run to compare with: the page says so, with no table of "none".
    await expect(page.locator('#verdict')).toContainText('a run is never compared with itself');
    await expect(page.locator('#compare-rows')).toBeHidden();
    await expect(page.locator('#records a')).toHaveCount(2);
    await expect(page.locator('#records a').first()).toHaveAttribute(
      'href',
      /^\/records\/20261126T140039Z-b9e3_1\.3\.14-zig\.json$/,
    );
    // No CSP violation, no script error.
    expect(problems).toEqual([]);
  } finally {
    cli.child.kill('SIGINT');
    await cli.result;
  }
});
