// SIGHUP — the terminal closed, or a supervisor's hangup — gets the cleanup of SIGTERM. Before issue
// 19 nothing handled it: Node died of it at once, leaving the run's temporary folder and its roles on
// the server, and the trial it had already finished and printed was lost. And once the terminal is
// gone every write to it fails (EIO): the harness must still get to the end of its cleanup.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPg15, type Pg15 } from './pg15.ts';
import { DEBIAN_PG15, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';
import {
  BUN_RUST,
  casebookTempDirs,
  descendants,
  isAlive,
  privateTmp,
  recordsIn,
  removeDirs,
  startCli,
  startInTerminal,
  waitFor,
  watchDescendants,
  type Proc,
} from './run-cli.ts';

const dirs: string[] = [];
const seen: Map<number, Proc>[] = [];
afterAll(() => {
  for (const proc of seen.flatMap((t) => [...t.values()])) if (isAlive(proc)) process.kill(proc.pid, 'SIGKILL');
  removeDirs(dirs);
});

/** A quick trial, then one that hangs until its watchdogs (10 s and more): the signal comes between. */
const TWO_TRIALS = [
  'sql-pool',
  '--faults',
  'terminate,blackhole',
  '--orderings',
  'after',
  '--repetitions',
  '1',
  '--bun',
  BUN_RUST,
];
/** The first trial's result line (the scenario's `measuredLine`): on record from then on. */
const firstTrialDone = /terminate\/after\s{2,}\S/;

function tmp(label: string): string {
  const dir = privateTmp(label);
  dirs.push(dir);
  return dir;
}

/** The record of the run: interrupted, with the finished first trial in it. */
function expectInterruptedWithFirstTrial(out: string) {
  const records = recordsIn(out);
  expect(records).toHaveLength(1);
  const { record } = records[0]!;
  expect(record.status).toBe('interrupted');
  if (record.scenario !== 'sql-pool') throw new Error('not a sql-pool record');
  expect(record.trials[0]).toMatchObject({ id: 'terminate/after' });
  expect(record.trials[0]!.repetitions.length).toBeGreaterThan(0);
}

describe.skipIf(skipWithout(DEBIAN_PG15))(`an existing server (Debian PostgreSQL 15)${needs(DEBIAN_PG15)}`, () => {
  let server: Pg15;
  beforeAll(async () => {
    requirePrerequisites(DEBIAN_PG15);
    server = await startPg15();
  });
  afterAll(() => server?.stop());

  test('SIGHUP mid-run: exit 130, the finished trial on record, the roles and database dropped, nothing left', {
    timeout: 180_000,
  }, async () => {
    const tmpdir = tmp('sighup');
    const cli = startCli([...TWO_TRIALS, '--database-url', server.url, '--out', `${tmpdir}/out`], { tmpdir });
    const watch = watchDescendants(cli.pid);
    seen.push(watch.seen);
    await waitFor(
      'the first trial to finish',
      () => firstTrialDone.test(cli.stdout()) || cli.child.exitCode !== null,
      150_000,
    );
    expect((await server.namesLike('casebook_')).roles).toHaveLength(3);

    cli.child.kill('SIGHUP');
    const r = await cli.result;
    watch.stop();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe('repro: SIGHUP: stopping the run and writing partial records\n');
    await waitFor('every child to end', () => [...watch.seen.values()].every((p) => !isAlive(p)), 30_000);
    expectInterruptedWithFirstTrial(`${tmpdir}/out`);
    expect(await server.namesLike('casebook_')).toEqual({ roles: [], databases: [] });
    expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
  });
});

test('the terminal closed mid-run (npm run repro in it, embedded PostgreSQL): the same cleanup, with nowhere to write', {
  timeout: 180_000,
}, async () => {
  const tmpdir = tmp('hangup');
  const terminal = startInTerminal(`npm run repro -- ${TWO_TRIALS.join(' ')} --out ${tmpdir}/out`, { tmpdir });
  const watch = watchDescendants(terminal.pid);
  seen.push(watch.seen);
  await waitFor(
    'the first trial to finish',
    () => firstTrialDone.test(terminal.stdout()) || terminal.child.exitCode !== null,
    150_000,
  );
  const harness = descendants(terminal.pid).find((p) => /^node \S*repro\/harness\/cli\.ts /.test(p.cmdline))!;
  expect(casebookTempDirs(harness.pid, tmpdir)).toHaveLength(1); // the embedded server's data

  // Killing the terminal's program closes the terminal: the kernel hangs it up (SIGHUP).
  terminal.child.kill('SIGKILL');
  await waitFor(
    'every process in the terminal to end',
    () => [...watch.seen.values()].every((p) => !isAlive(p)),
    60_000,
  );
  watch.stop();
  expectInterruptedWithFirstTrial(`${tmpdir}/out`);
  expect(casebookTempDirs(harness.pid, tmpdir)).toEqual([]);
});
