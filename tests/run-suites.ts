// `npm test` after its checks, in three phases, so that the two cores are busy and the files that
// need the machine to themselves still have it:
//   1. vitest's parallel group (its files wait on real processes, sleeps and watchdogs, and leave part
//      of the two cores idle) and, beside it, the site built for Playwright (about 40 s of one core),
//      then Playwright's `bundles` project on that build (bundles installed and rerun: Bun, s3rver and
//      PostgreSQL, no browser);
//   2. vitest's serial group, alone;
//   3. Playwright's `site` and `live` projects.
// The build writes this project's .astro/ and dist/, which no vitest file touches (each file that
// builds the site does it in a copy, tests/project-copy.ts).
//
// Exit: the first failure's code, in the order above (a failed phase ends the run once all of it has
// finished); 0 when all pass. Ctrl-C or a SIGTERM stops whatever is running, the build included.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../repro/harness/net.ts';
import { E2E_REPOSITORY_URL } from './e2e/site.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const running = new Set<ChildProcess>();

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; log?: string } = {}) {
  const out = options.log ? openSync(options.log, 'w') : 'inherit';
  // Each in a process group of its own, which a signal reaches whole (see below).
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  running.add(child);
  return new Promise<number>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

// A signal goes to every process of each group, as a terminal's Ctrl-C goes to every process of its
// foreground group. Sent to vitest or Playwright alone, it ended them but not what their workers
// were waiting on: a bundle's harness run went on for a minute, and a test file's s3rver and
// PostgreSQL outlived it. A hang-up becomes a SIGTERM: the harness stops for either.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const child of running) stopGroup(child, signal === 'SIGHUP' ? 'SIGTERM' : signal);
    process.exitCode = 130;
  });
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

// run-suites ending any other way (an uncaught error): its groups must not run on without it.
process.on('exit', () => {
  for (const child of running) stopGroup(child, 'SIGTERM');
});

// The site is built for the address Playwright will serve it at (playwright.config.ts reads the port).
const port = await freePort();
const site = { CASEBOOK_E2E_PORT: String(port), CASEBOOK_E2E_BUILT: '1' };
const outputDir = path.join(root, 'tests', '.output');
mkdirSync(outputDir, { recursive: true });
const buildLog = path.join(outputDir, 'e2e-build.log');

const vitest = (project: string) => run(bin('vitest'), ['run', '-c', 'tests/vitest.config.ts', '--project', project]);
const playwright = (...projects: string[]) =>
  run(bin('playwright'), ['test', '-c', 'tests/playwright.config.ts', ...projects.map((p) => `--project=${p}`)], {
    env: site,
  });

/** The site for Playwright, then its `bundles` project on it. */
async function buildThenBundles(): Promise<number> {
  const built = await run(bin('astro'), ['build'], {
    env: { SITE_URL: `http://127.0.0.1:${port}/`, REPOSITORY_URL: E2E_REPOSITORY_URL },
    log: buildLog,
  });
  if (built !== 0) {
    if (process.exitCode) return built; // stopped, not broken
    console.error(readFileSync(buildLog, 'utf8').split('\n').slice(-40).join('\n'));
    console.error(`the site build for the Playwright tests failed (exit ${built}); its log: ${buildLog}`);
    return built;
  }
  console.log(`site built for Playwright beside vitest (log: ${path.relative(root, buildLog)}); its bundle tests next`);
  return playwright('bundles');
}

/** Ends the run with the first non-zero code, or a stop's. */
function stopOnFailure(codes: number[]) {
  const failed = codes.find((c) => c !== 0);
  if (failed !== undefined || process.exitCode) process.exit(process.exitCode ?? failed);
}

stopOnFailure(await Promise.all([vitest('parallel'), buildThenBundles()]));
stopOnFailure([await vitest('serial')]);
process.exit(await playwright('site', 'live'));
