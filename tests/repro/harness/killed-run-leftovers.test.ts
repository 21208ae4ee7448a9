// A run killed outright (SIGKILL: nothing of the harness runs) leaves what only the next run can
// remove. Before issue 19 its embedded PostgreSQL, killed with it, left System V shared memory and
// /dev/shm files that nothing ever removed, and its network namespace was swept only by the next
// --kernel-blackhole run. Now the server keeps no file in /dev/shm, and the next run of any scenario
// removes the segment and the namespace, says so in one line, and leaves whatever is not provably
// a dead run's alone: a running server's segment, a live run's namespace.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { sharedMemorySegments } from '../../../repro/harness/services/postgres-leftovers.ts';
import { startPostgres } from '../../../repro/harness/services/postgres.ts';
import {
  BUN_RUST,
  casebookTempDirs,
  descendants,
  isAlive,
  privateTmp,
  removeDirs,
  runCli,
  startCli,
  waitFor,
  type RunningCli,
} from './run-cli.ts';
import { NETNS, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';

const dirs: string[] = [];
const started: RunningCli[] = [];
afterAll(() => {
  // A test that failed before its kill must not leave its run going.
  for (const cli of started)
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
  removeDirs(dirs);
});

/** A trial that hangs until its 10 s watchdog: the server is up and busy when the run is killed. */
const SLOW = ['sql-pool', '--faults', 'blackhole', '--orderings', 'after', '--repetitions', '1', '--bun', BUN_RUST];
/** One quick trial: a run that starts, sweeps, works and cleans up in seconds. */
const QUICK = ['sql-pool', '--faults', 'terminate', '--orderings', 'after', '--repetitions', '1', '--bun', BUN_RUST];

/** A PID no process has now: one that has just exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

/** key and id of the System V segment a server's postmaster.pid names (its 7th line). */
function segmentNamedIn(dataDir: string): { postmaster: number; key: number; id: number } {
  const lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  const [key, id] = lines[6]!.trim().split(/\s+/).map(Number);
  return { postmaster: Number(lines[0]), key: key!, id: id! };
}

test("a SIGKILLed sql-pool run leaves a segment and no /dev/shm file; the next run removes the segment, not a running server's", {
  timeout: 240_000,
}, async () => {
  const tmpdir = privateTmp('killed-shm');
  dirs.push(tmpdir);
  const killed = startCli([...SLOW, '--out', `${tmpdir}/out`], { tmpdir });
  started.push(killed);
  await waitFor(
    'the Bun worker to start',
    () => killed.child.exitCode !== null || descendants(killed.pid).some((p) => p.cmdline.includes('worker.ts')),
    120_000,
  );
  const [folder] = casebookTempDirs(killed.pid, tmpdir).filter((n) => n.includes('-postgres-'));
  const dataDir = path.join(tmpdir, folder!, 'data');
  const named = segmentNamedIn(dataDir);
  // The server's dynamic shared memory is in its data folder, none of it in /dev/shm.
  const mapped = readFileSync(`/proc/${named.postmaster}/maps`, 'utf8');
  expect(mapped).not.toContain('/dev/shm/');
  expect(mapped).toContain(`${dataDir}/pg_dynshmem/`);

  const children = descendants(killed.pid);
  killed.child.kill('SIGKILL');
  await killed.result;
  await waitFor(
    "the killed run's processes to exit (parent-death signal)",
    () => children.every((p) => !isAlive(p)),
    30_000,
  );
  // What the kill left: the segment, attached by nobody.
  expect(sharedMemorySegments().find((s) => s.id === named.id)).toMatchObject({
    key: named.key,
    creator: named.postmaster,
    attached: 0,
  });

  // A running server's segment, named in a folder made to look like a dead run's: it must stay.
  const running = await startPostgres({ databaseUrl: null, port: null, idleSessionTimeoutMs: 60_000 });
  try {
    const runningData = path.join(running.socketDir!, 'data');
    const decoy = path.join(tmpdir, `casebook-${deadPid()}-postgres-decoy`);
    mkdirSync(path.join(decoy, 'data'), { recursive: true });
    const pidFile = readFileSync(path.join(runningData, 'postmaster.pid'), 'utf8').split('\n');
    pidFile[1] = path.join(decoy, 'data');
    writeFileSync(path.join(decoy, 'data', 'postmaster.pid'), pidFile.join('\n'));
    const runningSegment = segmentNamedIn(runningData);
    // Owned as the server's own file is: only the segment's being attached tells it from a dead run's.
    const { uid } = sharedMemorySegments().find((s) => s.id === runningSegment.id)!;
    chownSync(path.join(decoy, 'data', 'postmaster.pid'), uid, -1);

    const next = await runCli([...QUICK, '--out', `${tmpdir}/out-next`], { tmpdir });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(
      `removed 1 PostgreSQL shared memory segment(s) of killed runs: key ${named.key} (postmaster PID ${named.postmaster})\n`,
    );
    expect(next.stdout).toMatch(new RegExp(`^removed 2 temporary folder\\(s\\) of killed runs: .*${folder}`, 'm'));
    expect(sharedMemorySegments().some((s) => s.id === named.id)).toBe(false);
    expect(sharedMemorySegments().some((s) => s.id === runningSegment.id)).toBe(true);
    expect(await running.sessions('nobody')).toBe(0); // and the running server still answers
  } finally {
    await running.stop();
  }
});

test.skipIf(skipWithout(NETNS))(
  `a killed run's network namespace is deleted by the next run of any scenario; a live run's stays${needs(NETNS)}`,
  { timeout: 120_000 },
  async () => {
    requirePrerequisites(NETNS);
    const tmpdir = privateTmp('killed-netns');
    dirs.push(tmpdir);
    // What a SIGKILLed --kernel-blackhole run leaves: casebook-sqlpool-<its PID>. The live one is this process's.
    const left = `casebook-sqlpool-${deadPid()}`;
    const live = `casebook-sqlpool-${process.pid}`;
    for (const name of [left, live]) execFileSync('ip', ['netns', 'add', name]);
    try {
      const next = await runCli(['s3-leak', '--bun', BUN_RUST, '--max-iterations', '1', '--out', `${tmpdir}/out`], {
        tmpdir,
      });
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout).toContain(`removed 1 network namespace(s) of killed runs: ${left}\n`);
      const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.split(' ')[0]);
      expect(namespaces).not.toContain(left);
      expect(namespaces).toContain(live);
    } finally {
      for (const name of [left, live]) spawnSync('ip', ['netns', 'del', name]);
    }
  },
);
