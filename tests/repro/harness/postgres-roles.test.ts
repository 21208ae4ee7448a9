// Other people's servers: the SQL scenario, pointed at an existing PostgreSQL (Debian's 15, started
// here), creates roles and a database under names of its own run and leaves the server as it found
// it — after a normal run, and, when a run was SIGKILLed before it could clean up, at the start of
// the next run, which says what it removed. What is not provably stale (a live run's roles, a
// reader's own roles that share the prefix) is left alone. The embedded server takes no password-less
// logins over TCP except the one role the cold-start trial needs, into the run's own database.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPostgres } from '../../../repro/harness/services/postgres.ts';
import { startPg15, type Pg15 } from './pg15.ts';
import { DEBIAN_PG15, LINUX, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';
import {
  BUN_RUST,
  descendants,
  isAlive,
  privateTmp,
  removeDirs,
  runCli,
  startCli,
  waitFor,
  type Proc,
} from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

/** One quick trial against the server: a run that starts, sweeps, works and cleans up in seconds. */
const QUICK = ['--faults', 'terminate', '--orderings', 'after', '--repetitions', '1', '--bun', BUN_RUST];
/** A trial that hangs until its 10 s watchdog: time to look at the server while the run holds its roles. */
const SLOW = ['--faults', 'blackhole', '--orderings', 'after', '--repetitions', '1', '--bun', BUN_RUST];

function out(): string[] {
  const dir = privateTmp('pg-roles-out');
  dirs.push(dir);
  return ['--out', `${dir}/out`];
}

/** Tries a login; resolves with null when it worked, or the error message. */
async function login(config: pg.ClientConfig): Promise<string | null> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(skipWithout(DEBIAN_PG15))(`an existing server (Debian PostgreSQL 15)${needs(DEBIAN_PG15)}`, () => {
  let server: Pg15;
  beforeAll(async () => {
    requirePrerequisites(DEBIAN_PG15);
    server = await startPg15();
  });
  afterAll(() => server?.stop());

  test('a normal run creates its roles and database while it runs, and leaves none behind', {
    timeout: 120_000,
  }, async () => {
    const cli = startCli(['sql-pool', '--database-url', server.url, ...QUICK, ...out()]);
    const seen = { roles: new Set<string>(), databases: new Set<string>() };
    const watching = (async () => {
      while (cli.child.exitCode === null) {
        const now = await server.namesLike('casebook_');
        now.roles.forEach((n) => seen.roles.add(n));
        now.databases.forEach((n) => seen.databases.add(n));
        await sleep(100);
      }
    })();
    const r = await cli.result;
    await watching;
    expect(r.code, r.stderr).toBe(0);
    // The run's own names: casebook_<tag>_{app,trust,idle} and database casebook_<tag>.
    const roles = [...seen.roles].sort();
    const tag = /^casebook_([0-9a-f]{8})_app$/.exec(roles[0] ?? '')?.[1];
    expect(roles).toEqual([`casebook_${tag}_app`, `casebook_${tag}_idle`, `casebook_${tag}_trust`]);
    expect([...seen.databases]).toEqual([`casebook_${tag}`]);
    expect(await server.namesLike('casebook_')).toEqual({ roles: [], databases: [] });
  });

  test('SIGKILL mid-run leaves its roles (and no process); the next run removes them and says so', {
    timeout: 180_000,
  }, async () => {
    const killed = startCli(['sql-pool', '--database-url', server.url, ...SLOW, ...out()]);
    await waitFor(
      'the run to create its roles',
      () => killed.child.exitCode !== null || /blackhole\/after/.test(killed.stdout()),
      120_000,
    );
    await waitFor(
      'the Bun worker to start',
      () => descendants(killed.pid).some((p) => p.cmdline.includes('worker.ts')),
      60_000,
    );
    const { roles, databases } = await server.namesLike('casebook_');
    expect(roles).toHaveLength(3);
    expect(databases).toHaveLength(1);
    const before: Proc[] = descendants(killed.pid);
    expect(before.length).toBeGreaterThan(0);

    killed.child.kill('SIGKILL');
    expect((await killed.result).signal).toBe('SIGKILL');
    // The kernel's parent-death signal takes every child down with the harness.
    await waitFor('the children of the killed harness to exit', () => before.every((p) => !isAlive(p)), 30_000);
    // Nothing could clean up: the roles are still there, and their comment names the dead run.
    expect(await server.namesLike('casebook_')).toEqual({ roles, databases });
    const comments = await server.query<{ comment: string }>(
      `select shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname = any($1)`,
      [roles],
    );
    for (const { comment } of comments)
      expect(comment).toMatch(new RegExp(`^casebook harness: host=${os.hostname()} pid=${killed.pid} started=`));

    const next = await runCli(['sql-pool', '--database-url', server.url, ...QUICK, ...out()]);
    expect(next.code, next.stderr).toBe(0);
    const notice = next.stdout.split('\n').find((l) => l.includes('removed stale roles')) ?? '';
    expect(notice).toMatch(
      new RegExp(
        `^PostgreSQL at 127\\.0\\.0\\.1:${server.port}: removed stale roles .* and database ${databases[0]} \\(left by PID ${killed.pid}, which no longer runs\\)$`,
      ),
    );
    for (const role of roles) expect(notice).toContain(role);
    expect(await server.namesLike('casebook_')).toEqual({ roles: [], databases: [] });
  });

  test('the fixed roles of harness versions before 0.2 (sqlpool_*) are swept, with a notice', {
    timeout: 120_000,
  }, async () => {
    for (const role of ['sqlpool_app', 'sqlpool_trust', 'sqlpool_idle'])
      await server.query(`create role ${role} login password 'x'`);
    await server.query('create database sqlpool');
    const r = await runCli(['sql-pool', '--database-url', server.url, ...QUICK, ...out()]);
    expect(r.code, r.stderr).toBe(0);
    const notice = r.stdout.split('\n').find((l) => l.includes('sqlpool_')) ?? '';
    expect(notice).toMatch(
      /^PostgreSQL at 127\.0\.0\.1:\d+: removed stale roles sqlpool_\w+, sqlpool_\w+, sqlpool_\w+ and database sqlpool \(fixed names of harness versions before 0\.2\)$/,
    );
    expect(await server.namesLike('sqlpool')).toEqual({ roles: [], databases: [] });
  });

  test("what is not provably stale is left alone: a live run, another host, a reader's own casebook_ role", {
    timeout: 120_000,
  }, async () => {
    const recent = new Date().toISOString();
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const comment = (host: string, pid: number, started: string) =>
      `casebook harness: host=${host} pid=${pid} started=${started}`;
    const planted = [
      // A run still going on this host (this test process is alive).
      { role: 'casebook_0000000a_app', comment: comment(os.hostname(), process.pid, recent), kept: true },
      // A run on another machine: its PID cannot be checked from here, and it is recent.
      { role: 'casebook_0000000b_app', comment: comment('elsewhere.example', 1, recent), kept: true },
      // A reader's own role that happens to share the prefix: no harness comment.
      { role: 'casebook_0000000c_app', comment: null, kept: true },
      { role: 'casebook_reports', comment: comment(os.hostname(), 1, old), kept: true },
      // Another machine's run from two days ago: swept.
      { role: 'casebook_0000000d_app', comment: comment('elsewhere.example', 1, old), kept: false },
    ];
    for (const p of planted) {
      await server.query(`create role ${p.role} login`);
      if (p.comment) await server.query(`comment on role ${p.role} is '${p.comment}'`);
    }
    const r = await runCli(['sql-pool', '--database-url', server.url, ...QUICK, ...out()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /removed stale roles casebook_0000000d_app and database casebook_0000000d \(older than a day/,
    );
    const { roles } = await server.namesLike('casebook_');
    expect(roles).toEqual(
      planted
        .filter((p) => p.kept)
        .map((p) => p.role)
        .sort(),
    );
    for (const role of roles) await server.query(`drop role ${role}`);
  });
});

describe.skipIf(skipWithout(LINUX))(`the embedded server${needs(LINUX)}`, () => {
  beforeAll(() => requirePrerequisites(LINUX));
  test('refuses a password-less TCP login as postgres while a run is in progress', { timeout: 120_000 }, async () => {
    const tmpdir = privateTmp('pg-embedded-tmp');
    dirs.push(tmpdir);
    const cli = startCli(['sql-pool', ...SLOW, ...out()], { tmpdir });
    try {
      let match: RegExpExecArray | null = null;
      await waitFor(
        'the embedded server notice',
        () =>
          cli.child.exitCode !== null ||
          (match = /^PostgreSQL \S+: embedded at 127\.0\.0\.1:(\d+)$/m.exec(cli.stdout())) !== null,
        120_000,
      );
      expect(match, cli.stderr()).not.toBeNull();
      const port = Number(match![1]);
      const superuser = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
      expect(await login(superuser)).not.toBeNull();
      // The server asks for a password (SCRAM), and a wrong one is refused by the server itself.
      expect(await login({ ...superuser, password: 'postgres' })).toMatch(
        /password authentication failed for user "postgres"/,
      );
    } finally {
      cli.child.kill('SIGINT');
      expect((await cli.result).code).toBe(130);
    }
  });

  test("only the cold-start role logs in without a password, and only into the run's database", {
    timeout: 120_000,
  }, async () => {
    const server = await startPostgres({ databaseUrl: null, port: null, idleSessionTimeoutMs: 2000 });
    try {
      const tcp = { host: '127.0.0.1', port: server.port };
      expect(await login({ ...tcp, user: server.roles.trust, database: server.database })).toBeNull();
      expect(await login({ ...tcp, user: server.roles.trust, database: 'postgres' })).not.toBeNull();
      expect(await login({ ...tcp, user: server.roles.app, database: server.database })).not.toBeNull();
      expect(await login({ ...tcp, user: server.roles.app, database: server.database, password: 'wrong' })).toMatch(
        /password authentication failed/,
      );
      expect(await login({ connectionString: server.url('app', '127.0.0.1', server.port) })).toBeNull();
      expect(await login({ ...tcp, user: 'postgres', database: server.database })).not.toBeNull();
    } finally {
      await server.stop();
    }
    // Its data folder went with it.
    expect(existsSync(server.socketDir!)).toBe(false);
  });
});
