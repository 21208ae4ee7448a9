// What runs killed outright (SIGKILL, the OOM killer) left behind, removed at the start of the next
// run of any scenario, each kind said in one line: their temporary folders (temp.ts), the shared
// memory of the embedded PostgreSQL that died with them (services/postgres-leftovers.ts), and their
// network namespaces (namespaces.ts). Only what provably belonged to a run that no longer exists.
import { sweepStaleNamespaces } from './namespaces.ts';
import { releaseSharedMemoryOf } from './services/postgres-leftovers.ts';
import { sweepStaleTempDirs } from './temp.ts';

export async function sweepKilledRuns(): Promise<string[]> {
  const segments: string[] = [];
  // A folder's postmaster.pid names its server's segment: read before the folder goes.
  const folders = await sweepStaleTempDirs(undefined, (dir) => {
    const released = releaseSharedMemoryOf(dir);
    if (released) segments.push(released);
  });
  const namespaces = await sweepStaleNamespaces();
  const said = (items: string[], what: string) =>
    items.length > 0 ? [`removed ${items.length} ${what} of killed runs: ${items.join(', ')}`] : [];
  return [
    ...said(folders, 'temporary folder(s)'),
    ...said(segments, 'PostgreSQL shared memory segment(s)'),
    ...said(namespaces, 'network namespace(s)'),
  ];
}
