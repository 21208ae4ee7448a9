// `npm run repro -- sql-pool` as a black box: Ctrl-C in the middle of a hanging trial leaves no
// process behind (checked by PID) and writes records marked interrupted; a port in use is one line
// and a non-zero exit; an existing server (Debian's PostgreSQL 15, started here) works through
// --database-url.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunRecord, type SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { freePort } from '../../../repro/harness/net.ts';
import { DEBIAN_PG15, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';

interface Cli {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

let work: string;

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'sqlpool-cli-test-'));
  await chmod(work, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function runCli(args: string[]): Cli {
  // TMPDIR inside the test folder: the embedded server's temporary data must be gone afterwards.
  const tmp = path.join(work, 'tmp');
  execFileSync('mkdir', ['-p', tmp]);
  execFileSync('chmod', ['1777', tmp]);
  const child = spawn(
    process.execPath,
    [fromRoot('repro', 'harness', 'cli.ts'), 'sql-pool', '--out', path.join(work, 'out'), ...args],
    {
      env: { ...process.env, TMPDIR: tmp, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const cli: Cli = { child, stdout: '', stderr: '', exit: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (cli.stdout += d));
  child.stderr!.on('data', (d) => (cli.stderr += d));
  return cli;
}

/** Every process whose parent chain leads to `root`, read from /proc. */
function descendants(root: number): { pid: number; exe: string }[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited while we looked */
    }
  }
  const found: { pid: number; exe: string }[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        let exe = '';
        try {
          exe = readlinkSync(`/proc/${pid}/exe`);
        } catch {
          /* gone */
        }
        found.push({ pid, exe });
        break;
      }
    }
  }
  return found;
}

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function records(): Promise<SqlPoolRecord[]> {
  const dir = path.join(work, 'out');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  return Promise.all(
    files.map(async (f) => RunRecord.parse(JSON.parse(await readFile(path.join(dir, f), 'utf8'))) as SqlPoolRecord),
  );
}

describe('sql-pool CLI', () => {
  it('Ctrl-C during a hanging trial: every child is gone (by PID), records are marked interrupted', async () => {
    const cli = runCli([
      '--faults',
      'blackhole',
      '--orderings',
      'after',
      '--repetitions',
      '1',
      '--bun',
      fromRoot('node_modules/bun-rust/bin/bun.exe'),
    ]);
    const seen = new Map<number, string>();
    // Wait until the worker is frozen-and-resumed into its hang: the first query has been sent.
    while (!/blackhole\/after|first/.test(cli.stdout) || ![...seen.values()].some((e) => e.endsWith('bun.exe'))) {
      for (const d of descendants(cli.child.pid!)) seen.set(d.pid, d.exe);
      if (cli.child.exitCode !== null) throw new Error(`CLI exited early: ${cli.stderr}`);
      await sleep(100);
    }
    await sleep(4000); // into the pause and the first query's hang
    for (const d of descendants(cli.child.pid!)) seen.set(d.pid, d.exe);
    expect([...seen.values()].some((e) => e.endsWith('/postgres'))).toBe(true);

    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(130);
    const survivors = [...seen.keys()].filter(alive);
    expect(survivors).toEqual([]);
    const [record] = await records();
    expect(record!.status).toBe('interrupted');
    expect(await readdir(path.join(work, 'tmp'))).toEqual([]);
  }, 60_000);

  it('a port already in use: one clear line, non-zero exit, nothing left behind', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen({ host: '127.0.0.1', port });
    try {
      const cli = runCli(['--pg-port', String(port), '--faults', 'terminate']);
      const code = await cli.exit;
      expect(code).not.toBe(0);
      const lines = cli.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(`repro: PostgreSQL cannot start: port ${port} on 127.0.0.1 is already in use`);
      expect(descendants(cli.child.pid!)).toEqual([]);
      expect(await readdir(path.join(work, 'tmp'))).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe('the retry bound, through the CLI', () => {
  it('a condition that cannot hold (cold-start with a pool of one): every attempt is run, none counted, the trial says why', async () => {
    // With max 1 the only connection has completed startup when the worker freezes itself after its
    // first query, so froze-mid-handshake (fewer connected than max) can never be met.
    const cli = runCli([
      '--faults',
      'cold-start',
      '--orderings',
      'after',
      '--pool-max',
      '1',
      '--repetitions',
      '2',
      '--max-attempts-factor',
      '2',
      '--pause-ms',
      '500',
      '--bun',
      '1.3.14',
    ]);
    expect(await cli.exit, cli.stderr).toBe(0);
    const [record] = await records();
    expect(record!.status).toBe('complete');
    const [trial] = record!.trials;
    expect(trial!.wanted).toBe(2);
    expect(trial!.repetitions.map((r) => r.index)).toEqual([0, 1, 2, 3]); // 2 × 2 attempts, no more
    for (const rep of trial!.repetitions) {
      expect(rep.verdict).toBe('condition-not-met');
      expect(rep.operations).toHaveLength(4); // each attempt ran to the end: the outcome was measured, and not counted
      expect(rep.checks.find((c) => !c.met)).toMatchObject({
        name: 'froze-mid-handshake',
        observed: expect.stringMatching(/^1 of 1 connections had completed startup/),
      });
    }
    expect(trial!.verdict).toMatchObject({ kind: 'condition-not-met', counts: {}, notMet: 4 });
    expect(trial!.verdict.message).toMatch(/^no repetition met its condition \(4\): froze-mid-handshake: /);
    expect(cli.stdout).toMatch(/cold-start\/after\s+0\.5 s\s+none counted · 4 not met/);
  }, 120_000);
});

// ---------------------------------------------------------------- an existing server

const PG15 = '/usr/lib/postgresql/15/bin';
const asPostgres = (cmd: string) =>
  execFileSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', cmd], { encoding: 'utf8' });

describe.skipIf(skipWithout(DEBIAN_PG15))(`--database-url against Debian PostgreSQL 15${needs(DEBIAN_PG15)}`, () => {
  it('creates what it needs, runs a trial through the server, and reports it as external', async () => {
    requirePrerequisites(DEBIAN_PG15);
    const dir = path.join(work, 'pg15');
    execFileSync('mkdir', ['-p', dir]);
    await chown(
      dir,
      Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
      Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
    );
    const port = await freePort();
    asPostgres(`${PG15}/initdb -D ${dir}/data -U postgres --auth=trust >/dev/null`);
    // log_statement=ddl: the server's log shows the roles the harness created and dropped.
    asPostgres(
      `${PG15}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c log_statement=ddl" start >/dev/null`,
    );
    try {
      const cli = runCli([
        '--database-url',
        `postgres://postgres@127.0.0.1:${port}/postgres`,
        '--faults',
        'terminate',
        '--orderings',
        'after',
        '--repetitions',
        '1',
      ]);
      expect(await cli.exit, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/terminate\/after/);
      const recs = await records();
      expect(recs).toHaveLength(2);
      for (const r of recs) {
        expect(r.parameters.postgres.kind).toBe('external');
        expect(r.parameters.postgres.version).toMatch(/^15\./);
        expect(r.trials[0]!.repetitions[0]!.operations).toHaveLength(4);
      }
      // The harness dropped the database and roles it created there (named casebook_<run tag>_…).
      const left = asPostgres(
        `psql -h ${dir} -p ${port} -U postgres -Atc "select (select count(*) from pg_roles where rolname like 'casebook%' or rolname like 'sqlpool%') + (select count(*) from pg_database where datname like 'casebook%')"`,
      );
      expect(left.trim()).toBe('0');
      const log = readFileSync(path.join(dir, 'log'), 'utf8');
      const created = [...log.matchAll(/create role "(casebook_[0-9a-f]{8}_(?:app|trust|idle))"/g)].map((m) => m[1]);
      expect(created).toHaveLength(3);
      for (const role of created) expect(log).toContain(`drop role if exists "${role}"`);
    } finally {
      asPostgres(`${PG15}/pg_ctl -D ${dir}/data -m immediate -w stop >/dev/null`);
    }
  }, 90_000);
});
