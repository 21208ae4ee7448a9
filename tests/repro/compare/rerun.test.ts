// "A rerun of the reference's own builds on this machine must reproduce": two real sql-pool runs made
// here, on real Bun and real PostgreSQL, with the same parameters — a reference of 6 repetitions per
// trial and a rerun of 3, the documented quick rerun — then `npm run repro -- compare` on them.
//
// Why these sizes: the power rule makes 3 against 3 "not comparable" (p ≥ 0.1 even for opposite
// outcomes), and the two real fixture runs have 2 a trial, so the reference must be larger. With 4
// trials in the comparison, 6 against 3 can reach 4 × 1/C(9,3) = 0.048 < 0.05 under Holm, so a
// difference could be shown; 5 against 3 could not (0.071), so 6 is the smallest reference that tests
// anything, and the reference's repetitions are what the file's time is made of (a hang waits out every
// watchdog). Pause and watchdogs are shortened (the same on both sides, as the rules require) to keep
// both runs within about two minutes on a loaded two-core machine.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWith } from '../../../repro/core/compare/compare.ts';
import { CompareReport } from '../../../repro/core/compare/report.ts';
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { sqlCompareRules } from '../../../repro/scenarios/sql-pool/compare.ts';
import { loaded, valid, withRunId } from './doctor.ts';
import { readRecordsIn, removeTemps, repro, tempDir } from './run-cli.ts';

const TRIALS = [
  '--faults',
  'lazy-rst,terminate',
  '--orderings',
  'after',
  '--pause-ms',
  '1000',
  '--first-watchdog-ms',
  '3000',
  '--follow-up-watchdog-ms',
  '2000',
];

let referenceDir: string;
let rerunDir: string;
let reference: SqlPoolRecord[];
let rerun: SqlPoolRecord[];

async function sqlRun(repetitions: number, label: string): Promise<[string, SqlPoolRecord[]]> {
  const out = tempDir(label);
  const r = await repro(['sql-pool', ...TRIALS, '--repetitions', String(repetitions), '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const records = (readRecordsIn(out) as SqlPoolRecord[])
    .sort((a, b) => a.runtime.line.localeCompare(b.runtime.line))
    .reverse(); // zig, rust
  return [out, records];
}

// The two runs share nothing (each its own --out, temporary folders, embedded server and port), so
// they run at the same time: the rerun's three repetitions fit inside the reference's six.
beforeAll(async () => {
  [[referenceDir, reference], [rerunDir, rerun]] = await Promise.all([sqlRun(6, 'reference'), sqlRun(3, 'rerun')]);
}, 600_000);

afterAll(removeTemps);

const summary = (records: SqlPoolRecord[]) =>
  Object.fromEntries(
    records.flatMap((r) =>
      r.trials.map((t) => [`${r.runtime.version} ${t.id}`, { ...t.verdict.counts, notMet: t.verdict.notMet }]),
    ),
  );

describe('a rerun on this machine against a reference made on this machine', () => {
  it('both runs complete, with every wanted repetition counted', () => {
    console.log(`reference (6 a trial): ${JSON.stringify(summary(reference))}`);
    console.log(`rerun (3 a trial): ${JSON.stringify(summary(rerun))}`);
    for (const [records, n] of [
      [reference, 6],
      [rerun, 3],
    ] as const) {
      expect(records.map((r) => r.runtime.line)).toEqual(['zig', 'rust']);
      for (const r of records) {
        expect(r.status).toBe('complete');
        for (const t of r.trials)
          expect(
            Object.values(t.verdict.counts).reduce((s, x) => s + x, 0),
            `${r.runtime.label} ${t.id}`,
          ).toBe(n);
      }
    }
  });

  it('npm run repro -- compare: every trial of both builds reproduces, exit 0', { timeout: 60_000 }, async () => {
    const r = await repro(['compare', rerunDir, '--reference', referenceDir]);
    console.log(r.stdout);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = CompareReport.parse(
      JSON.parse(readFileSync(path.join(rerunDir, `${rerun[0]!.runId}.compare.json`), 'utf8')),
    );
    expect(report.reference[0]!.runId).toBe(reference[0]!.runId);
    expect(report.rows.map((x) => [x.build, x.item, x.verdict, x.counted])).toEqual([
      ['1.3.14 (Zig)', 'lazy-rst/after', 'reproduced', { published: 6, yours: 3 }],
      ['1.3.14 (Zig)', 'terminate/after', 'reproduced', { published: 6, yours: 3 }],
      ['1.4.5 (Rust)', 'lazy-rst/after', 'reproduced', { published: 6, yours: 3 }],
      ['1.4.5 (Rust)', 'terminate/after', 'reproduced', { published: 6, yours: 3 }],
    ]);
  });

  it('and it could have failed: the 1.4.5 rerun presented as 1.3.14 differs from the 1.3.14 reference on lazy-rst/after', () => {
    // DOCTORED (in memory): the real 1.4.5 rerun under 1.3.14's runtime, compared with the real 1.3.14 reference.
    const rustAsZig = valid({ ...withRunId(rerun[1]!, 'relabelled'), runtime: rerun[0]!.runtime });
    const report = CompareReport.parse(
      compareWith(() => sqlCompareRules, {
        yours: loaded([rustAsZig]),
        reference: loaded(reference),
        harness: { version: 'test', commit: null },
      }),
    );
    const lazy = report.rows.find((x) => x.item === 'lazy-rst/after')!;
    // On the real runs the builds part ways here: 1.3.14 hangs in begin(), 1.4.5 fails fast and heals.
    expect(reference[0]!.trials.find((t) => t.id === 'lazy-rst/after')!.verdict.kind).toBe('hangs');
    expect(rerun[1]!.trials.find((t) => t.id === 'lazy-rst/after')!.verdict.kind).toBe('fails-fast');
    expect(lazy.verdict).toBe('differs');
    expect(report.rows.find((x) => x.item === 'terminate/after')!.verdict).toBe('reproduced');
    expect(report.verdict).toBe('differs');
  });
});
