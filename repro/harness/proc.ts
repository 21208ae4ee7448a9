// Processes as /proc (Linux) shows them: what a process left running, for the soak bench and the
// tests that check that no child outlives the harness; and a process's parent and terminal, for the
// harness's own watch on whoever started it (parent.ts, processes.ts). A process is its PID *and*
// its start time, so that a PID the kernel has handed to someone else since is never taken for a survivor.
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  /** Start time in clock ticks since boot. */
  start: number;
  cmdline: string;
}

interface Stat {
  ppid: number;
  state: string;
  start: number;
  /** Process group. */
  pgrp: number;
  /** The controlling terminal's device number; 0 for none. */
  ttyNr: number;
  /** The foreground process group of that terminal; -1 for none. */
  tpgid: number;
}

export function readStat(pid: number): Stat | null {
  try {
    return readStatOrThrow(pid);
  } catch {
    return null;
  }
}

/**
 * As readStat, but only a process that is gone is null: any other failure to read (EMFILE when the
 * process has every descriptor open, say) is thrown, so a caller can tell "gone" from "not known now".
 */
export function readStatOrThrow(pid: number): Stat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, pgrp 5, tty_nr 7, tpgid 8, starttime 22.
    return {
      state: fields[0]!,
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      ttyNr: Number(fields[4]),
      tpgid: Number(fields[5]),
      start: Number(fields[19]),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** Every live (non-zombie) process whose parent chain leads to `root`. */
export function descendants(root: number): Proc[] {
  const parent = new Map<number, number>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat && stat.state !== 'Z') parent.set(pid, stat.ppid);
  }
  const found: Proc[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p !== root) continue;
      const stat = readStat(pid);
      if (stat) found.push({ pid, start: stat.start, cmdline: cmdlineOf(pid) });
      break;
    }
  }
  return found;
}

/** True while the process exists and is not a zombie; with a Proc, only if it is still the same process. */
export function isAlive(process: number | Proc): boolean {
  const pid = typeof process === 'number' ? process : process.pid;
  const stat = readStat(pid);
  if (stat === null || stat.state === 'Z') return false;
  return typeof process === 'number' || stat.start === process.start;
}
