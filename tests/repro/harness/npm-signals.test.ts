// `npm run repro` and `npm run matrix` stopped as a supervisor or a reader stops them: by npm's PID
// alone, or with Ctrl-C in a terminal. Before issue 19, npm → sh → node: a SIGTERM, SIGINT or SIGKILL
// to npm alone left the harness running orphaned (with --live, for ever). Now the harness stops the
// way it does for its own Ctrl-C: its notice, its records marked interrupted, no process and no
// temporary folder left. Processes are checked by PID and start time, from /proc.
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { afterAll, describe, expect, test } from 'vitest';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';
import {
  BUN_RUST,
  casebookTempDirs,
  descendants,
  isAlive,
  listening,
  privateTmp,
  recordsIn,
  removeDirs,
  startInTerminal,
  startNpm,
  waitFor,
  watchDescendants,
  type Proc,
  type RunningCli,
} from './run-cli.ts';

const dirs: string[] = [];
const trees: Map<number, Proc>[] = [];
afterAll(() => {
  // A failed test must not leave its run behind for the next one.
  for (const proc of trees.flatMap((t) => [...t.values()])) if (isAlive(proc)) process.kill(proc.pid, 'SIGKILL');
  removeDirs(dirs);
});

/** An s3-leak run of the Rust build that reads until stopped (its RSS stays far below the target). */
const LONG_RUN = ['s3-leak', '--bun', BUN_RUST, '--max-iterations', '1000000'];
const firstRead = /read \d+\s+RSS/;

function tmp(label: string): string {
  const dir = privateTmp(label);
  dirs.push(dir);
  return dir;
}

/** npm's descendants as they come and go, remembered for the clean-up. */
function watchTree(run: RunningCli) {
  const watch = watchDescendants(run.pid);
  trees.push(watch.seen);
  return watch;
}

/** The harness below npm now: the node process running cli.ts (npm's `sh -c` has become it, or the matrix started it). */
function harnessOf(npm: RunningCli): Proc {
  const found = descendants(npm.pid).find((p) => /^\S*node \S*repro\/harness\/cli\.ts /.test(p.cmdline));
  if (!found) throw new Error("no harness among npm's descendants");
  return found;
}

/** The run's result, once every process npm started has ended. */
async function ended(run: RunningCli, tree: ReturnType<typeof watchTree>) {
  const r = await run.result;
  await waitFor('every process npm started to end', () => [...tree.seen.values()].every((p) => !isAlive(p)), 60_000);
  tree.stop();
  return r;
}

const LINGERING = /the live page stays at http:\/\/127\.0\.0\.1:(\d+)\//;

/**
 * A one-read --live run of the Rust build, started by `start` (npm, or npm in a terminal), once the run
 * is over and its page lingers: what every test of ending a finished live run begins with.
 */
async function lingeringLiveRun<R extends RunningCli>(label: string, start: (args: string[], tmpdir: string) => R) {
  const tmpdir = tmp(label);
  const run = start(
    ['s3-leak', '--bun', BUN_RUST, '--max-iterations', '1', '--live', '--out', `${tmpdir}/out`],
    tmpdir,
  );
  const tree = watchTree(run);
  await waitFor('the page to linger', () => LINGERING.test(run.stdout()) || run.child.exitCode !== null);
  return { tmpdir, run, tree, port: Number(LINGERING.exec(run.stdout())?.[1]) };
}

/** What the harness prints when the first stop request reaches it, by how npm was stopped. */
function stopNotice(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL', npmPid: number): string {
  return signal === 'SIGKILL'
    ? `repro: the process that started the harness (PID ${npmPid}) ended: stopping the run and writing partial records`
    : `repro: ${signal}: stopping the run and writing partial records (again to quit at once)`;
}

// npm passes SIGINT and SIGTERM on to its script (which now `exec`s node, so that is the harness);
// nothing passes on a SIGKILL: the harness sees npm go.
describe.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('%s to npm alone', (signal) => {
  test('npm run repro mid-run: the harness stops as for its own Ctrl-C, records marked interrupted, nothing left', {
    timeout: 120_000,
  }, async () => {
    const tmpdir = tmp('npm-repro');
    const run = startNpm('repro', [...LONG_RUN, '--out', `${tmpdir}/out`], { tmpdir });
    const tree = watchTree(run);
    await waitFor('the first read', () => firstRead.test(run.stdout()) || run.child.exitCode !== null);
    const harness = harnessOf(run);
    expect(casebookTempDirs(harness.pid, tmpdir)).toHaveLength(1); // the embedded store's data

    run.child.kill(signal);
    const r = await ended(run, tree);
    expect(r.stderr).toContain(`${stopNotice(signal, run.pid)}\n`);
    // npm reports the harness's own exit code, 130 after an interruption; a killed npm reports nothing.
    if (signal === 'SIGKILL') expect(r.signal).toBe('SIGKILL');
    else expect(r.code).toBe(130);
    const records = recordsIn(`${tmpdir}/out`);
    expect(records).toHaveLength(1);
    expect(records[0]!.record.status).toBe('interrupted');
    expect(r.stdout).toContain(`record: ${tmpdir}/out/${records[0]!.file}\n`);
    expect(casebookTempDirs(harness.pid, tmpdir)).toEqual([]);
  });

  test('npm run repro --live, the run over and the page lingering: the harness ends and the port is free', {
    timeout: 120_000,
  }, async () => {
    const { tmpdir, run, tree, port } = await lingeringLiveRun('npm-live', (args, tmpdir) =>
      startNpm('repro', args, { tmpdir }),
    );
    expect(await listening(port)).toBe(true);

    run.child.kill(signal);
    const r = await ended(run, tree);
    // The run was over and complete: ending the page is not an interruption.
    if (signal === 'SIGKILL') expect(r.signal).toBe('SIGKILL');
    else expect(r.code).toBe(0);
    expect(recordsIn(`${tmpdir}/out`).map((x) => x.record.status)).toEqual(['complete']);
    expect(await listening(port)).toBe(false);
  });

  test(`npm run matrix mid-run: the run under way stops with an interrupted record, then the matrix${needs(NPM_REGISTRY)}`, {
    timeout: 180_000,
  }, async () => {
    // The matrix asks the npm registry for the published builds (as bun-registry.test.ts does).
    const tmpdir = tmp('npm-matrix');
    const run = startNpm('matrix', ['--versions', '1.4.5', '--scenarios', 's3-leak', '--out', `${tmpdir}/matrix`], {
      tmpdir,
    });
    const tree = watchTree(run);
    await waitFor('the first read', () => firstRead.test(run.stdout()) || run.child.exitCode !== null, 150_000);
    const harness = harnessOf(run);

    run.child.kill(signal);
    const r = await ended(run, tree);
    // npm's SIGINT or SIGTERM reaches the matrix, which passes it on; npm's end, as a SIGTERM.
    expect(r.stderr).toContain(`${stopNotice(signal === 'SIGKILL' ? 'SIGTERM' : signal, run.pid)}\n`);
    if (signal === 'SIGKILL') expect(r.signal).toBe('SIGKILL');
    else expect(r.code).toBe(130);
    expect(recordsIn(`${tmpdir}/matrix/s3-leak`).map((x) => x.record.status)).toEqual(['interrupted']);
    expect(casebookTempDirs(harness.pid, tmpdir)).toEqual([]);
  });
});

test('SIGKILL to npm while node is still loading the harness (before any watch could start): the harness still ends', {
  timeout: 120_000,
}, async () => {
  const tmpdir = tmp('npm-early-kill');
  const run = startNpm('repro', [...LONG_RUN, '--out', `${tmpdir}/out`], { tmpdir });
  const tree = watchTree(run);
  // Held (SIGSTOP) as soon as sh has become node, so npm dies before the harness has a handler.
  let harness: Proc | undefined;
  await waitFor('npm to start the harness', () => {
    harness = descendants(run.pid).find((p) => /^node \S*repro\/harness\/cli\.ts /.test(p.cmdline));
    if (harness) process.kill(harness.pid, 'SIGSTOP');
    return harness !== undefined || run.child.exitCode !== null;
  });
  expect(caughtSignals(harness!.pid)).not.toContain('SIGHUP'); // no handler of the harness's yet
  run.child.kill('SIGKILL');
  await waitFor('npm to be gone', () => !isAlive(run.pid));
  process.kill(harness!.pid, 'SIGCONT');

  const r = await ended(run, tree);
  expect(r.stderr).toContain(`${stopNotice('SIGKILL', run.pid)}\n`);
  expect(recordsIn(`${tmpdir}/out`).every((x) => x.record.status === 'interrupted')).toBe(true);
  expect(casebookTempDirs(harness!.pid, tmpdir)).toEqual([]);
});

/** The signals a process has handlers for (/proc/PID/status SigCgt). */
function caughtSignals(pid: number): string[] {
  const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]}`);
  return Object.entries(constants.signals)
    .filter(([, n]) => (mask >> BigInt(n - 1)) & 1n)
    .map(([name]) => name);
}

test('Ctrl-C in a terminal reaches npm and the harness both, and npm passes its copy on: one interruption, not two', {
  timeout: 120_000,
}, async () => {
  // Taken for two, the second would kill everything at once, before any record was written.
  const tmpdir = tmp('terminal-ctrl-c');
  const run = startInTerminal(`npm run repro -- ${LONG_RUN.join(' ')} --out ${tmpdir}/out`, { tmpdir });
  const tree = watchTree(run);
  await waitFor('the first read', () => firstRead.test(run.stdout()) || run.child.exitCode !== null);
  run.type('\x03');
  const r = await ended(run, tree);
  expect(r.code).toBe(130); // script passes on the exit code of the command in its terminal
  expect(r.stdout.match(/SIGINT: stopping the run/g)).toHaveLength(1);
  expect(r.stdout).not.toContain('quitting');
  expect(recordsIn(`${tmpdir}/out`).map((x) => x.record.status)).toEqual(['interrupted']);
  expect(r.stdout).toMatch(/record: \S+_1\.4\.5-rust\.json/);
});

test("Ctrl-C in a terminal after a finished --live run: npm exits with the harness's own code, 0", {
  timeout: 120_000,
}, async () => {
  // The key press reaches npm and the harness both; npm passes its copy on. The run was complete, so
  // ending the page is no interruption: `npm run repro` must say 0, as the CLI alone does.
  const { tmpdir, run, tree } = await lingeringLiveRun('terminal-live-ctrl-c', (args, tmpdir) =>
    startInTerminal(`npm run repro -- ${args.join(' ')}`, { tmpdir }),
  );
  run.type('\x03');
  const r = await ended(run, tree);
  expect(r.stdout).not.toContain('quitting');
  expect(r.code, r.stdout.slice(-2000)).toBe(0);
  expect(recordsIn(`${tmpdir}/out`).map((x) => x.record.status)).toEqual(['complete']);
});

test("a finished --live run through npm: a stop request after the Ctrl-C that ended the page (npm's late copy of the key press) still exits 0", {
  timeout: 120_000,
}, async () => {
  // On a busy machine npm may pass its copy of the key press on more than a second after the harness
  // took the original, when the copy is no longer recognised as one. Made deterministic here: the
  // harness is held (SIGSTOP) while the key press (SIGINT) and a second stop request (SIGTERM, which
  // never counts as a copy) are queued, then let go; it takes them in that order.
  const { tmpdir, run, tree } = await lingeringLiveRun('npm-live-late-copy', (args, tmpdir) =>
    startNpm('repro', args, { tmpdir }),
  );
  const harness = harnessOf(run);
  process.kill(harness.pid, 'SIGSTOP');
  process.kill(harness.pid, 'SIGINT');
  process.kill(harness.pid, 'SIGTERM');
  process.kill(harness.pid, 'SIGCONT');
  const r = await ended(run, tree);
  expect(r.code, r.stderr).toBe(0);
  expect(recordsIn(`${tmpdir}/out`).map((x) => x.record.status)).toEqual(['complete']);
});
