// Every child process of the harness (probes, S3 server, PostgreSQL, proxies) is spawned here and
// tracked until it exits, so that no exit path — success, error, Ctrl-C, SIGTERM — leaves one behind.
//
// Children run in their own process group (detached): a Ctrl-C in the terminal reaches only the
// harness, which then stops each child itself and still writes the partial record. Signals go to
// the whole group (-pid), so grandchildren (e.g. a shell wrapper's child) are stopped too.
//
// If the harness itself dies without a chance to clean up (SIGKILL, the OOM killer), the kernel
// kills its children: on Linux each one is started through util-linux `setpriv --pdeathsig KILL`,
// which sets the parent-death signal and then execs the real program (same PID).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { HarnessError } from '../core/errors.ts';
import { whenParentGoes } from './parent.ts';
import { readStat } from './proc.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TrackedProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Settles once, when the process has exited. Never rejects. */
  readonly exited: Promise<Exit>;
  /** Whether `stop()` was called: an exit by SIGTERM/SIGKILL was then our doing, not the kernel's. */
  readonly stopping: boolean;
  /** SIGCONT (in case it is stopped), SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<Exit>;
  /** Sends a signal to the process group. */
  signal(name: NodeJS.Signals): void;
  /** The last few KiB of stderr, for error messages. */
  stderrTail(): string;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'pipe' for a child driven by commands on stdin (the SQL worker); default 'ignore'. */
  stdin?: 'ignore' | 'pipe';
}

const live = new Set<TrackedProcess>();
const STDERR_TAIL_BYTES = 4096;
const DEFAULT_GRACE_MS = 3000;

/** Spawns a tracked child with piped stdout/stderr; resolves once it is running, rejects if it cannot start. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): Promise<TrackedProcess> {
  installExitHandler();
  [command, args] = withParentDeathSignal(command, args, options.env.PATH);
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  let stopping = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new HarnessError(`cannot start ${command}: ${error.message}`)));
    child.once('spawn', () => {
      const tracked: TrackedProcess = {
        pid: child.pid!,
        child,
        exited,
        get stopping() {
          return stopping;
        },
        signal: (name) => signalGroup(child, name),
        stderrTail: () => stderr,
        async stop(graceMs = DEFAULT_GRACE_MS) {
          stopping = true;
          if (child.exitCode === null && child.signalCode === null) {
            signalGroup(child, 'SIGCONT');
            signalGroup(child, 'SIGTERM');
            const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
            await exited;
            clearTimeout(timer);
          }
          return exited;
        },
      };
      live.add(tracked);
      void exited.then(() => {
        // The leader is gone; make sure nothing it started in its group outlives it.
        signalGroup(child, 'SIGKILL');
        live.delete(tracked);
      });
      resolve(tracked);
    });
  });
}

let setprivSupportsPdeathsig: boolean | undefined;

/** `command args` wrapped so the kernel SIGKILLs it when the harness dies; unchanged where setpriv cannot. */
function withParentDeathSignal(command: string, args: string[], searchPath = process.env.PATH): [string, string[]] {
  setprivSupportsPdeathsig ??=
    process.platform === 'linux' &&
    (spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout ?? '').includes('--pdeathsig');
  // A program that does not exist is left unwrapped, so spawn reports it as it always does.
  if (!setprivSupportsPdeathsig || !isExecutable(command, searchPath)) return [command, args];
  // A setpriv call of our own (e.g. to run PostgreSQL as another user) takes the option itself: the
  // signal must be set by the last exec before the program, after any change of user.
  if (path.basename(command) === 'setpriv') return [command, ['--pdeathsig', 'KILL', ...args]];
  return ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]];
}

function isExecutable(command: string, searchPath = ''): boolean {
  const candidates = command.includes('/')
    ? [command]
    : searchPath
        .split(':')
        .filter(Boolean)
        .map((dir) => path.join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Stops every tracked child (in parallel) and waits for all of them to exit. */
export async function stopAll(graceMs = DEFAULT_GRACE_MS): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

/** PIDs of the children still running, for tests and diagnostics. */
export function livePids(): number[] {
  return [...live].map((p) => p.pid);
}

/** Calls `onLine` for each line of a child's stream (stdout, usually); resolves when the stream ends. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', resolve));
}

/**
 * A fixed environment for probes and services, so a reader's shell (AWS_*, NODE_OPTIONS,
 * BUN_* debug variables) cannot change what is measured. Everything a child needs is passed in `extra`.
 */
export function hermeticEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * Waits for a probe to exit, stopping it if `signal` aborts first (at once, if it already has): how
 * it exited, and whether the run was interrupted. A probe stopped this way is not a failed build.
 */
export async function exitUnlessAborted(
  probe: TrackedProcess,
  signal: AbortSignal,
): Promise<{ exit: Exit; interrupted: boolean }> {
  let interrupted = signal.aborted;
  const onAbort = () => {
    interrupted = true;
    void probe.stop();
  };
  if (interrupted) void probe.stop();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return { exit: await probe.exited, interrupted };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export interface Interrupt {
  /** Aborted on the first stop request (Ctrl-C, SIGTERM, SIGHUP, the parent's end): scenarios stop their probe and return partial records. */
  signal: AbortSignal;
  /**
   * Runs `work` (writing the records) to the end even through a second signal, which then only
   * kills the children at once; after it, a second signal quits at once again.
   */
  critical<T>(work: () => Promise<T>): Promise<T>;
  /**
   * After a finished run (the live page staying up): resolves at the next stop request, which then
   * ends the wait rather than a run. A further Ctrl-C or SIGTERM quits at once, with `exitCode`, the
   * finished run's: nothing is interrupted any more, and a copy of the same key press that npm passes
   * on late (a busy machine) must not turn a complete run into exit 130.
   */
  untilStopped(exitCode: number): Promise<void>;
  dispose(): void;
}

/** The signals that ask the harness to stop: Ctrl-C, a supervisor's SIGTERM, a closed terminal's SIGHUP. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * In a terminal, Ctrl-C sends SIGINT to the whole foreground process group: to the harness, and to
 * npm (or the matrix) that started it in that group, which passes a copy on. A SIGINT this soon after
 * the last one, while that is so, is taken for that copy of the same key press, not a second one.
 */
const KEY_PRESS_COPY_MS = 1000;

/** Whether a key press in the terminal reaches this process directly and its parent as well. */
function keyPressReachesParentToo(): boolean {
  const self = readStat(process.pid);
  const parent = self && readStat(self.ppid);
  return !!self && !!parent && self.ttyNr !== 0 && self.tpgid === self.pgrp && parent.pgrp === self.pgrp;
}

/**
 * First stop request — SIGINT, SIGTERM, SIGHUP, or the end of the process that started the harness
 * (npm killed, even with SIGKILL: parent.ts) — aborts the run gracefully: the scenario stops its
 * children and the CLI writes the partial records. A second SIGINT or SIGTERM kills every child at
 * once and exits 130, unless the records are being written, which finishes first. SIGHUP and the
 * parent's end never escalate: a closing terminal sends SIGHUP more than once, and nobody is left to
 * mean "quit at once". Installed before any work, so no signal meets Node's default.
 */
export function onInterrupt(notice: (line: string) => void): Interrupt {
  const controller = new AbortController();
  let writing = 0;
  let lastSigint = -Infinity;
  /** While the live page lingers after a run: ends the wait. Then 'over': the CLI is on its way out, with the run's exit code. */
  let phase: 'run' | { lingering: () => void; exitCode: number } | { over: number } = 'run';

  const request = (what: string, escalates: boolean) => {
    if (phase !== 'run' && 'lingering' in phase) {
      const { lingering, exitCode } = phase;
      phase = { over: exitCode };
      lingering();
      return;
    }
    if (phase === 'run' && !controller.signal.aborted) {
      notice(`${what}: stopping the run and writing partial records${escalates ? ' (again to quit at once)' : ''}`);
      controller.abort(what);
      return;
    }
    if (!escalates) return;
    killAllNow();
    if (writing > 0) {
      notice(`${what}: finishing the record being written, then quitting`);
      return;
    }
    process.exit(phase === 'run' ? 130 : phase.over);
  };
  const onSignal = (name: NodeJS.Signals) => {
    if (name === 'SIGINT') {
      const now = performance.now();
      if (now - lastSigint < KEY_PRESS_COPY_MS && keyPressReachesParentToo()) return;
      lastSigint = now;
    }
    request(name, name !== 'SIGHUP');
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  const unwatch = whenParentGoes((parent) =>
    request(`the process that started the harness (PID ${parent}) ended`, false),
  );
  return {
    signal: controller.signal,
    async critical(work) {
      writing++;
      try {
        return await work();
      } finally {
        writing--;
      }
    },
    untilStopped(exitCode) {
      return new Promise<void>((resolve) => (phase = { lingering: resolve, exitCode }));
    },
    dispose() {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
      unwatch();
    },
  };
}

/**
 * After the terminal closes (SIGHUP), every write to it fails with EIO, and an unhandled stream error
 * would crash the harness in the middle of its cleanup: output with nowhere to go is dropped instead.
 */
export function dropOutputOnceClosed(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

function signalGroup(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    // The group is gone (or was never formed): fall back to the leader alone.
    try {
      process.kill(child.pid, name);
    } catch {
      /* already exited */
    }
  }
}

/** Synchronous last resort, for `process.on('exit')`, where nothing asynchronous runs. */
function killAllNow(): void {
  for (const p of live) {
    signalGroup(p.child, 'SIGCONT');
    signalGroup(p.child, 'SIGKILL');
  }
}

let exitHandlerInstalled = false;
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', killAllNow);
}
