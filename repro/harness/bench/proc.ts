// What a process left running, read from /proc (Linux): for the soak bench and the tests that check
// that no child outlives the harness. A process is its PID *and* its start time, so that a PID the
// kernel has handed to someone else since is never taken for a survivor.
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
}

export function readStat(pid: number): Stat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so starttime (field 22) is fields[19].
    return { state: fields[0]!, ppid: Number(fields[1]), start: Number(fields[19]) };
  } catch {
    return null;
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
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
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
