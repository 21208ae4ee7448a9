// End-to-end tests against the real build: `npm run build` once, `astro preview` on a free port,
// Debian's Chromium (never a downloaded browser).
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './chromium.ts';
import { shareCompileCache } from './compile-cache.ts';
import { execFileSync } from 'node:child_process';
import { E2E_REPOSITORY_URL } from './e2e/site.ts';
import { liveProject } from './live-project.ts';

// Workers re-read this file; the port chosen by the main process reaches them through the env.
process.env.CASEBOOK_E2E_PORT ??= execFileSync(
  process.execPath,
  ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"],
  { encoding: 'utf8' },
).trim();
const port = Number(process.env.CASEBOOK_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

shareCompileCache(new URL('..', import.meta.url).pathname);

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The site's tests two at a time (two cores), and beside them the live page's, one at a time: those
  // mostly wait on a paced replay or a run, so they fill what the site's tests leave idle.
  workers: 3,
  reporter: [['list']],
  use: { launchOptions: CHROMIUM },
  projects: [
    {
      name: 'site',
      testDir: './e2e',
      outputDir: './.output/e2e',
      // Tests, not files, are shared out: a file of many page tests (sweep.test.ts) or of long bundle
      // runs no longer holds one worker while the other idles. No test depends on another's order.
      fullyParallel: true,
      workers: 2,
      timeout: 60_000,
      use: { baseURL },
    },
    liveProject,
  ],
  webServer: {
    // Built for the address it is served at, so canonical links, the sitemap and citations can be
    // followed on the test server; in `npm test`, tests/run-suites.ts has built it so already.
    command: `${process.env.CASEBOOK_E2E_BUILT ? '' : 'npm run build && '}node src/preview/serve.ts --port ${port}`,
    env: { SITE_URL: `${baseURL}/`, REPOSITORY_URL: E2E_REPOSITORY_URL },
    cwd: new URL('..', import.meta.url).pathname,
    url: `${baseURL}/`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
