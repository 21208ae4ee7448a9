// The kernel-level blackhole: the faithful model of lost NAT/conntrack state. The worker runs in a
// network namespace the harness creates (its own loopback), reaching PostgreSQL through a relay in
// that namespace; the fault is `iptables -j DROP` of the flows that exist at that moment. Unlike
// the user-space blackhole, nothing ACKs Bun's packets any more: the kernel retransmits and TCP
// keepalive probes go unanswered, as on a real network.
//
// Needs root, `ip` and `iptables`, and the embedded PostgreSQL (its Unix socket). Otherwise the
// trials are recorded as skipped, with the reason.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fromRoot } from '../../harness/paths.ts';
import { forEachLine, hermeticEnv, spawnTracked } from '../../harness/processes.ts';
import type { Postgres } from '../../harness/services/postgres.ts';
import type { NetworkPath } from './network.ts';
import { parseRelayLine } from './protocol.ts';
import type { EventLog } from './repetition.ts';

const run = promisify(execFile);
// The harness deletes it at the end of the run, or sweeps it when the run was killed (namespaces.ts).
const NAMESPACE_PREFIX = 'casebook-sqlpool-';
const RELAY = fromRoot('repro', 'scenarios', 'sql-pool', 'netns-relay.ts');

export type KernelNetwork =
  | { available: true; namespace: string; openPath(log: EventLog): Promise<NetworkPath>; close(): Promise<void> }
  | { available: false; reason: string };

export async function openKernelNetwork(postgres: Postgres): Promise<KernelNetwork> {
  const reason = await unavailableBecause(postgres);
  if (reason) return { available: false, reason };
  const namespace = `${NAMESPACE_PREFIX}${process.pid}`;
  try {
    await run('ip', ['netns', 'add', namespace]);
    await inNamespace(namespace, ['ip', 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await run('ip', ['netns', 'del', namespace]).catch(() => {});
    return { available: false, reason: `cannot create a network namespace: ${firstLine(error)}` };
  }
  return {
    available: true,
    namespace,
    openPath: (log) => openPath(namespace, `${postgres.socketDir}/.s.PGSQL.${postgres.port}`, log),
    close: async () => {
      await run('ip', ['netns', 'del', namespace]).catch(() => {});
    },
  };
}

async function unavailableBecause(postgres: Postgres): Promise<string | null> {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root (network namespace and iptables)';
  if (!postgres.socketDir) return 'needs the embedded PostgreSQL (reached through its Unix socket), not --database-url';
  for (const [tool, hint] of [
    ['ip', 'iproute2'],
    ['iptables', 'apt-get install iptables'],
  ]) {
    try {
      await run(tool!, ['-V']);
    } catch {
      return `${tool} not found (${hint})`;
    }
  }
  return null;
}

async function openPath(namespace: string, socketPath: string, log: EventLog): Promise<NetworkPath> {
  const relay = await spawnTracked('ip', ['netns', 'exec', namespace, process.execPath, RELAY, socketPath], {
    env: hermeticEnv({}),
  });
  const open = new Set<number>();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${relay.stderrTail().trim()}`)), 10_000);
    forEachLine(relay.child.stdout!, (text) => {
      const m = parseRelayLine(text);
      if (m === null) return;
      if ('port' in m) {
        clearTimeout(timer);
        resolve(m.port);
      } else if ('accept' in m) {
        open.add(m.accept);
        log.add('proxy', 'accept', { clientPort: m.accept });
      } else {
        open.delete(m.close);
        log.add('proxy', 'close', { clientPort: m.close });
      }
    });
  });
  return {
    host: '127.0.0.1',
    port,
    wrap: (command, args) => ['ip', ['netns', 'exec', namespace, command, ...args]],
    async breakFlows() {
      // Both directions of each existing flow, named by Bun's port; new flows get new ports and pass.
      const ports = [...open];
      for (const p of ports) {
        for (const side of ['--sport', '--dport']) {
          await inNamespace(namespace, ['iptables', '-A', 'INPUT', '-p', 'tcp', side, String(p), '-j', 'DROP']);
        }
      }
      log.add('proxy', 'iptables-drop', { ports });
      return ports.length;
    },
    async inspect() {
      // The DROP rules' own packet counters: proof that Bun's packets met the blackhole.
      const { stdout } = await inNamespace(namespace, ['iptables', '-L', 'INPUT', '-v', '-n', '-x']);
      log.add('proxy', 'iptables-counters', dropCounters(stdout));
    },
    async close() {
      await relay.stop(1000);
      await inNamespace(namespace, ['iptables', '-F', 'INPUT']).catch(() => {});
    },
  };
}

/** Sums the packet counters of the DROP rules in `iptables -L INPUT -v -n -x` output. */
function dropCounters(listing: string): { rules: number; packets: number } {
  const rules = listing
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[2] === 'DROP');
  return { rules: rules.length, packets: rules.reduce((sum, f) => sum + Number(f[0]), 0) };
}

function inNamespace(namespace: string, argv: string[]) {
  return run('ip', ['netns', 'exec', namespace, ...argv]);
}

function firstLine(error: unknown): string {
  return String((error as { stderr?: string }).stderr || (error as Error).message)
    .split('\n')[0]!
    .trim();
}
