import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { shareCompileCache } from './compile-cache.ts';

// Unit and integration tests. The end-to-end browser tests run under Playwright (tests/playwright.config.ts).
//
// Two groups, one after the other. Most files wait on real processes, sleeps and watchdogs rather than
// the CPU, and keep what they make in folders of their own (mkdtemp, a private TMPDIR, free ports), so
// they run three at a time. A file that builds the site does it in a copy of the project
// (tests/project-copy.ts), since Astro writes .astro/, node_modules/.astro and (npm start) dist/ under
// its root whatever --outDir says. The files below cannot share the machine with the others, and run
// alone, one at a time, after the rest.
const SERIAL = [
  // Peak RSS read by the outside sampler decides the verdicts (and s3-leak's default --out is runs/s3-leak/,
  // which cli-errors checks is never created).
  'tests/repro/s3-leak/end-to-end.test.ts',
  'tests/repro/s3-upload/end-to-end.test.ts',
  'tests/repro/compare/s3.test.ts',
  // Request timeouts of 1 to 1.5 s decide which request the verdict names.
  'tests/repro/harness/hangs.test.ts',
  // Cuts each run at a moment taken from a timed first run: another file's load would move it.
  'tests/repro/harness/soak.test.ts',
  // The next run of *any* scenario sweeps network namespaces and PostgreSQL segments machine-wide: a
  // run in another file would sweep what this one waits to see its own next run remove.
  'tests/repro/harness/killed-run-leftovers.test.ts',
  // Plants a folder at a fixed path in the shared /tmp.
  'tests/repro/harness/postgres-binaries.test.ts',
];

// The parallel group's longest files (30 s and more in CI), longest first. Without timings of its own
// (a fresh clone has none) vitest starts the largest files first, and the group ended on
// a site-building file running alone for its last 30 s. Started first, the long files overlap
// each other and the short ones fill in around them. A file missing here only starts later.
const LONGEST_FIRST = [
  'tests/catalogue/readers-copy.test.ts',
  'tests/repro/compare/rerun.test.ts',
  'tests/repro/harness/cli-errors.test.ts',
  'tests/repro/sql-pool/conditions.test.ts',
  'tests/repro/harness/npm-signals.test.ts',
  'tests/repro/browser-run/commands.test.ts',
  'tests/repro/harness/secrets.test.ts',
  'tests/repro/harness/postgres-roles.test.ts',
  'tests/repro/sql-pool/cli.test.ts',
];

const root = new URL('..', import.meta.url).pathname;
shareCompileCache(root);

/** Vitest's order (groups, then projects, then its own timings or sizes), with LONGEST_FIRST first within each project. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(path.relative(root, spec.moduleId));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    const byProject = Map.groupBy(await super.sort(files), (spec) => spec.project.name);
    // Array.prototype.sort is stable: unlisted files keep vitest's order.
    return [...byProject.values()].flatMap((specs) => specs.sort((a, b) => rank(a) - rank(b)));
  }
}
// A timeout only stops a test that hangs; with three files at a time on a busy machine, a test that
// takes 10 s alone can take a minute.
const shared = { root, testTimeout: 180_000, hookTimeout: 240_000 };

export default defineConfig({
  test: {
    root,
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['tests/unit/**/*.test.ts', 'tests/repro/**/*.test.ts', 'tests/catalogue/**/*.test.ts'],
          exclude: SERIAL,
          // Three files on two cores: two at a time left a quarter of the CPU idle (the files wait on
          // processes, sleeps and watchdogs), and alone on this machine the whole of vitest took 537 s
          // with three, against 618 s with two (and the site build beside it). Side by side on a
          // machine loaded by others, the heaviest (a reader's copy's build, cli-errors' 75 CLI
          // starts, npm-signals) once ran out of 90 s timeouts: hence the doubled ones above.
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'serial',
          include: SERIAL,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
