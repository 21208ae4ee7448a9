// Runs the real CLI (`node repro/harness/cli.ts`) as a reader would, for black-box tests, and reads
// what it leaves behind from /proc and the file system: descendants by PID (and start time, so a
// reused PID is not mistaken for a survivor), temporary folders by the PID they carry, records.
//
// REPRO_TEST_CLI=/path/to/cli.ts runs the same tests against another copy of the harness (e.g. an
// older commit unpacked with `git archive`), to check that a test fails against the old behaviour.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { allPids, cmdlineOf, isAlive, readStat, type Proc } from '../../../repro/harness/proc.ts';
import { RunRecord } from '../../../repro/core/record/schema.ts';

/** The pinned Node 24 that `npm run repro` uses. */
export const NODE = fromRoot('node_modules', '.bin', 'node');
export const CLI = process.env.REPRO_TEST_CLI ?? fromRoot('repro', 'harness', 'cli.ts');
/** The copy of the project CLI belongs to (two folders above repro/harness/cli.ts), for its other entry points. */
const CLI_ROOT = path.resolve(path.dirname(CLI), '..', '..');
/** The pinned builds, as paths: one build per run where a test needs only one. */
export const BUN_ZIG = fromRoot('node_modules', 'bun-zig', 'bin', 'bun.exe');
export const BUN_RUST = fromRoot('node_modules', 'bun-rust', 'bin', 'bun.exe');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to (or, when undefined, removed from) the environment. */
  env?: Record<string, string | undefined>;
  /** TMPDIR of the CLI: where its temporary folders go and what its sweep looks at. */
  tmpdir?: string;
  /** Working folder of the CLI (default: the project root, as `npm run repro`). */
  cwd?: string;
  /** Another entry point of the same copy (e.g. repro/harness/matrix.ts), relative to CLI_ROOT. */
  entry?: string;
}

export interface RunningCli {
  child: ChildProcess;
  pid: number;
  result: Promise<CliResult>;
  stdout: () => string;
  stderr: () => string;
}

/** Inputs a tester's shell may carry that would change what a run does. */
const OUTSIDE_INPUTS = /^(AWS_|S3_|DATABASE_URL$|PG[A-Z]+$)/;

function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !OUTSIDE_INPUTS.test(k)),
  );
  if (options.tmpdir) env.TMPDIR = options.tmpdir;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function started(command: string, args: string[], options: CliOptions): RunningCli {
  const child = spawn(command, args, {
    cwd: options.cwd ?? fromRoot(),
    env: cliEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, pid: child.pid!, result, stdout: () => stdout, stderr: () => stderr };
}

export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  return started(NODE, [options.entry ? path.join(CLI_ROOT, options.entry) : CLI, ...args], options);
}

/**
 * `npm run <script> -- args` from the project root, as a reader types it: `pid` is npm's, the harness
 * runs below it. `result` settles when npm has exited and its output has closed, that is when
 * everything that inherited the output (the harness too, even orphaned) has exited.
 */
export function startNpm(script: 'repro' | 'matrix', args: string[], options: CliOptions = {}): RunningCli {
  return started('npm', ['run', script, '--', ...args], options);
}

/**
 * `command` in a terminal of its own (a pseudo-terminal, through util-linux `script`), as a reader
 * runs it: `type` sends keys (Ctrl-C is "\x03"); killing the `script` process (`pid`) closes the
 * terminal, as closing its window does.
 */
export function startInTerminal(command: string, options: CliOptions = {}): RunningCli & { type(keys: string): void } {
  // `script` runs the command with $SHELL -c, and whether that shell stays in between depends on it:
  // bash execs a lone command, dash does not, and a dash left waiting dies of the Ctrl-C itself (exit
  // 130 whatever npm said). With SHELL unset, as in CI, script takes /bin/sh: dash. `exec` leaves npm
  // alone in the terminal's foreground job either way, as when a reader's interactive shell starts it.
  const child = spawn('script', ['-qfec', `exec ${command}`, '/dev/null'], {
    cwd: options.cwd ?? fromRoot(),
    env: { ...cliEnv(options), SHELL: '/bin/sh' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stdout += d));
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: '' })),
  );
  return {
    child,
    pid: child.pid!,
    result,
    stdout: () => stdout,
    stderr: () => '',
    type: (keys) => child.stdin!.write(keys),
  };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/**
 * A fresh folder for one test's TMPDIR, readable by others: as root, the embedded PostgreSQL runs as
 * the postgres user and must reach its data folder inside it.
 */
export function privateTmp(label = 'tmp'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `repro-test-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDirs(dirs: string[]): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The harness's temporary folders (`casebook-<pid>-…`) of this PID in `root`. */
export function casebookTempDirs(pid: number, root = os.tmpdir()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((name) => name.startsWith(`casebook-${pid}-`));
}

/** Every run record (*.json) in `dir`, parsed with the schema (throws on an invalid one). */
export function recordsIn(dir: string): { file: string; record: RunRecord }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, record: RunRecord.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))) }));
}

/** Polls `condition` every 25 ms; throws with `what` if it has not held after `limitMs` (a bound, not a measurement). */
export async function waitFor(what: string, condition: () => boolean, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ---------------------------------------------------------------- processes, from /proc

export { descendants, isAlive, type Proc } from '../../../repro/harness/proc.ts';

/** PIDs of the running (non-zombie) processes whose parent is `ppid`. */
export function childrenOf(ppid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== null && stat.ppid === ppid && stat.state !== 'Z';
  });
}

/**
 * Collects every descendant of `root` it sees, every 50 ms, until stopped: short-lived children too.
 *
 * Each process is read once, when first met, not on every pass: a pass that read all of /proc took
 * about 11 ms, a fifth of a core for as long as a run was watched. Whether a process descends from
 * `root` is settled when it is met, since its parent is older and met first (or in the same pass),
 * and a process never becomes a descendant later: reparenting only moves it to init or a subreaper.
 */
export function watchDescendants(root: number): { seen: Map<number, Proc>; stop(): void } {
  const seen = new Map<number, Proc>();
  /** Every process met so far (PID): whether it descends from `root`. */
  const descends = new Map<number, boolean>([[root, true]]);
  const look = () => {
    const met = new Map<number, { ppid: number; start: number }>();
    for (const pid of allPids()) {
      if (descends.has(pid)) continue;
      const stat = readStat(pid);
      // A zombie or a process gone already is not settled: if it is still there, the next pass reads it again.
      if (stat && stat.state !== 'Z') met.set(pid, stat);
    }
    const settle = (pid: number): boolean => {
      const known = descends.get(pid);
      if (known !== undefined) return known;
      const stat = met.get(pid);
      if (!stat) return false;
      descends.set(pid, false);
      const descendant = stat.ppid > 1 && settle(stat.ppid);
      descends.set(pid, descendant);
      if (descendant) seen.set(pid, { pid, start: stat.start, cmdline: cmdlineOf(pid) });
      return descendant;
    };
    for (const pid of met.keys()) settle(pid);
  };
  look();
  const timer = setInterval(look, 50);
  return { seen, stop: () => clearInterval(timer) };
}

/** PIDs of live processes whose command line contains every one of `parts`. */
export function pidsWithCommandLine(...parts: string[]): number[] {
  return allPids().filter((pid) => {
    const cmdline = cmdlineOf(pid);
    return cmdline !== '' && parts.every((p) => cmdline.includes(p)) && isAlive(pid);
  });
}

/** Paths the process has open (its /proc/PID/fd links); empty once it is gone. */
export function openFiles(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** Whether something accepts a TCP connection on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
