import { defineConfig } from 'vitest/config';

// Unit and integration tests. The end-to-end browser tests run under Playwright (tests/playwright.config.ts).
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/unit/**/*.test.ts', 'tests/repro/**/*.test.ts', 'tests/catalogue/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests start real services and real Bun processes; two cores, so one file at a time.
    fileParallelism: false,
  },
});
