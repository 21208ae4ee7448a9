// Lets a long-running script end with whoever started it: `npm start`'s server and build, and the
// harness (`npm run repro`, `npm run matrix`). npm runs a script as `sh -c "…"` (the scripts in
// package.json `exec` node, so npm's SIGINT and SIGTERM reach it), but nothing passes on a SIGKILL
// or a SIGHUP sent to npm alone: node, or a shell between, is reparented and would run on forever.
// Linux has no parent-death signal for Node, so this polls /proc: a process whose parent changed has lost it.
//
// The harness's script lines also name npm (`CASEBOOK_PARENT_PID=$PPID exec node …`), and the matrix
// names itself to its runs: Node takes about a second to load the harness before the watch can
// start, and a parent killed within that second is gone before there is anything to compare with.
import { readFileSync } from 'node:fs';
import { readStat, readStatOrThrow } from './proc.ts';

/** The parent PID, or undefined once the process is gone (a zombie is gone too). */
function parentOf(pid: number): number | undefined {
  const stat = readStat(pid);
  return stat === null || stat.state === 'Z' ? undefined : stat.ppid;
}

/** As parentOf, but a /proc read that fails for any reason but the process being gone throws. */
function watchedParentOf(pid: number): number | undefined {
  const stat = readStatOrThrow(pid);
  return stat === null || stat.state === 'Z' ? undefined : stat.ppid;
}

/** Whether pid is a `sh -c …` (or bash, dash) wrapper, which only relays for its own parent. */
function isShellWrapper(pid: number): boolean {
  try {
    const [argv0 = '', flag] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /(^|\/)(sh|bash|dash)$/.test(argv0) && flag === '-c';
  } catch {
    return false;
  }
}

interface Link {
  child: number;
  parent: number;
}

/**
 * The links to watch: this process to its parent, and on through `sh -c` wrappers to the process
 * that really started it (npm). A parent that is already init (ppid 1) is no parent to lose.
 */
function ancestry(pid = process.pid): Link[] {
  const links: Link[] = [];
  let child = pid;
  let parent = parentOf(child);
  while (parent !== undefined && parent > 1) {
    links.push({ child, parent });
    if (!isShellWrapper(parent)) break;
    child = parent;
    parent = parentOf(child);
  }
  return links;
}

/**
 * The parent named in CASEBOOK_PARENT_PID when it is no longer this process's parent: it went before
 * the watch started. A process of that PID that started before this one and is not its parent is
 * something else (the variable exported in a shell, say): then null, as when nothing is named.
 */
function namedParentGone(): number | null {
  const named = Number(process.env.CASEBOOK_PARENT_PID);
  const self = readStat(process.pid);
  if (!Number.isInteger(named) || named <= 1 || !self || self.ppid === named) return null;
  const other = readStat(named);
  // Still running, and older than this process: not a PID the kernel has handed on since.
  if (other && other.state !== 'Z' && other.start <= self.start) return null;
  return named;
}

/**
 * Calls onGone once, as soon as any link of this process's ancestry breaks (or at the first look,
 * when the parent it was started by has already gone), with the PID of the parent that went (npm,
 * through any `sh -c` between).
 */
export function whenParentGoes(onGone: (parent: number) => void, everyMs = 200): () => void {
  const links = ancestry();
  const goneBefore = namedParentGone();
  const timer = setInterval(() => {
    let gone: number | null;
    try {
      gone =
        goneBefore ??
        (links.some(({ child, parent }) => watchedParentOf(child) !== parent) ? links.at(-1)!.parent : null);
    } catch {
      // /proc could not be read this time (every descriptor busy): unknown is not gone; look again.
      return;
    }
    if (gone === null) return;
    clearInterval(timer);
    onGone(gone);
  }, everyMs);
  // The watch alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
