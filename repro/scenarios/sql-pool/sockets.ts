// What the kernel says of the pool's connections, read from outside the worker: /proc/<pid>/fd names
// each open socket by inode, and /proc/<pid>/net/tcp (the worker's own network namespace) gives each
// TCP socket's state and pending timer. A keepalive timer armed on an idle connection is SO_KEEPALIVE
// at work; a connection missing from the table at the end of a pause was closed by the kernel while
// the process was frozen (a keepalive that went unanswered). The worker's own getsockopt readings
// (worker.ts, `S`) are joined to these by inode.
import { readdir, readlink, readFile } from 'node:fs/promises';
import type { PoolSocket, SocketOptions, TcpView } from '../../core/record/schema.ts';

/** The states of include/net/tcp_states.h, by the hex number /proc/net/tcp prints. */
const STATES = [
  '',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait1',
  'fin-wait2',
  'time-wait',
  'close',
  'close-wait',
  'last-ack',
  'listen',
  'closing',
] as const;
/** The `tr` column: which timer is pending (net/ipv4/tcp_ipv4.c, get_tcp4_sock). */
const TIMERS = ['none', 'retransmit', 'keepalive', 'time-wait', 'probe'] as const;
/** /proc/net/tcp prints timer expiry in clock ticks (USER_HZ, 100 on Linux): 10 ms each. */
const MS_PER_TICK = 10;

export interface TcpEntry extends TcpView {
  inode: number;
  localPort: number;
  remotePort: number;
}

/** Parses /proc/net/tcp or tcp6 text; lines it cannot read are skipped. */
export function parseTcpTable(text: string): TcpEntry[] {
  return text
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) return [];
      const port = (address: string) => Number.parseInt(address.split(':')[1] ?? '', 16);
      const [timer, when] = f[5]!.split(':');
      const state = STATES[Number.parseInt(f[3]!, 16)];
      const timerName = TIMERS[Number.parseInt(timer ?? '', 16)];
      const inode = Number(f[9]);
      if (!state || !timerName || !Number.isInteger(inode)) return [];
      return [
        {
          inode,
          localPort: port(f[1]!),
          remotePort: port(f[2]!),
          state,
          timer: timerName,
          timerMs: timerName === 'none' ? null : Number.parseInt(when ?? '0', 16) * MS_PER_TICK,
        },
      ];
    });
}

/** The TCP sockets the process holds open towards `remotePort`: the pool's connections. */
export async function tcpSocketsOf(pid: number, remotePort: number): Promise<TcpEntry[]> {
  const held = await socketInodesOf(pid);
  const tables = await Promise.all(
    ['tcp', 'tcp6'].map((t) => readFile(`/proc/${pid}/net/${t}`, 'utf8').catch(() => '')),
  );
  return tables.flatMap(parseTcpTable).filter((e) => held.has(e.inode) && e.remotePort === remotePort);
}

/** Inodes of the sockets among a process's open file descriptors. */
async function socketInodesOf(pid: number): Promise<Set<number>> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return new Set(links.flatMap((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1] ?? []).map(Number));
}

/** The kernel's view after the pause of a socket seen at the freeze: gone when no longer in the table. */
const GONE: TcpView = { state: 'gone', timer: 'none', timerMs: null };

/**
 * The pool's connections as recorded: the freeze's reading, each one's reading again just before the
 * resume (null when not read), and the options the worker read of the same socket (by inode).
 */
export function poolSockets(
  atFreeze: readonly TcpEntry[],
  beforeResume: readonly TcpEntry[] | null,
  options: ReadonlyMap<number, SocketOptions>,
): PoolSocket[] {
  return atFreeze.map(({ inode, localPort, remotePort: _, ...view }) => {
    const later = beforeResume?.find((e) => e.inode === inode);
    const { state, timer, timerMs } = later ?? GONE;
    return {
      inode,
      localPort,
      options: options.get(inode) ?? null,
      atFreeze: view,
      beforeResume: beforeResume === null ? null : { state, timer, timerMs },
    };
  });
}
