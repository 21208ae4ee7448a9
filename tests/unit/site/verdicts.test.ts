// The verdict views of <VerdictTable> and the home page's SQL summary, from fixture records.
import { expect, test } from 'vitest';
import { sqlSummaryView, verdictView } from '../../../src/lib/verdicts.ts';
import { fixtureRecords } from './fixtures.ts';

test('the SQL summary counts trials per verdict and names the ones that hung, per build', () => {
  const view = sqlSummaryView(fixtureRecords)!;
  expect(view.kinds).toEqual(['recovers', 'fails-fast', 'hangs']);
  expect(view.builds.map((b) => [b.build, b.trials, b.byKind.recovers.length, b.byKind['fails-fast'].length, b.byKind.hangs])).toEqual([
    ['1.3.14 (Zig)', 5, 1, 1, ['blackhole/after', 'blackhole/timer', 'kernel-blackhole/after/long']],
    ['1.4.5 (Rust)', 5, 2, 3, []],
  ]);
});

test('with no recorded run there is no view (the page says so)', () => {
  expect(sqlSummaryView([])).toBeUndefined();
  expect(verdictView([], 's3-leak')).toBeUndefined();
});

test('the S3 verdict table shows the recorded peak, which counts the outside samples', () => {
  const view = verdictView(fixtureRecords, 's3-leak')!;
  expect(view.caption).toContain("outside sampler");
  expect(view.rows.map((r) => r[4])).toEqual(['100.0 MiB → 1060.0 MiB', '100.0 MiB → 151.5 MiB']);
});

test('the SQL verdict table marks a hung trial in its text, not by colour alone', () => {
  const view = verdictView(fixtureRecords, 'sql-pool')!;
  expect(view.rows.find((r) => r[0] === 'blackhole/after')).toEqual(['blackhole/after', '⚠ hangs 3/3', 'fails-fast 3/3']);
  expect(view.rows.find((r) => r[0] === 'terminate/after')).toEqual(['terminate/after', 'recovers 3/3', 'recovers 3/3']);
});
