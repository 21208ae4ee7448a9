// The kernel-level blackhole: placeholder until the network-namespace path lands.
import type { Postgres } from '../../harness/services/postgres.ts';
import type { NetworkPath } from './network.ts';
import type { EventLog } from './repetition.ts';

export type KernelNetwork =
  | { available: true; openPath(log: EventLog): Promise<NetworkPath>; close(): Promise<void> }
  | { available: false; reason: string };

export async function openKernelNetwork(_postgres: Postgres): Promise<KernelNetwork> {
  return { available: false, reason: 'not implemented yet' };
}
