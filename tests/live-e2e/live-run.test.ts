// A real `--live` s3-leak run with the pinned Bun builds, watched in Chromium: the first read reaches
// the page, drawn over the published run; Ctrl-C then stops the run and the page's server together.
import { expect, test } from '@playwright/test';
import { connect } from 'node:net';
import { addressOf, startCli } from './cli.ts';
import {
  casebookTempDirs,
  isAlive,
  privateTmp,
  recordsIn,
  removeDirs,
  watchDescendants,
} from '../repro/harness/run-cli.ts';

const dirs: string[] = [];
test.afterAll(() => removeDirs(dirs));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('--live: the first point reaches the page; Ctrl-C leaves no process and closes the port', async ({ page }) => {
  const tmpdir = privateTmp('live');
  dirs.push(tmpdir);
  const out = `${tmpdir}/out`;
  // Enough reads that the run is still going when the first one is on screen.
  const cli = startCli(['s3-leak', '--live', '--max-iterations', '200', '--out', out], { tmpdir });
  const watch = watchDescendants(cli.pid);
  try {
    const url = await addressOf(cli);
    expect(cli.stdout()).toMatch(
      /^LIVE page: http:\/\/127\.0\.0\.1:\d+\/ \(closing the page does not stop the run; Ctrl-C stops both\)$/m,
    );
    await page.goto(url);
    await expect(page).toHaveTitle(/^Live: s3-leak/);
    await expect(page.locator('#banner')).toContainText('Live run on this machine: 1.3.14 (Zig), 1.4.5 (Rust)');
    await expect
      .poll(async () => Number(await page.locator('body').getAttribute('data-points')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await expect(page.locator('#fig-s3-rss svg.current')).toHaveCount(1);
    // The published run, faint behind, up to the same read.
    await expect(page.locator('#fig-s3-rss svg.reference')).toHaveCount(1);
    await expect(page.locator('#status')).toContainText('1.3.14 (Zig): read');
    await page.close();
    // Closing the page does not stop the run.
    await new Promise((r) => setTimeout(r, 300));
    expect(cli.child.exitCode).toBe(null);
  } finally {
    cli.child.kill('SIGINT');
  }
  const r = await cli.result;
  watch.stop();
  expect(r.code).toBe(130);
  expect([...watch.seen.values()].filter(isAlive)).toEqual([]);
  expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(r.stdout)![1]);
  expect(await portOpen(port)).toBe(false);
  // The partial record was written as without --live.
  expect(recordsIn(out).map((x) => x.record.status)).toEqual(['interrupted']);
});
