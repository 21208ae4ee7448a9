// A short soak that stays in the suite: four real runs of each scenario, each cut at a random moment
// (seeded: the same plan every time) by SIGINT, SIGTERM or SIGKILL. None may leave a process, a
// temporary folder (SIGKILL's are removed by a later run's sweep, which names them) or a record that
// is invalid, lost, or marked otherwise than the run ended. repro/harness/bench/soak.ts is the long
// version of the same procedure.
import { expect, test } from 'vitest';
import { runSoak, SOAK_SIGNALS, soakFigures } from '../../../repro/harness/bench/soak-run.ts';

/** Seed 4: the signals spread over each run, from hashing the builds to the last build. */
const SEED = 4;

test('4 runs of each scenario, interrupted at random moments: nothing left behind, every record valid', { timeout: 420_000 }, async () => {
  // REPRO_TEST_CLI: soak another copy of the harness (see run-cli.ts).
  const summary = await runSoak({ scenarios: ['s3-leak', 'sql-pool'], runs: 4, seed: SEED, cli: process.env.REPRO_TEST_CLI });
  const figures = soakFigures(summary).join('\n');
  const { results } = summary;
  expect(results, figures).toHaveLength(2 + 8); // one timed run of each scenario, then the plan
  for (const r of results) {
    const how = r.index < 0 ? 'timed run, left alone' : `#${r.index} ${r.signal} at ${r.delayMs} ms`;
    const what = `${r.scenario} ${how} (exit ${r.exit.code ?? r.exit.signal}): ${r.stderr.trim()}`;
    expect(r.hung, what).toBe(false);
    expect(r.exitAsExpected, what).toBe(true);
    expect(r.orphans, what).toEqual([]);
    expect(r.records.filter((x) => x.invalid !== null), what).toEqual([]);
    expect(r.badStatus, what).toEqual([]);
    expect(r.lost, what).toEqual([]);
    // SIGINT and SIGTERM: the harness removes its folders itself; SIGKILL: a later run does (below).
    if (r.signal !== 'SIGKILL' || r.endedFirst) expect(r.tempDirsAtExit, what).toEqual([]);
  }
  expect(summary.leakedTempDirs, figures).toEqual([]);
  expect(summary.sweptSilently, figures).toEqual([]);
  // The soak met what it is about: every kind of signal, real children to track, and a SIGKILL that left a folder to sweep.
  for (const signal of SOAK_SIGNALS) expect(results.some((r) => r.signal === signal && !r.endedFirst), figures).toBe(true);
  expect(results.reduce((n, r) => n + r.tracked.length, 0), figures).toBeGreaterThan(0);
  expect(summary.sweptTempDirs.length, figures).toBeGreaterThan(0);
});
