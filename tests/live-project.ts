import type { Project } from '@playwright/test';

/**
 * The live page's tests (tests/live-e2e), one at a time as they have always run: each starts the
 * harness itself (live runs and paced replays) and watches the page it serves. Shared by
 * playwright.config.ts (its `live` project, in `npm test`) and playwright-live.config.ts (alone).
 */
export const liveProject: Project = {
  name: 'live',
  testDir: './live-e2e',
  outputDir: './.output/live-e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
};
