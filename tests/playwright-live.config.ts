// The live page (`npm run repro -- <scenario> --live | --replay`) in a real browser. Separate from
// playwright.config.ts, which builds the whole site first: these tests start the harness themselves.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './live-e2e',
  outputDir: './.output/live-e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 90_000,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
});
