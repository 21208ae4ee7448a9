// Temporary folders (`casebook-<pid>-<purpose>-*`, here the embedded store's data) are removed on
// every exit path the harness lives through — a double Ctrl-C included — and the one it cannot
// (SIGKILL) is removed by the next run, which says so.
import { readdirSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import {
  BUN_RUST,
  casebookTempDirs,
  descendants,
  isAlive,
  privateTmp,
  recordsIn,
  removeDirs,
  runCli,
  startCli,
  waitFor,
} from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

/** A run that reads until stopped (the Rust build stays far below the target). */
function longRun(tmpdir: string) {
  return startCli(['s3-leak', '--bun', BUN_RUST, '--max-iterations', '1000000', '--out', `${tmpdir}/out`], { tmpdir });
}

test('a double SIGINT mid-run (the second right after the first) leaves no temporary folder and no child', {
  timeout: 120_000,
}, async () => {
  const tmpdir = privateTmp('double-sigint');
  dirs.push(tmpdir);
  const cli = longRun(tmpdir);
  await waitFor('the first read', () => cli.child.exitCode !== null || /read \d+\s+RSS/.test(cli.stdout()));
  expect(casebookTempDirs(cli.pid, tmpdir)).toHaveLength(1); // the embedded store's data
  const children = descendants(cli.pid);
  expect(children.length).toBeGreaterThanOrEqual(2); // the store and the probe

  cli.child.kill('SIGINT');
  // The second as soon as the first has landed (two sent back to back could merge into one pending signal).
  await waitFor('the first SIGINT to be handled', () => /SIGINT: stopping the run/.test(cli.stderr()), 30_000);
  cli.child.kill('SIGINT');
  const r = await cli.result;
  expect(r.code).toBe(130);
  expect(r.stderr).toMatch(/^repro: SIGINT: stopping the run/);
  await waitFor('the children to exit', () => children.every((p) => !isAlive(p)), 30_000);
  expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
  // A record, if the first signal got that far, is whole and says it was interrupted.
  for (const { record } of recordsIn(`${tmpdir}/out`)) expect(record.status).toBe('interrupted');
  expect(readdirSync(tmpdir).filter((n) => n !== 'out')).toEqual([]);
});

test('SIGKILL mid-run leaves its temporary folder; the next run removes it and says so', {
  timeout: 180_000,
}, async () => {
  const tmpdir = privateTmp('sigkill-sweep');
  dirs.push(tmpdir);
  const cli = longRun(tmpdir);
  await waitFor('the first read', () => cli.child.exitCode !== null || /read \d+\s+RSS/.test(cli.stdout()));
  const children = descendants(cli.pid);
  cli.child.kill('SIGKILL');
  expect((await cli.result).signal).toBe('SIGKILL');
  await waitFor('the children to exit (parent-death signal)', () => children.every((p) => !isAlive(p)), 30_000);
  const left = casebookTempDirs(cli.pid, tmpdir);
  expect(left).toHaveLength(1);
  expect(left[0]).toMatch(new RegExp(`^casebook-${cli.pid}-s3rver-`));

  const next = await runCli(['s3-leak', '--bun', BUN_RUST, '--max-iterations', '1', '--out', `${tmpdir}/out`], {
    tmpdir,
  });
  expect(next.code, next.stderr).toBe(0);
  expect(next.stdout).toContain(`removed 1 temporary folder(s) of killed runs: ${left[0]}\n`);
  expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
  // And the next run's own folder went at its end.
  expect(readdirSync(tmpdir).filter((n) => n !== 'out')).toEqual([]);
});
