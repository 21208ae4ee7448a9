// The live page (`npm run repro -- <scenario> --live | --replay`) in a real browser. Separate from
// playwright.config.ts, which builds the whole site first: these tests start the harness themselves.
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './chromium.ts';
import { shareCompileCache } from './compile-cache.ts';

shareCompileCache(new URL('..', import.meta.url).pathname);

export default defineConfig({
  testDir: './live-e2e',
  outputDir: './.output/live-e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 90_000,
  reporter: [['list']],
  use: {
    launchOptions: CHROMIUM,
  },
});
