// Temporary folders of a run (the embedded PostgreSQL's data, the embedded S3 store's), all under one
// recognisable prefix that carries the harness's PID: removed on every exit path (synchronously on
// `process.exit`, where nothing asynchronous runs), and swept at the start of the next run when a
// SIGKILL left one behind.
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive } from './lines.ts';

const TEMP_PREFIX = 'casebook-';
const live = new Set<string>();

/** A new folder `casebook-<pid>-<purpose>-XXXXXX` in the system's temp folder, removed at exit. */
export async function makeTempDir(purpose: string): Promise<string> {
  installExitHandler();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-${purpose}-`));
  live.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Last resort at exit: whatever is still registered goes. */
function removeAllTempDirsNow(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* nothing more can be done on the way out */
    }
  }
  live.clear();
}

/** The PID a temp folder of ours names, or null for someone else's folder. */
function ownerPid(name: string): number | null {
  const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Removes the folders of harness processes that no longer exist; returns their names. `first` sees
 * each folder before it goes (what it holds may name what else the dead run left: sweep.ts).
 */
export async function sweepStaleTempDirs(root = os.tmpdir(), first?: (dir: string) => void): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const pid = ownerPid(name);
    return pid !== null && pid !== process.pid && !isProcessAlive(pid);
  });
  for (const name of stale) {
    first?.(path.join(root, name));
    await rm(path.join(root, name), { recursive: true, force: true }).catch(() => {});
  }
  return stale;
}

let installed = false;
function installExitHandler() {
  if (installed) return;
  installed = true;
  process.on('exit', removeAllTempDirsNow);
}
