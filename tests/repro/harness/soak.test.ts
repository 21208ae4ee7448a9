// A short soak that stays in the suite: four real runs of each scenario, each cut at a random moment
// (seeded: the same plan every time), each by another ending: SIGINT, SIGTERM, SIGHUP or SIGKILL, to
// the harness or to the npm of `npm run repro` alone. None may leave a process, a temporary folder, a
// PostgreSQL shared memory segment or /dev/shm file (the harness's own SIGKILL's are removed by a later
// run's sweep, which names them) or a record that is invalid, lost, or marked otherwise than the run
// ended. repro/harness/bench/soak.ts is the long version of the same procedure.
import { expect, test } from 'vitest';
import {
  runSoak,
  scenarioVariants,
  SOAK_ENDINGS,
  soakFigures,
  soakProblems,
} from '../../../repro/harness/bench/soak-run.ts';

/** Seed 119: each ending once, between a fifth and two thirds into its run; the SIGKILL to the harness on sql-pool, its server up. */
const SEED = 119;

test('4 runs of each scenario, cut by each ending once at random moments: nothing left behind, every record valid', {
  timeout: 480_000,
}, async () => {
  // REPRO_TEST_CLI: soak another copy of the harness (see run-cli.ts).
  const variants = await scenarioVariants(['s3-leak', 'sql-pool']);
  const summary = await runSoak({ variants, runs: 4, seed: SEED, cli: process.env.REPRO_TEST_CLI });
  const figures = soakFigures(summary).join('\n');
  const { results } = summary;
  expect(results, figures).toHaveLength(2 + 8); // one timed run of each scenario, then the plan
  expect(soakProblems(summary), figures).toEqual([]);
  // The soak met what it is about: every ending, real children to track, and a SIGKILL that left a
  // folder and a PostgreSQL segment for a later run to sweep.
  for (const ending of SOAK_ENDINGS)
    expect(
      results.some((r) => r.ending === ending && !r.endedFirst && r.index >= 0),
      `${ending}\n${figures}`,
    ).toBe(true);
  expect(
    results.reduce((n, r) => n + r.tracked.length, 0),
    figures,
  ).toBeGreaterThan(0);
  expect(
    summary.swept.map((l) => l.kind),
    figures,
  ).toEqual(expect.arrayContaining(['temporary folder', 'shared memory segment']));
});
