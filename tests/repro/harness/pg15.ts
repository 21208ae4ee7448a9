// "Someone else's database" for tests: Debian's PostgreSQL 15, initdb'd into a temporary folder and
// started on 127.0.0.1 and a free port, run as the postgres user (the tests run as root). The
// superuser may be given a password, with SCRAM required over TCP, so that a URL carries a real secret.
// Whether this machine can run it: DEBIAN_PG15 in tests/prerequisites.ts.
//
// The server is the test process's child, in its process group, not a daemon started by pg_ctl (which
// gives it a session of its own): a Ctrl-C or a SIGTERM sent to the group of a test run that is cut
// short (tests/run-suites.ts sends them so) reaches it, and it shuts down even when the test's
// afterAll never runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../../repro/harness/net.ts';

const PG15 = '/usr/lib/postgresql/15/bin';

const spawnStatus = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status;

const asPostgres = (command: string) =>
  execFileSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', command], { encoding: 'utf8' });

export interface Pg15 {
  port: number;
  /** Folder of the data and the Unix socket. */
  dir: string;
  /** postgres://postgres[:password]@127.0.0.1:port/postgres */
  url: string;
  /** One query as the superuser over the Unix socket (trusted there). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Names of the roles and databases whose name starts with `prefix`. */
  namesLike(prefix: string): Promise<{ roles: string[]; databases: string[] }>;
  stop(): void;
}

export async function startPg15(options: { password?: string } = {}): Promise<Pg15> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-test-pg15-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
  const port = await freePort();
  const auth = options.password ? '--auth-local=trust --auth-host=scram-sha-256' : '--auth=trust';
  asPostgres(`${PG15}/initdb -D ${dir}/data -U postgres ${auth} --no-sync >/dev/null`);
  const log = openSync(path.join(dir, 'log'), 'w');
  const server = spawn(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      `${PG15}/postgres`,
      '-D',
      `${dir}/data`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-p',
      `${port}`,
      '-k',
      dir,
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  server.unref();
  let exited = false;
  server.once('exit', () => (exited = true));
  // Ready when it accepts connections on its socket (pg_isready exits 0); the test's timeout bounds the wait.
  while (spawnStatus(`${PG15}/pg_isready`, ['-q', '-h', dir, '-p', `${port}`]) !== 0) {
    if (exited) throw new Error(`PostgreSQL 15 did not start:\n${readFileSync(path.join(dir, 'log'), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    const client = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  if (options.password) await query(`alter role postgres password '${options.password.replace(/'/g, "''")}'`);
  const userinfo = options.password ? `postgres:${encodeURIComponent(options.password)}` : 'postgres';

  return {
    port,
    dir,
    url: `postgres://${userinfo}@127.0.0.1:${port}/postgres`,
    query,
    async namesLike(prefix) {
      const like = `${prefix.replace(/_/g, '\\_')}%`;
      const roles = await query<{ name: string }>(
        'select rolname as name from pg_roles where rolname like $1 order by 1',
        [like],
      );
      const databases = await query<{ name: string }>(
        'select datname as name from pg_database where datname like $1 order by 1',
        [like],
      );
      return { roles: roles.map((r) => r.name), databases: databases.map((d) => d.name) };
    },
    stop() {
      try {
        asPostgres(`${PG15}/pg_ctl -D ${dir}/data -m immediate -w stop >/dev/null`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
