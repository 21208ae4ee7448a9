// What an embedded PostgreSQL killed together with its run leaves outside its temporary folder. Its
// main shared memory is anonymous and goes with its processes, and its dynamic shared memory lives in
// its data folder (dynamic_shared_memory_type = mmap, postgres.ts), but PostgreSQL also keeps a small
// System V segment as an interlock, which outlives a SIGKILL. The postmaster.pid it leaves in the data
// folder names that segment (key and id): the next run's sweep (sweep.ts) removes it, before the folder.
// No `pg` here: every scenario's run sweeps, and only the SQL bundle carries that package.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SharedMemorySegment {
  key: number;
  id: number;
  /** PID of the process that created it. */
  creator: number;
  /** How many processes have it attached. */
  attached: number;
  uid: number;
}

/** The System V shared memory segments, from /proc/sysvipc/shm (keys as unsigned numbers). */
export function sharedMemorySegments(): SharedMemorySegment[] {
  let text: string;
  try {
    text = readFileSync('/proc/sysvipc/shm', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((f) => f.length >= 8)
    .map(([key, id, , , creator, , attached, uid]) => ({
      key: key! >>> 0,
      id: id!,
      creator: creator!,
      attached: attached!,
      uid: uid!,
    }));
}

/**
 * Removes the System V segment of the dead embedded server whose data folder is `<dir>/data`: only
 * the one its postmaster.pid names — same key and id, created by that postmaster, owned by the owner
 * of that file — and only once nothing is attached to it (a running server always is). Another
 * cluster's segment is never one of those. Returns what it removed, or null.
 */
export function releaseSharedMemoryOf(dir: string): string | null {
  const dataDir = path.join(dir, 'data');
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  let owner: number;
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
    owner = statSync(pidFile).uid;
  } catch {
    return null;
  }
  // postmaster.pid: PID (negated while initdb's bootstrap server holds it), data folder, start time,
  // port, socket folder, address, "key id", status.
  const postmaster = Math.abs(Number(lines[0]));
  const [key, id] = (lines[6] ?? '').trim().split(/\s+/).map(Number);
  if (
    path.resolve(lines[1] ?? '') !== path.resolve(dataDir) ||
    !Number.isInteger(postmaster) ||
    !Number.isInteger(key) ||
    !Number.isInteger(id)
  )
    return null;
  const segment = sharedMemorySegments().find(
    (s) => s.id === id && s.key === key! >>> 0 && s.creator === postmaster && s.uid === owner,
  );
  if (!segment || segment.attached > 0) return null;
  return spawnSync('ipcrm', ['-m', String(id)]).status === 0 ? `key ${key} (postmaster PID ${postmaster})` : null;
}
