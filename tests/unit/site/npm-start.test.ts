// `npm start` run as a reader runs it (the real npm, its `sh -c`, src/preview/start.ts), and stopped
// as a reader or a supervisor stops it: by npm's PID. Whatever the signal, everything npm started
// must go and the port must be free again, so that the next `npm start` works. Processes are
// checked by PID and start time (a reused PID is no survivor), from /proc. It runs in a copy of the
// project (tests/project-copy.ts), so that the build it stops writes the copy's dist/, .astro/ and
// node_modules/.astro, not those of the checkout another test file may be building in. A whole build,
// served on the port it was built for, is tests/catalogue/readers-copy.test.ts's: it is the costliest
// step of the suite, done once there for a copy that has a reader's runs and a new failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildWarnings } from '../../../src/preview/build.ts';
import { copyProject } from '../../project-copy.ts';
import { isAlive, listening, waitFor, watchDescendants, type Proc } from '../../repro/harness/run-cli.ts';

const work = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
const project = copyProject(path.join(work, 'project'));
// A small prebuilt site for the tests that do not need a build (`--no-build --root`).
const site = path.join(work, 'dist');
mkdirSync(site);
writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>home</title><h1>Home</h1>');
writeFileSync(path.join(site, '404.html'), '<!doctype html><title>404</title><h1>Not found</h1>');

const started: ChildProcess[] = [];
const trees: Map<number, Proc>[] = [];
afterAll(() => {
  // A failed test must not leave its server behind for the next one (or the next test run).
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const proc of trees.flatMap((t) => [...t.values()])) if (isAlive(proc)) process.kill(proc.pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Watches npm's descendants (by PID and start time), remembered for the clean-up. */
function watchTree(npm: ChildProcess) {
  const watch = watchDescendants(npm.pid!);
  trees.push(watch.seen);
  return watch;
}

const survivors = (tree: Map<number, Proc>) => [...tree.values()].filter(isAlive);

interface NpmStart {
  npm: ChildProcess;
  output: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function npmStart(args: string[]): NpmStart {
  const npm = spawn('npm', ['start', '--', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(npm);
  let out = '';
  let err = '';
  npm.stdout!.on('data', (chunk) => (out += chunk));
  npm.stderr!.on('data', (chunk) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  return { npm, output: () => out, stderr: () => err, exit };
}

/** A port nobody listens on now. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until nothing listens on the port any more (the test's timeout bounds the wait). */
async function untilPortFree(port: number): Promise<void> {
  while (await listening(port)) await new Promise((r) => setTimeout(r, 50));
}

// The server's own line: the build also names the address (the local preview's notice).
const servedAt = (port: number) => new RegExp(`^Serving \\S+ on http://localhost:${port}/`, 'm');

// SIGINT and SIGTERM npm passes on; SIGHUP and SIGKILL end npm alone.
describe.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const)('npm killed by its PID with %s', (signal) => {
  test('the server goes with it, the port is free, and the next `npm start` on it works', {
    timeout: 60_000,
  }, async () => {
    const port = await unusedPort();
    const first = npmStart(['--port', String(port), '--no-build', '--root', site]);
    await waitFor('the server to listen', () => servedAt(port).test(first.output()));
    const tree = watchTree(first.npm);
    await waitFor('npm’s children to be seen', () =>
      [...tree.seen.values()].some((p) => p.cmdline.includes('src/preview/start.ts')),
    );
    tree.stop();
    expect(await listening(port)).toBe(true);

    first.npm.kill(signal);
    await first.exit;
    // A bound well inside the test's timeout, so that a failure names what it waited for.
    await waitFor('every process npm started to end', () => survivors(tree.seen).length === 0, 20_000);
    await untilPortFree(port);

    const second = npmStart(['--port', String(port), '--no-build', '--root', site]);
    await waitFor(
      'the next server to listen',
      () => servedAt(port).test(second.output()) || second.npm.exitCode !== null,
    );
    expect(second.stderr()).not.toContain('in use');
    expect(servedAt(port).test(second.output())).toBe(true);
    second.npm.kill('SIGTERM');
    await second.exit;
    await untilPortFree(port);
  });
});

test('a port in use: one clear line, a non-zero exit, and no build started', { timeout: 60_000 }, async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  try {
    const run = npmStart(['--port', String(port)]);
    const code = await run.exit;
    expect(code).not.toBe(0);
    // npm's own lines (`npm error …`) aside, the script says one thing.
    const own = run
      .stderr()
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^npm (error|warn|notice)\b/.test(l));
    expect(own).toEqual([
      `npm start: port ${port} on 127.0.0.1 is already in use (another \`npm start\`?); pick another with \`npm start -- --port <number>\``,
    ]);
    expect(run.output()).not.toContain('astro build');
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
});

describe('with the build', () => {
  test('npm killed with SIGKILL during the build: the build stops too', { timeout: 120_000 }, async () => {
    const port = await unusedPort();
    const run = npmStart(['--port', String(port)]);
    const tree = watchTree(run.npm);
    await waitFor('astro build to start', () =>
      [...tree.seen.values()].some((p) => /astro(\.mjs)? build/.test(p.cmdline)),
    );
    run.npm.kill('SIGKILL');
    await run.exit;
    // Keep looking: a process forked just before the kill belongs to the tree too.
    await waitFor('every process npm started to end', () => survivors(tree.seen).length === 0, 20_000);
    tree.stop();
    expect(survivors(tree.seen)).toEqual([]);
    expect(await listening(port)).toBe(false);
  });
});

test("the build's warnings are kept with their code frames; its page list and the local preview's own notices are not", () => {
  const log = [
    '12:00:01 [WARN] [casebook-addresses] local preview: SITE_URL is not set, so links and citations point at http://localhost:4321/',
    '12:00:02 [casebook-run-records] 7 run records from content/runs',
    '12:00:03 [WARN] [casebook-run-records] runs/s3-leak/x.json: not a run record, left out',
    '12:00:04 [WARN] [vite] warning: ',
    '/home/reader/src/thing.ts',
    '3 |  import(x)',
    '',
    '12:00:05 [build] ✓ Completed in 1m 13s.',
    '12:00:06   ├─ /articles/the-case/index.html (+89ms)',
    '12:00:07 \u001b[31m[ERROR]\u001b[0m the build broke',
  ].join('\n');
  expect(buildWarnings(log).split('\n')).toEqual([
    '12:00:03 [WARN] [casebook-run-records] runs/s3-leak/x.json: not a run record, left out',
    '12:00:04 [WARN] [vite] warning: ',
    '/home/reader/src/thing.ts',
    '3 |  import(x)',
    '12:00:07 \u001b[31m[ERROR]\u001b[0m the build broke',
    '',
  ]);
  expect(buildWarnings('12:00:02 [build] ✓ Completed in 1m 13s.\n')).toBe('');
});
