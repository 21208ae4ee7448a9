// A Ctrl-C before the scenario starts — here while the builds are being hashed — ends the run at
// once with exit code 130: no service started, no child left, nothing created.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import {
  BUN_RUST,
  BUN_ZIG,
  CLI,
  NODE,
  casebookTempDirs,
  isAlive,
  openFiles,
  privateTmp,
  removeDirs,
  startCli,
  watchDescendants,
} from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

// Four builds hashed in parallel (the pinned pair, by path and by version): a window of a few hundred
// milliseconds in which the CLI has a binary open for hashing, which /proc/PID/fd shows.
const BUILDS = ['--bun', BUN_ZIG, '--bun', BUN_RUST, '--bun', '1.3.14', '--bun', '1.4.5'];

describe.each(['s3-leak', 'sql-pool'])('%s', (scenario) => {
  test('SIGINT while the builds are being hashed: exit 130, nothing started, nothing created', {
    timeout: 60_000,
  }, async () => {
    const tmpdir = privateTmp('early-sigint');
    dirs.push(tmpdir);
    const out = `${tmpdir}/out`;
    const cli = startCli([scenario, ...BUILDS, '--out', out], { tmpdir });
    const watch = watchDescendants(cli.pid);
    // Poll the CLI's open files until it holds a Bun binary open: it is hashing the builds.
    let hashing = false;
    while (!hashing && cli.child.exitCode === null && cli.stdout() === '') {
      hashing = openFiles(cli.pid).some((f) => /\/bun-(zig|rust)\/bin\/bun\.exe$/.test(f));
      if (!hashing) await new Promise((r) => setTimeout(r, 2));
    }
    expect(hashing, 'the CLI was never seen hashing a build (it went past that before the first look)').toBe(true);
    cli.child.kill('SIGINT');

    const r = await cli.result;
    watch.stop();
    expect(r.code).toBe(130);
    expect(r.stderr.trim().split('\n')).toEqual([
      'repro: SIGINT: stopping the run and writing partial records (again to quit at once)',
    ]);
    // Only the builds' own `--revision` answers and git ran: no store, no database, no probe. (A
    // child caught between fork and exec still shows the CLI's own command line.)
    const own = `${NODE} ${CLI}`;
    const started = [...watch.seen.values()]
      .map((p) => p.cmdline)
      .filter((c) => c !== '' && !c.startsWith(own) && !/ --revision$|^git |^setpriv --help$/.test(c));
    expect(started).toEqual([]);
    expect([...watch.seen.values()].filter(isAlive)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
    expect(readdirSync(tmpdir)).toEqual([]);
  });
});
