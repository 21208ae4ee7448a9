// `node tests/live-e2e/first-point-time.ts [runs] [screenshot.png]`: how long from starting
// `npm run repro -- s3-leak --live` to the first point on the page, in Chromium, as a reader would
// wait (the page opened as soon as the address is printed). A measurement for the report, not a test.
import { chromium } from 'playwright';
import { CHROMIUM } from '../chromium.ts';
import { addressOf, startCli } from './cli.ts';
import { privateTmp, removeDirs } from '../repro/harness/run-cli.ts';

const runs = Number(process.argv[2] ?? 3);
const screenshot = process.argv[3];
const browser = await chromium.launch(CHROMIUM);
const dirs: string[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const tmpdir = privateTmp('first-point');
    dirs.push(tmpdir);
    const t0 = performance.now();
    const cli = startCli(['s3-leak', '--live', '--max-iterations', '40', '--out', `${tmpdir}/out`], { tmpdir });
    const url = await addressOf(cli);
    const tAddress = performance.now();
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => Number(document.body.dataset.points ?? 0) > 0, null, {
      timeout: 120_000,
      polling: 'raf',
    });
    const tPoint = performance.now();
    if (screenshot && i === runs - 1) {
      await page.waitForFunction(() => Number(document.body.dataset.points ?? 0) > 30, null, { timeout: 120_000 });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await page.close();
    cli.child.kill('SIGINT');
    await cli.result;
    console.log(
      `run ${i + 1}: address printed after ${((tAddress - t0) / 1000).toFixed(2)} s, first point on screen after ${((tPoint - t0) / 1000).toFixed(2)} s`,
    );
  }
} finally {
  await browser.close();
  removeDirs(dirs);
}
