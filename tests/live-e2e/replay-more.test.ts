// More of the replayed page: sql-pool's verdict matrix filling in, and text from a record that looks
// like markup staying text.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../repro/harness/paths.ts';
import { addressOf, startCli, watchProblems } from './cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-e2e-'));
test.afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function recordsOf(scenario: string): string[] {
  const dir = fromRoot('content', 'runs', scenario);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

test('sql-pool: the verdict matrix fills in trial by trial and the timeline follows the repetitions', async ({
  page,
}) => {
  const cli = startCli(['sql-pool', ...recordsOf('sql-pool').flatMap((r) => ['--replay', r]), '--speed', '150']);
  try {
    const url = await addressOf(cli);
    const problems = watchProblems(page);
    await page.goto(url);
    await expect(page).toHaveTitle(/^Replay: sql-pool/);
    const verdicts = page.locator('#fig-sql-verdicts svg.current');
    await expect(verdicts).toHaveCount(1);
    const first = await verdicts.evaluate((s) => s.outerHTML);
    await expect.poll(() => verdicts.evaluate((s) => s.outerHTML), { timeout: 30_000 }).not.toBe(first);
    const timeline = page.locator('#fig-sql-timeline svg.current');
    const before = await timeline.evaluate((s) => s.outerHTML);
    await expect.poll(() => timeline.evaluate((s) => s.outerHTML), { timeout: 30_000 }).not.toBe(before);
    // Written before the plan was recorded, but complete: its own trials are its plan, so the total.
    const total = JSON.parse(readFileSync(recordsOf('sql-pool')[0]!, 'utf8')).trials.length;
    await expect(page.locator('#status')).toContainText(
      new RegExp(
        `^Replaying… 1\\.3\\.14 \\(Zig\\): \\d+ of ${total} trials; 1\\.4\\.5 \\(Rust\\): \\d+ of ${total} trials`,
      ),
    );
    expect(problems).toEqual([]);
  } finally {
    cli.child.kill('SIGINT');
    await cli.result;
  }
});

test('build names and file names from a record are shown as text, never markup', async ({ page }) => {
  const markup = '<img src=x onerror="document.title=\'pwned\'">';
  const record = JSON.parse(readFileSync(recordsOf('s3-leak')[0]!, 'utf8'));
  record.runtime.label = `1.3.14 ${markup}`;
  record.builds[0].label = record.runtime.label;
  const file = path.join(tmp, '<b>bold<\\b>.json');
  writeFileSync(file, JSON.stringify(record));
  const cli = startCli(['s3-leak', '--replay', file, '--speed', '200']);
  try {
    const url = await addressOf(cli);
    const problems = watchProblems(page);
    await page.goto(url);
    await expect(page.locator('#result')).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('#banner')).toContainText('<b>bold<\\b>.json');
    await expect(page.locator('#records li')).toContainText(`1.3.14 ${markup}`);
    await expect(page.locator('#fig-s3-rss svg.current text').filter({ hasText: markup })).toHaveCount(1);
    await expect(page.locator('img, b')).toHaveCount(0);
    await expect(page).toHaveTitle(/^Replay: s3-leak/);
    expect(problems).toEqual([]);
  } finally {
    cli.child.kill('SIGINT');
    await cli.result;
  }
});
