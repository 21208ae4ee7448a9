// Runs the real CLI (`node repro/harness/cli.ts`) as a reader would, for black-box tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fromRoot } from '../../../repro/harness/paths.ts';

/** The pinned Node 24 that `npm run repro` uses. */
export const NODE = fromRoot('node_modules', '.bin', 'node');
export const CLI = fromRoot('repro', 'harness', 'cli.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[]): { child: ChildProcess; result: Promise<CliResult>; stdout: () => string } {
  // The tester's own S3 credentials must not leak into runs that test their absence.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS|S3)_/.test(k)));
  const child = spawn(NODE, [CLI, ...args], { cwd: fromRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, result, stdout: () => stdout };
}

export function runCli(args: string[]): Promise<CliResult> {
  return startCli(args).result;
}

/** PIDs of the running (non-zombie) processes whose parent is `ppid`. */
export function childrenOf(ppid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readStat(pid);
    return stat !== null && stat.ppid === ppid && stat.state !== 'Z';
  });
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** PIDs of live processes whose command line contains every one of `parts`. */
export function pidsWithCommandLine(...parts: string[]): number[] {
  return allPids().filter((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return parts.every((p) => cmdline.includes(p)) && isAlive(pid);
    } catch {
      return false;
    }
  });
}

function allPids(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

function readStat(pid: number): { ppid: number; state: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}
