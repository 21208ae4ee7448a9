// The sql-verdicts figure's rows (sql-verdicts-rows.ts), checked without drawing: one row per trial
// and build with the verdict's counts, each bar's segments end to end, and the bars no trial fills.
import { expect, test } from 'vitest';
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import {
  barKeys,
  notRunOf,
  SEGMENTS,
  segmentsOf,
  selectSqlVerdicts,
} from '../../../src/scenarios/sql-pool/figures/sql-verdicts-rows.ts';
import { fixtureRecords } from './fixtures.ts';

const sql = fixtureRecords.filter((r) => r.scenario === 'sql-pool') as SqlPoolRecord[];

test('one row per trial and build, with the verdict’s counts; a skipped trial says so instead of a distribution', () => {
  const rows = selectSqlVerdicts(fixtureRecords);
  expect(rows.length).toBe(sql.reduce((n, r) => n + r.trials.length, 0));
  for (const r of sql)
    for (const t of r.trials) {
      const row = rows.find((x) => x.build === r.runtime.label && x.trial === t.id)!;
      const c = t.verdict.counts;
      expect(row).toMatchObject({ verdict: t.verdict.kind, notMet: t.verdict.notMet, pauseMs: t.pauseMs });
      expect([row.recovers, row.failsFast, row.corrupted, row.hangs]).toEqual(
        [c.recovers, c['fails-fast'], c.corrupted, c.hangs].map((n) => n ?? 0),
      );
      expect(row.counted).toBe(row.recovers + row.failsFast + row.corrupted + row.hangs);
    }
  const [first] = sql;
  const skipped: SqlPoolRecord = {
    ...first!,
    trials: first!.trials.map((t) => ({ ...t, verdict: { ...t.verdict, kind: 'skipped', counts: {}, notMet: 0 } })),
  };
  for (const row of selectSqlVerdicts([skipped])) expect(row).toMatchObject({ distribution: 'skipped', counted: 0 });
});

test('each bar’s segments run end to end from 0 to 1, good outcomes first, each as wide as its share', () => {
  const rows = selectSqlVerdicts(fixtureRecords);
  const segments = segmentsOf(rows);
  for (const r of rows) {
    const own = segments.filter((s) => s.build === r.build && s.row === r.row && s.ordering === r.ordering);
    expect(own.map((s) => s.outcome)).toEqual(SEGMENTS.filter((o) => own.some((s) => s.outcome === o)));
    expect(own.reduce((n, s) => n + s.count, 0)).toBe(r.counted);
    expect(own[0]!.x1).toBe(0);
    expect(own.at(-1)!.x2).toBeCloseTo(1, 10);
    own.forEach((s, i) => {
      expect(s.x2 - s.x1).toBeCloseTo(s.count / r.counted, 10);
      if (i > 0) expect(s.x1).toBe(own[i - 1]!.x2);
    });
  }
  // rst/after on the Zig build: 7 recovers, then 3 fails fast.
  const rst = segments.filter((s) => s.row === 'rst' && s.build === '1.3.14 (Zig)');
  expect(rst.map((s) => [s.outcome, s.count, s.x1, s.x2])).toEqual([
    ['recovers', 7, 0, 0.7],
    ['fails-fast', 3, 0.7, 1],
  ]);
});

test('a panel has a bar for each ordering and build; a fault run in one ordering only leaves the other’s bars not run', () => {
  const rows = selectSqlVerdicts(fixtureRecords);
  const builds = [...new Set(rows.map((r) => r.build))];
  expect(barKeys(rows)).toEqual([...builds.map((b) => `after|${b}`), ...builds.map((b) => `timer|${b}`)]);
  // Only blackhole was run with the timer ordering: every other fault's timer bars are empty.
  expect(notRunOf(rows)).toEqual(
    ['terminate', 'rst', 'cold-start', 'kernel-blackhole, 90 s pause'].flatMap((row) =>
      builds.map((b) => ({ row, key: `timer|${b}` })),
    ),
  );
  expect(notRunOf(rows.filter((r) => r.ordering === 'after'))).toEqual([]);
});
