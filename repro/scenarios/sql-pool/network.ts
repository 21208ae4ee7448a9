// The path from the Bun worker to PostgreSQL for one repetition. The default is the harness's own
// fault proxy on 127.0.0.1; kernel-blackhole.ts provides a path whose flows the kernel can drop.
import type { Postgres } from '../../harness/services/postgres.ts';
import { startFaultProxy, type ProxyEvent } from '../../harness/services/fault-proxy.ts';
import type { ProxyFaultName } from '../../harness/services/proxy-faults.ts';

export interface NetworkPath {
  /** Where the worker connects. */
  host: string;
  port: number;
  /** Wraps the worker's command line (e.g. to run it inside a network namespace). */
  wrap(command: string, args: string[]): [string, string[]];
  /** Breaks every flow that exists now; returns how many. */
  breakFlows(action: ProxyFaultName): Promise<number>;
  /** Logs what the path itself measured of the fault (e.g. the kernel's drop counters), before close. */
  inspect(): Promise<void>;
  close(): Promise<void>;
}

/** The fault proxy as the path; `noDelay: false` only for tests that show a check failing. */
export async function proxyPath(
  postgres: Postgres,
  onEvent: (e: ProxyEvent) => void,
  options: { noDelay?: boolean } = {},
): Promise<NetworkPath> {
  const proxy = await startFaultProxy({
    upstreamHost: postgres.host,
    upstreamPort: postgres.port,
    onEvent,
    noDelay: options.noDelay,
  });
  return {
    host: proxy.host,
    port: proxy.port,
    wrap: (command, args) => [command, args],
    breakFlows: async (action) => proxy.apply(action),
    // The proxy reports as it goes (ProxyEvent); nothing is left to read.
    inspect: async () => {},
    close: () => proxy.close(),
  };
}
