// The live page (`npm run repro -- <scenario> --live | --replay`) in a real browser, alone
// (`npm run test:live`). These tests start the harness themselves and need no built site; in
// `npm test` they run as playwright.config.ts's `live` project, beside the site's tests.
import { defineConfig } from '@playwright/test';
import { CHROMIUM } from './chromium.ts';
import { shareCompileCache } from './compile-cache.ts';
import { liveProject } from './live-project.ts';

shareCompileCache(new URL('..', import.meta.url).pathname);

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: { launchOptions: CHROMIUM },
  projects: [liveProject],
});
