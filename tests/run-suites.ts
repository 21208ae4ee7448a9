// `npm test`: the checks, vitest, then Playwright, with the site Playwright tests build for itself
// built while vitest runs. Most vitest files wait on real processes, sleeps and watchdogs, and leave
// part of the two cores idle; the checks (type check, lint, format, the generated files' --check:
// `npm run checks`, about 30 s, mostly one core) and the build (about 40 s of one core) fill it, and
// Playwright starts on a built site. The build waits for the checks: the type check's `astro sync`
// writes the .astro/ that the build writes too. Both write this project's .astro/ and dist/, which no
// vitest file touches (each file that builds the site does it in a copy, tests/project-copy.ts).
//
// Exit: the checks' code if they failed (vitest is stopped then, and their log printed), else
// vitest's, else the build's, else Playwright's. Ctrl-C or a SIGTERM stops whatever is running.
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
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    interrupted = true;
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

/** A step's failure: the end of its log, then what failed and where the whole log is. */
function failedWithLog(log: string, what: string) {
  console.error(readFileSync(log, 'utf8').split('\n').slice(-40).join('\n'));
  console.error(`${what}; the whole log: ${path.relative(root, log)}`);
}

// The site is built for the address Playwright will serve it at (playwright.config.ts reads the port).
const port = await freePort();
const site = { CASEBOOK_E2E_PORT: String(port), CASEBOOK_E2E_BUILT: '1' };
const outputDir = path.join(root, 'tests', '.output');
mkdirSync(outputDir, { recursive: true });
const buildLog = path.join(outputDir, 'e2e-build.log');

const checksLog = path.join(outputDir, 'checks.log');
// A failed check stops vitest at once: its result would not be read.
const checks = run('npm', ['run', 'checks'], { log: checksLog }).then((code) => {
  if (code !== 0 && !interrupted) {
    process.exitCode = code;
    for (const child of running) stopGroup(child, 'SIGTERM');
  }
  return code;
});
const build = checks.then((code) =>
  code !== 0 || process.exitCode
    ? code || 1
    : run(bin('astro'), ['build'], {
        env: { SITE_URL: `http://127.0.0.1:${port}/`, REPOSITORY_URL: E2E_REPOSITORY_URL },
        log: buildLog,
      }),
);
const vitest = await run(bin('vitest'), ['run', '-c', 'tests/vitest.config.ts']);
const checked = await checks;
if (checked !== 0 && !interrupted) {
  failedWithLog(checksLog, `the checks failed (exit ${checked})`);
  await build;
  process.exit(checked);
}
if (vitest !== 0 || process.exitCode) {
  for (const child of running) stopGroup(child, 'SIGTERM');
  await build;
  process.exit(process.exitCode ?? vitest);
}
console.log(`checks passed while vitest ran (log: ${path.relative(root, checksLog)})`);
const built = await build;
if (built !== 0) {
  failedWithLog(buildLog, `the site build for the Playwright tests failed (exit ${built})`);
  process.exit(built);
}
console.log(`site built for Playwright while vitest ran (log: ${path.relative(root, buildLog)})`);
process.exit(await run(bin('playwright'), ['test', '-c', 'tests/playwright.config.ts'], { env: site }));
