import { defineConfig } from 'vitest/config';

// `npm run test:quick`: the inner loop. Pure tests only: functions of records and files, no process
// started, no server, no network, no browser, no build; so files run in parallel. Everything else
// (and these again) runs in `npm test`. A test that starts a process does not belong in this list,
// nor a stress test: figures-long-run.test.ts draws a 500,000-read run, a quarter of this tier's time.
export const QUICK_TESTS = [
  'tests/unit/builds-index.test.ts',
  'tests/unit/docs-commands.test.ts',
  'tests/unit/badge.test.ts',
  'tests/unit/matrix-feed.test.ts',
  'tests/unit/osv.test.ts',
  'tests/unit/site/citation.test.ts',
  'tests/unit/site/content.test.ts',
  'tests/unit/site/data-pages.test.ts',
  'tests/unit/site/figures.test.ts',
  'tests/unit/site/figures-layouts.test.ts',
  'tests/unit/site/figures-version-matrix.test.ts',
  'tests/unit/site/layout-helpers.test.ts',
  'tests/unit/site/ledger.test.ts',
  'tests/unit/site/overlay.test.ts',
  'tests/unit/site/s3-upload-rise-rows.test.ts',
  'tests/unit/site/sql-timeline-rows.test.ts',
  'tests/unit/site/sql-verdicts-rows.test.ts',
  'tests/unit/site/stats.test.ts',
  'tests/unit/site/svg-tree.test.ts',
  'tests/unit/site/text-width.test.ts',
  'tests/unit/site/verdicts.test.ts',
  'tests/unit/site/version-matrix.test.ts',
  'tests/repro/compare/sql-rules.test.ts',
  'tests/repro/compare/stats.test.ts',
  'tests/repro/harness/redact.test.ts',
  'tests/repro/harness/versions.test.ts',
  'tests/repro/s3-leak/stopping-rule.test.ts',
  'tests/repro/s3-leak/verdict.test.ts',
  'tests/repro/sql-pool/checks.test.ts',
  'tests/repro/sql-pool/sockets.test.ts',
  'tests/repro/sql-pool/verdict.test.ts',
];

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: QUICK_TESTS,
    testTimeout: 30_000,
    // Pure tests share no state, so each worker evaluates the shared modules (zod schemas, Plot, jsdom)
    // once rather than once per file: about a quarter of this tier's time.
    isolate: false,
  },
});
