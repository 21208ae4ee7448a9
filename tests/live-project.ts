import type { Project } from '@playwright/test';

/**
 * The live page's tests (tests/live-e2e), one at a time: each starts the harness on ports and
 * folders of its own, but replays are paced, and one at a time keeps that pace what the page shows.
 */
export const liveProject: Project = {
  name: 'live',
  testDir: './live-e2e',
  outputDir: './.output/live-e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
};
