// The verdict views of <VerdictTable> and the home page's SQL summary, from fixture records.
import { expect, test } from 'vitest';
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { s3VerdictView } from '../../../src/scenarios/s3-leak/verdicts.ts';
import { sqlHistoryView, sqlSummaryView, sqlVerdictView } from '../../../src/scenarios/sql-pool/verdicts.ts';
import { fixtureRecords } from './fixtures.ts';

test('the SQL summary counts trials per most frequent outcome and names the ones that hung, per build', () => {
  const view = sqlSummaryView(fixtureRecords)!;
  expect(view.kinds).toEqual(['recovers', 'fails-fast', 'corrupted', 'hangs']);
  expect(
    view.builds.map((b) => [
      b.build,
      b.trials,
      b.byKind.recovers.length,
      b.byKind['fails-fast'].length,
      b.byKind.corrupted,
      b.byKind.hangs,
    ]),
  ).toEqual([
    [
      '1.3.14 (Zig)',
      6,
      2,
      0,
      ['cold-start/after'],
      ['blackhole/after', 'blackhole/timer', 'kernel-blackhole/after/long'],
    ],
    ['1.4.5 (Rust)', 6, 4, 1, [], ['blackhole/after']],
  ]);
  // kernel-blackhole/after/long has p = 0.03 alone, 0.11 once adjusted over the six trials.
  expect(view.differing).toEqual(['blackhole/timer', 'cold-start/after']);
});

test('with no recorded run there is no view (the page says so)', () => {
  expect(sqlSummaryView([])).toBeUndefined();
  expect(s3VerdictView([])).toBeUndefined();
});

test('the S3 verdict table shows the recorded peak, which counts the outside samples', () => {
  const view = s3VerdictView(fixtureRecords)!;
  expect(view.caption).toContain('outside sampler');
  expect(view.rows.map((r) => r[4])).toEqual(['100.0 MiB → 1060.0 MiB', '100.0 MiB → 151.5 MiB']);
});

test('the SQL verdict table shows distributions with intervals, attempts not met, marks hangs in text, and tests the builds', () => {
  const view = sqlVerdictView(fixtureRecords)!;
  expect(view.header.at(-1)).toBe('Builds differ?');
  expect(view.rows.find((r) => r[0] === 'blackhole/after')).toEqual([
    'blackhole/after',
    '⚠ hangs 10/10 (72–100 %)',
    '⚠ hangs 10/10 (72–100 %)',
    "not shown to differ (Fisher's exact test, p = 1.00; Holm-adjusted over 6 trials, p = 1.00)",
  ]);
  expect(view.rows.find((r) => r[0] === 'cold-start/after')).toEqual([
    'cold-start/after',
    'corrupted 7/10 (40–89 %), recovers 3 · 2 not met',
    'recovers 10/10 (72–100 %)',
    "different (Fisher's exact test, p = 0.003; Holm-adjusted over 6 trials, p = 0.02)",
  ]);
  expect(view.rows.find((r) => r[0] === 'kernel-blackhole/after/long')!.at(-1)).toBe(
    "suggestive, not significant after adjustment (Fisher's exact test, p = 0.03; Holm-adjusted over 6 trials, p = 0.11)",
  );
});

test('the SQL run history lists every complete run, oldest first, so a verdict that races shows', () => {
  expect(sqlHistoryView(fixtureRecords)).toBeUndefined(); // one run: nothing to compare
  const sql = fixtureRecords.filter((r) => r.scenario === 'sql-pool') as SqlPoolRecord[];
  const later = sql.map((r) => ({
    ...structuredClone(r),
    runId: 'fixture-later',
    startedAt: '2026-06-01T00:00:00.000Z',
    harness: { ...r.harness, dirty: true },
    trials: r.trials.map((t) =>
      t.id === 'terminate/after' && r.runtime.line === 'zig'
        ? { ...t, verdict: { ...t.verdict, kind: 'corrupted' as const, counts: { corrupted: 6, recovers: 4 } } }
        : t,
    ),
  }));
  const interrupted = later.map((r) => ({ ...r, runId: 'fixture-cut', status: 'interrupted' as const }));
  const view = sqlHistoryView([...later, ...interrupted, ...fixtureRecords])!;
  expect(view.caption).toContain(`${sql[0].runId}; fixture-later (harness with uncommitted changes))`);
  expect(view.caption).not.toContain('fixture-cut');
  expect(view.rows.find((r) => r[0] === 'terminate/after')).toEqual([
    'terminate/after',
    'recovers 10/10 (72–100 %) | corrupted 6/10 (31–83 %), recovers 4',
    'recovers 10/10 (72–100 %) | recovers 10/10 (72–100 %)',
  ]);
  expect(view.rows.find((r) => r[0] === 'blackhole/after')![1]).toBe(
    '⚠ hangs 10/10 (72–100 %) | ⚠ hangs 10/10 (72–100 %)',
  );
});
