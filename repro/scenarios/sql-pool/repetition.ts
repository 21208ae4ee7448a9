// One repetition of one trial: start the worker, warm it up, freeze it (SIGSTOP, checked in /proc),
// break its connections, hold the pause, resume it (SIGCONT), then the first operation and the
// follow-ups, each under a watchdog. Whatever happens, the worker is SIGKILLed and the network path
// closed before this returns.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Build } from '../../harness/builds.ts';
import { fromRoot } from '../../harness/paths.ts';
import { forEachLine, hermeticEnv, spawnTracked, type TrackedProcess } from '../../harness/processes.ts';
import {
  SqlOperationKind,
  type SocketOptions,
  type SqlEvent,
  type SqlEventName,
  type SqlOperation,
  type SqlOrdering,
  type SqlRepetition,
} from '../../core/record/schema.ts';
import type { Postgres } from '../../harness/services/postgres.ts';
import { evaluateChecks } from './checks.ts';
import type { FaultSpec } from './faults.ts';
import type { NetworkPath } from './network.ts';
import { parseWorkerLine, type WorkerLine } from './protocol.ts';
import { poolSockets, tcpSocketsOf, type TcpEntry } from './sockets.ts';
import { classifyRepetition } from './verdict.ts';
import { watchdogFor } from './watchdogs.ts';

const WORKER = fromRoot('repro', 'scenarios', 'sql-pool', 'worker.ts');

export interface PoolOptions {
  max: number;
  /** ms (the worker converts to the seconds Bun.SQL takes); null leaves Bun's default. */
  idleTimeoutMs: number | null;
  maxLifetimeMs: number | null;
  connectionTimeoutMs: number | null;
}

/** How the first operation after resume is issued: the `after` delay, and the `timer` delay and bound. */
export interface Timing {
  afterDelayMs: number;
  timerDelayMs: number;
  timerBoundMs: number;
}

/** The `after` ordering: the first operation this long after SIGCONT (the experiments' 1 s). */
export const AFTER_DELAY_MS = 1000;
/** The `timer` ordering: a timer armed before SIGSTOP that expires during the pause. */
export const TIMER_DELAY_MS = 300;
/** A timer that fires further than this from the resume tick did not run first thing (a third of its delay). */
export const TIMER_BOUND_MS = 100;

export interface RepetitionPlan {
  build: Build;
  postgres: Postgres;
  fault: FaultSpec;
  ordering: SqlOrdering;
  pauseMs: number;
  pool: PoolOptions;
  timing: Timing;
  firstWatchdogMs: number;
  followUpWatchdogMs: number;
  index: number;
  /** Opens the network path for this repetition (proxy or kernel). */
  openPath(log: EventLog): Promise<NetworkPath>;
  signal: AbortSignal;
}

export interface RepetitionResult {
  repetition: SqlRepetition;
  interrupted: boolean;
  /** Set when the repetition could not run at all (worker did not start…): a harness-side failure. */
  failure: string | null;
}

/** How long the worker may take to start and warm up before the repetition is called failed. */
const READY_TIMEOUT_MS = 30_000;

export class EventLog {
  readonly events: SqlEvent[] = [];
  private readonly start = performance.now();
  add(source: SqlEvent['source'], event: SqlEventName, detail?: SqlEvent['detail']) {
    const t = Math.round((performance.now() - this.start) * 100) / 100;
    this.events.push(detail ? { t, source, event, detail } : { t, source, event });
  }
}

type BunLine = WorkerLine;

class Aborted extends Error {}

/** Waits for the next matching line from the worker, a watchdog, or the run's abort. */
class WorkerLines {
  private waiters: { match: (l: BunLine) => boolean; resolve: (l: BunLine) => void }[] = [];
  readonly seen: BunLine[] = [];
  push(line: BunLine) {
    this.seen.push(line);
    for (const w of [...this.waiters]) {
      if (w.match(line)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }
  /** Resolves with the line, or null when `ms` passes first. */
  next(
    match: (l: BunLine) => boolean,
    ms: number,
    signal: AbortSignal,
    alsoEnd?: Promise<unknown>,
  ): Promise<BunLine | null> {
    const already = this.seen.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (l: BunLine) => finish(() => resolve(l)) };
      const timer = setTimeout(() => finish(() => resolve(null)), ms);
      const onAbort = () => finish(() => reject(new Aborted()));
      const finish = (then: () => void) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        then();
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
      void alsoEnd?.then(() => finish(() => resolve(null)));
    });
  }
}

export async function runRepetition(plan: RepetitionPlan): Promise<RepetitionResult> {
  const log = new EventLog();
  const operations: SqlOperation[] = [];
  const lines = new WorkerLines();
  const appName = `sqlpool-${process.pid}-${Date.now().toString(36)}-${plan.index}`;
  let worker: TrackedProcess | undefined;
  let path: NetworkPath | undefined;
  let failure: string | null = null;
  let interrupted = false;
  // The pool's sockets: the worker's own options (full warm-up only), the kernel's view at the freeze and before the resume.
  const options = new Map<number, SocketOptions>();
  let optionsError: string | null = 'not read: the worker stops itself while its pool still handshakes';
  let atFreeze: TcpEntry[] | null = null;
  let beforeResume: TcpEntry[] | null = null;

  try {
    path = await plan.openPath(log);
    worker = await startWorker(plan, path, appName, log, lines);
    const exited = worker.exited;
    const { signal } = plan;

    // Warm-up, then freeze.
    if (plan.fault.warmup === 'min') {
      // The worker stops itself in the tick of its first result; wait for /proc to say so.
      if (!(await waitForState(worker.pid, 'T', READY_TIMEOUT_MS, signal))) {
        throw new Error(`worker did not stop itself after its first query: ${lastWorkerError(lines, worker)}`);
      }
      log.add('harness', 'sigstop', { by: 'worker itself', state: 'T' });
    } else {
      const ready = await lines.next(
        (l) => l.ev === 'ready' || l.ev === 'warmup_failed',
        READY_TIMEOUT_MS,
        signal,
        exited,
      );
      if (ready?.ev !== 'ready') throw new Error(`worker did not warm up: ${lastWorkerError(lines, worker)}`);
      send(worker, 'S sockets', log);
      const read = (await lines.next((l) => l.ev === 'sockets', 5000, signal, exited)) as Extract<
        BunLine,
        { ev: 'sockets' }
      > | null;
      for (const { inode, ...o } of read?.sockets ?? []) options.set(inode, o);
      optionsError = read ? read.error : 'the worker did not answer the S command within 5 s';
      if (plan.ordering === 'timer') {
        send(worker, `T first ${plan.timing.timerDelayMs}`, log);
        await lines.next((l) => l.ev === 'timer_armed', 5000, signal);
      }
      process.kill(worker.pid, 'SIGSTOP');
      if (!(await waitForState(worker.pid, 'T', 5000, signal))) throw new Error('worker did not stop on SIGSTOP');
      log.add('harness', 'sigstop', { state: 'T' });
    }
    const stoppedAt = performance.now();
    atFreeze = await tcpSocketsOf(worker.pid, path.port);
    log.add('harness', 'sockets', summarize(atFreeze, 'freeze'));

    const detail = await plan.fault.apply({ postgres: plan.postgres, appName, breakFlows: (a) => path!.breakFlows(a) });
    log.add('harness', 'fault', { fault: plan.fault.name, ...detail });
    await abortableSleep(plan.pauseMs - (performance.now() - stoppedAt), signal);
    if (plan.fault.beforeResume) {
      const again = await plan.fault.beforeResume({
        postgres: plan.postgres,
        appName,
        breakFlows: (a) => path!.breakFlows(a),
      });
      log.add('harness', 'fault', { fault: plan.fault.name, again: true, ...again });
    }
    log.add('harness', 'sessions-before-resume', { sessions: await plan.postgres.sessions(appName).catch(() => -1) });
    beforeResume = await tcpSocketsOf(worker.pid, path.port);
    log.add('harness', 'sockets', summarize(beforeResume, 'resume'));
    process.kill(worker.pid, 'SIGCONT');
    log.add('harness', 'sigcont', { pausedMs: Math.round(performance.now() - stoppedAt) });

    // The first operation, then the follow-ups.
    if (plan.ordering === 'after') {
      await abortableSleep(plan.timing.afterDelayMs, signal);
      send(worker, 'Q first', log);
    }
    // Each operation in the schema's order; the first was sent above (or by the worker's timer).
    const commands: Record<SqlOperationKind, string | null> = {
      first: null,
      second: 'Q second',
      concurrent: `QN concurrent ${plan.pool.max}`,
      begin: 'B begin',
    };
    for (const op of SqlOperationKind.options) {
      const command = commands[op];
      const watchdogMs = watchdogFor(op, plan);
      if (command) send(worker, command, log);
      const result = (await lines.next((l) => l.ev === 'result' && l.id === op, watchdogMs, signal, exited)) as Extract<
        BunLine,
        { ev: 'result' }
      > | null;
      const operation = toOperation(op, result, watchdogMs);
      if (!result) log.add('harness', 'watchdog', { op, ms: watchdogMs, workerAlive: worker.child.exitCode === null });
      operations.push(operation);
    }
    await path.inspect();
  } catch (error) {
    if (error instanceof Aborted || plan.signal.aborted) interrupted = true;
    else failure = (error as Error).message;
  } finally {
    if (worker) {
      // SIGKILL works on a stopped process too; no grace for a worker that may be frozen or hung.
      worker.signal('SIGKILL');
      await worker.exited;
      log.add('harness', 'worker-killed', { pid: worker.pid });
    }
    await path?.close();
  }

  const count = (ev: string) => lines.seen.filter((l) => l.ev === ev).length;
  const checks = evaluateChecks({
    fault: plan.fault.name,
    ordering: plan.ordering,
    poolMax: plan.pool.max,
    timerBoundMs: plan.timing.timerBoundMs,
    events: log.events,
  });
  const measured = { operations, checks, ...(failure !== null ? { failure } : {}) };
  return {
    repetition: {
      index: plan.index,
      verdict: classifyRepetition(measured, interrupted),
      ...measured,
      onconnect: count('onconnect'),
      onclose: count('onclose'),
      events: log.events,
      ...(atFreeze ? { sockets: { connections: poolSockets(atFreeze, beforeResume, options), optionsError } } : {}),
    },
    interrupted,
    failure,
  };
}

async function startWorker(
  plan: RepetitionPlan,
  path: NetworkPath,
  appName: string,
  log: EventLog,
  lines: WorkerLines,
) {
  const { pool } = plan;
  const env = hermeticEnv({
    DATABASE_URL: plan.postgres.url(plan.fault.role, path.host, path.port),
    APP_NAME: appName,
    POOL_MAX: String(pool.max),
    IDLE_TIMEOUT_MS: pool.idleTimeoutMs === null ? '' : String(pool.idleTimeoutMs),
    MAX_LIFETIME_MS: pool.maxLifetimeMs === null ? '' : String(pool.maxLifetimeMs),
    CONNECTION_TIMEOUT_MS: pool.connectionTimeoutMs === null ? '' : String(pool.connectionTimeoutMs),
    WARMUP: plan.fault.warmup,
    FIRST_TIMER: plan.fault.warmup === 'min' && plan.ordering === 'timer' ? `first ${plan.timing.timerDelayMs}` : '',
  });
  const [command, args] = path.wrap(plan.build.path, [WORKER]);
  const worker = await spawnTracked(command, args, { env, stdin: 'pipe' });
  // A command written after the worker died must not crash the harness (EPIPE).
  worker.child.stdin!.on('error', () => {});
  log.add('harness', 'worker-started', { pid: worker.pid });
  forEachLine(worker.child.stdout!, (text) => {
    const line = parseWorkerLine(text);
    if (line === null) {
      log.add('bun', 'stdout', { text: text.slice(0, 300) });
      return;
    }
    const { ev, t, ...detail } = line;
    // The socket options go to the repetition's `sockets`; the timeline keeps how many were read.
    const shown = line.ev === 'sockets' ? { read: line.sockets.length, error: line.error } : detail;
    log.add('bun', ev, { bunT: t, ...shown } as SqlEvent['detail']);
    lines.push(line);
  });
  return worker;
}

/** The timeline's line for a socket reading: how many pool connections the kernel lists, and how many carry a keepalive timer. */
function summarize(entries: readonly TcpEntry[], at: 'freeze' | 'resume') {
  return { at, listed: entries.length, keepaliveTimers: entries.filter((e) => e.timer === 'keepalive').length };
}

function send(worker: TrackedProcess, command: string, log: EventLog) {
  log.add('harness', 'send', { command });
  worker.child.stdin!.write(`${command}\n`);
}

function toOperation(
  op: SqlOperation['op'],
  result: Extract<BunLine, { ev: 'result' }> | null,
  watchdogMs: number,
): SqlOperation {
  if (!result) return { op, outcome: 'hang', latencyMs: watchdogMs, code: null, message: null };
  const latencyMs = result.ms;
  if (result.ok) return { op, outcome: 'ok', latencyMs, code: null, message: null };
  const code = [result.code, result.errno].filter((v) => typeof v === 'string' && v !== '').join(' ') || null;
  return { op, outcome: 'error', latencyMs, code, message: result.message ?? null };
}

function lastWorkerError(lines: WorkerLines, worker: TrackedProcess): string {
  const failed = lines.seen.find((l) => l.ev === 'warmup_failed');
  if (failed) return `${failed.code ?? ''} ${failed.message}`.trim();
  const stderr = worker.stderrTail().trim().split('\n').slice(-1)[0];
  return stderr || (worker.child.exitCode !== null ? `exited with code ${worker.child.exitCode}` : 'no answer');
}

/** Polls /proc/PID/stat until the process is in `state` (T: stopped). */
async function waitForState(pid: number, state: string, ms: number, signal: AbortSignal): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const current = await procState(pid);
    if (current === state) return true;
    if (current === null || current === 'Z') return false; // gone: it will never get there
    await abortableSleep(5, signal);
  }
  return false;
}

async function procState(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

async function abortableSleep(ms: number, signal: AbortSignal) {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new Aborted();
  }
}
