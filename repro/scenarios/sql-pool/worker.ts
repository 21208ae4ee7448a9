// The program run under each Bun build: one Bun.SQL pool, warmed up so that every connection is
// open and has been used, then driven by one-line commands on stdin. Every event is a JSON line on
// stdout; latencies are measured here, inside Bun, so the harness's own scheduling does not count.
//
// Commands (one per line, <id> names the result):
//   Q <id>          one plain query
//   QN <id> <n>     n concurrent plain queries
//   B <id>          one query inside sql.begin()
//   T <id> <ms>     arm a timer that sends one plain query after <ms> (armed before a pause, it
//                   fires first thing after SIGCONT, before the pool has seen any socket event)
//   S <id>          read the options of every TCP socket the process holds (getsockopt)
//
// Environment: DATABASE_URL, APP_NAME (application_name, so the harness can find these sessions),
// POOL_MAX, IDLE_TIMEOUT_MS / MAX_LIFETIME_MS / CONNECTION_TIMEOUT_MS (empty = Bun's default; Bun
// takes seconds), WARMUP=full|min. With `min` the worker sends one query and stops itself (SIGSTOP)
// in the same tick, while the connections the pool dialled eagerly are still handshaking: a cold
// start frozen. FIRST_TIMER="<id> <ms>" (with `min`) arms the `T` timer just before that self-stop.
//
// The lines it prints are specified by repro/scenarios/sql-pool/protocol.ts (WorkerLine).
import { readdirSync, readlinkSync } from 'node:fs';
import type { WorkerLine } from './protocol.ts';

/** The part of Bun's API the worker uses, typed here because the project type-checks under Node. */
type Rows = { pid: number }[];
interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<Rows>;
  begin<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}
interface BunApi {
  SQL: new (options: Record<string, unknown>) => Sql;
  version: string;
  revision: string;
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;
const { SQL } = Bun;

const env = process.env;
const started = performance.now();
const round = (ms: number) => Math.round(ms * 100) / 100;
const now = () => round(performance.now() - started);

type Fields<E extends WorkerLine['ev']> = Omit<Extract<WorkerLine, { ev: E }>, 'ev' | 't'>;

function emit<E extends WorkerLine['ev']>(ev: E, fields: Fields<E>) {
  process.stdout.write(JSON.stringify({ ev, t: now(), ...fields }) + '\n');
}

function errorFields(error: unknown) {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : null,
    errno: typeof e?.errno === 'string' || typeof e?.errno === 'number' ? String(e.errno) : null,
    message: String(e?.message ?? error).slice(0, 300),
  };
}

/** Bun.SQL takes these options in seconds; the harness passes ms. */
function seconds(name: string): number | undefined {
  const value = env[name];
  return value ? Number(value) / 1000 : undefined;
}

const poolOptions = {
  max: Number(env.POOL_MAX ?? 4),
  idleTimeout: seconds('IDLE_TIMEOUT_MS'),
  maxLifetime: seconds('MAX_LIFETIME_MS'),
  connectionTimeout: seconds('CONNECTION_TIMEOUT_MS'),
};
const definedPoolOptions = Object.fromEntries(Object.entries(poolOptions).filter(([, v]) => v !== undefined));

/** Connections whose onconnect has run: what the pool itself considers set up. */
let connected = 0;
const sql = new SQL({
  url: env.DATABASE_URL,
  ...definedPoolOptions,
  connection: { application_name: env.APP_NAME ?? 'sql-pool-worker' },
  onconnect: (err: unknown) => {
    if (!err) connected++;
    emit('onconnect', err ? { ok: false, ...errorFields(err) } : { ok: true, code: null, errno: null, message: '' });
  },
  onclose: (err: unknown) =>
    emit('onclose', err ? { ok: false, ...errorFields(err) } : { ok: true, code: null, errno: null, message: '' }),
});

async function backendPid(): Promise<number> {
  const [row] = await sql`select pg_backend_pid() as pid`;
  return row!.pid;
}

/** Runs one operation and reports its outcome with the latency seen from inside Bun. */
async function measure(id: string, kind: string, run: () => Promise<{ pid?: number; pids?: number[] }>) {
  emit('query_start', { id, kind });
  const t0 = performance.now();
  try {
    const fields = await run();
    emit('result', { id, kind, ok: true, ms: round(performance.now() - t0), ...fields });
  } catch (error) {
    emit('result', { id, kind, ok: false, ms: round(performance.now() - t0), ...errorFields(error) });
  }
}

const operations = {
  plain: async () => ({ pid: await backendPid() }),
  begin: async () => ({ pid: (await sql.begin(async (tx) => tx`select pg_backend_pid() as pid`))[0].pid }),
  concurrent: (n: number) => async () => {
    const settled = await Promise.allSettled(Array.from({ length: n }, () => backendPid()));
    const failed = settled.filter((s) => s.status === 'rejected');
    const pids = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    // A partial failure is a failure of the operation; the counts say how partial it was.
    if (failed.length > 0) {
      const first = errorFields(failed[0].reason);
      throw Object.assign(new Error(`${failed.length} of ${n} failed: ${first.message}`), {
        code: first.code,
        errno: first.errno,
      });
    }
    return { pids };
  },
};

/** The slice of bun:ffi the socket reading uses, typed here for the same reason as BunApi. */
interface Ffi {
  dlopen(
    lib: string,
    symbols: Record<string, { args: number[]; returns: number }>,
  ): { symbols: Record<string, (...args: unknown[]) => number>; close(): void };
  FFIType: Record<'i32' | 'ptr', number>;
  ptr(view: ArrayBufferView): unknown;
}
// <sys/socket.h>, <netinet/tcp.h> on Linux.
const SOL_SOCKET = 1,
  SO_KEEPALIVE = 9,
  IPPROTO_TCP = 6;
const TCP_NODELAY = 1,
  TCP_KEEPIDLE = 4,
  TCP_KEEPINTVL = 5,
  TCP_KEEPCNT = 6,
  TCP_USER_TIMEOUT = 18;

/**
 * The options Bun set on each TCP socket of this process, read with libc's getsockopt through
 * bun:ffi: what decides whether the kernel can find a dead peer while the process is frozen
 * (keepalive) or give up on unanswered data (user timeout). Sockets that answer no TCP option
 * (Unix sockets, pipes) are left out; the harness matches the rest to the pool by inode.
 */
async function socketOptions(): Promise<Fields<'sockets'>> {
  try {
    const ffi = (await import('bun:ffi' as string)) as Ffi;
    const { i32, ptr } = ffi.FFIType;
    const libc = ffi.dlopen('libc.so.6', { getsockopt: { args: [i32, i32, i32, ptr, ptr], returns: i32 } });
    const get = (fd: number, level: number, name: number): number | null => {
      const value = new Int32Array(1);
      const length = new Uint32Array([4]);
      return libc.symbols.getsockopt!(fd, level, name, ffi.ptr(value), ffi.ptr(length)) === 0 ? value[0]! : null;
    };
    const sockets = readdirSync('/proc/self/fd').flatMap((name) => {
      const fd = Number(name);
      let inode: number;
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${name}`));
        if (!match) return [];
        inode = Number(match[1]);
      } catch {
        return [];
      }
      const [keepIdleS, keepIntvlS, keepCnt, userTimeoutMs, noDelay] = [
        TCP_KEEPIDLE,
        TCP_KEEPINTVL,
        TCP_KEEPCNT,
        TCP_USER_TIMEOUT,
        TCP_NODELAY,
      ].map((o) => get(fd, IPPROTO_TCP, o));
      const keepAlive = get(fd, SOL_SOCKET, SO_KEEPALIVE);
      if ([keepIdleS, keepIntvlS, keepCnt, userTimeoutMs, noDelay, keepAlive].some((v) => v === null)) return [];
      return [
        {
          inode,
          keepAlive: keepAlive !== 0,
          keepIdleS: keepIdleS!,
          keepIntvlS: keepIntvlS!,
          keepCnt: keepCnt!,
          userTimeoutMs: userTimeoutMs!,
          noDelay: noDelay !== 0,
        },
      ];
    });
    libc.close();
    return { sockets, error: null };
  } catch (error) {
    return { sockets: [], error: errorFields(error).message };
  }
}

function handle(line: string) {
  const [command, id = '?', arg] = line.trim().split(/\s+/);
  switch (command) {
    case 'Q':
      return void measure(id, 'plain', operations.plain);
    case 'QN':
      return void measure(id, 'concurrent', operations.concurrent(Number(arg ?? 4)));
    case 'B':
      return void measure(id, 'begin', operations.begin);
    case 'T': {
      const delay = Number(arg ?? 300);
      // Armed first, announced second: the harness freezes the worker as soon as it reads the
      // announcement, and a timer armed after a SIGSTOP would count its delay from the resume.
      setTimeout(() => {
        emit('timer_fired', { id });
        void measure(id, 'plain', operations.plain);
      }, delay);
      emit('timer_armed', { id, delay });
      return;
    }
    case 'S':
      void socketOptions().then((fields) => emit('sockets', fields));
      return;
    case '':
    case undefined:
      return;
    default:
      emit('bad_command', { line });
  }
}

// A pause shows up as a gap between ticks of this interval; logging it dates the resume in Bun's clock.
let lastTick = performance.now();
setInterval(() => {
  const tick = performance.now();
  if (tick - lastTick > 500) emit('resumed', { gapMs: Math.round(tick - lastTick) });
  lastTick = tick;
}, 100);

async function warmUp() {
  const pids = new Set<number>();
  if (env.WARMUP === 'min') {
    pids.add(await backendPid());
    emit('ready', { pids: [...pids], warmup: 'min' });
    // The harness cannot arm a timer in a process that stops itself: FIRST_TIMER arms it here.
    if (env.FIRST_TIMER) handle(`T ${env.FIRST_TIMER}`);
    // Same tick as the first result: the other connections are still mid-handshake. How many had
    // completed, as the pool sees it, is the trial's condition (checks.ts).
    emit('freezing', { connected });
    process.kill(process.pid, 'SIGSTOP');
    return;
  }
  for (let i = 0; i < 3; i++) pids.add(await backendPid());
  // Concurrent sleeps force the pool to open and use every connection.
  for (let round = 0; round < 2; round++) {
    const rows = await Promise.all(
      Array.from({ length: 2 * poolOptions.max }, () => sql`select pg_backend_pid() as pid, pg_sleep(0.2)`),
    );
    for (const [row] of rows) pids.add(row.pid);
  }
  for (let i = 0; i < 3; i++) pids.add(await backendPid());
  emit('ready', { pids: [...pids], warmup: 'full' });
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    handle(buffered.slice(0, newline));
    buffered = buffered.slice(newline + 1);
  }
});

emit('start', { bun: Bun.version, revision: Bun.revision, pool: definedPoolOptions as Record<string, number> });
warmUp().catch((error) => {
  emit('warmup_failed', errorFields(error));
  process.exit(3);
});
