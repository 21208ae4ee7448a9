// Network namespaces of harness runs, named `casebook-<purpose>-<pid>` (the SQL scenario's kernel
// blackhole). A run deletes its own; one killed before it could leaves it, and the next run, of any
// scenario, deletes it (sweep.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isProcessAlive } from './lines.ts';

const run = promisify(execFile);
const RUN_NAMESPACE = /^casebook-[a-z0-9]+-(\d+)$/;

/** Deletes the namespaces of harness runs that no longer exist; returns their names. Only root makes them, and only root can delete them. */
export async function sweepStaleNamespaces(): Promise<string[]> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return [];
  const { stdout } = await run('ip', ['netns', 'list']).catch(() => ({ stdout: '' }));
  const stale = stdout
    .split('\n')
    .map((line) => line.split(/\s/)[0]!)
    .filter((name) => {
      const pid = Number(RUN_NAMESPACE.exec(name)?.[1]);
      return Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid);
    });
  const deleted: string[] = [];
  for (const name of stale) {
    if (
      await run('ip', ['netns', 'del', name]).then(
        () => true,
        () => false,
      )
    )
      deleted.push(name);
  }
  return deleted;
}
