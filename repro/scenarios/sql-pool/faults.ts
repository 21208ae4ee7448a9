// The resume faults of the SQL scenario, one registered unit each: what it models, which role and
// warm-up the worker uses, how long the pause must be, and what the harness does while Bun is frozen.
import type { SqlFault } from '../../core/record/schema.ts';
import type { Postgres, RoleKey } from '../../harness/services/postgres.ts';
import type { ProxyFaultName } from '../../harness/services/proxy-faults.ts';

/** What a fault can act on while the worker is stopped. */
interface FaultContext {
  postgres: Postgres;
  /** The application_name of this repetition's worker sessions. */
  appName: string;
  /** Breaks the flows that exist now, at the proxy (or in the kernel for kernel-blackhole). */
  breakFlows(action: ProxyFaultName): Promise<number>;
}

export interface FaultSpec {
  name: SqlFault;
  models: string;
  role: RoleKey;
  /** `min`: the worker stops itself right after its first query, while the pool still handshakes. */
  warmup: 'full' | 'min';
  /** Whether Bun must reach PostgreSQL through a network path the kernel can blackhole. */
  network: 'proxy' | 'kernel';
  /**
   * Nothing ever reaches the resumed client (no FIN, RST or error): each operation after resume ends
   * at its watchdog, unless TCP keepalive found the path dead during a long pause. The live page's
   * time left counts these watchdogs in before such a trial starts.
   */
  silent: boolean;
  /** The pause this fault needs, given the scenario's pause and idle_session_timeout. */
  pauseMs(pauseMs: number, idleSessionTimeoutMs: number): number;
  /** Acts while the worker is stopped; returns what to log. */
  apply(ctx: FaultContext): Promise<Record<string, number>>;
  /**
   * Acts again at the end of the pause, just before SIGCONT (e.g. a session whose startup reached
   * the server after the fault was applied); returns what to log, or null when there is nothing to do.
   */
  beforeResume?(ctx: FaultContext): Promise<Record<string, number>>;
}

const samePause = (pauseMs: number) => pauseMs;

function proxyFault(name: SqlFault & ProxyFaultName, models: string, silent = false): FaultSpec {
  return {
    name,
    models,
    role: 'app',
    warmup: 'full',
    network: 'proxy',
    silent,
    pauseMs: samePause,
    apply: async (ctx) => ({ affected: await ctx.breakFlows(name) }),
  };
}

/** pg_terminate_backend on the worker's sessions; at the end of the pause again, for any that arrived late. */
const terminateSessions = async (ctx: FaultContext) => ({ terminated: await ctx.postgres.terminate(ctx.appName) });

const terminate: FaultSpec = {
  name: 'terminate',
  models:
    'the server or a pooler reaps the sessions (pg_terminate_backend): FATAL 57P01 and FIN are queued for the frozen process',
  role: 'app',
  warmup: 'full',
  network: 'proxy',
  silent: false,
  pauseMs: samePause,
  apply: terminateSessions,
  beforeResume: terminateSessions,
};

const idleTimeout: FaultSpec = {
  name: 'idle-timeout',
  models: "the server's idle reaper (idle_session_timeout shorter than the pause): FATAL 57P05 and FIN",
  role: 'idle',
  warmup: 'full',
  network: 'proxy',
  silent: false,
  // The server must have time to reap every idle session during the pause.
  pauseMs: (pauseMs, idle) => Math.max(pauseMs, 2 * idle),
  apply: async (ctx) => ({ sessionsLeft: await ctx.postgres.sessions(ctx.appName) }),
};

const coldStart: FaultSpec = {
  name: 'cold-start',
  models: 'an instance frozen right after cold start, connections still handshaking, then reaped (oven-sh/bun#30947)',
  role: 'trust',
  warmup: 'min',
  network: 'proxy',
  silent: false,
  pauseMs: samePause,
  apply: terminateSessions,
  // A connection the pool dialled just before the freeze can reach the server after the first sweep.
  beforeResume: terminateSessions,
};

const kernelBlackhole: FaultSpec = {
  name: 'kernel-blackhole',
  models:
    'conntrack/NAT state lost, with real TCP: iptables DROP of the existing flows, retransmission and keepalive as in production',
  role: 'app',
  warmup: 'full',
  network: 'kernel',
  silent: true,
  pauseMs: samePause,
  apply: async (ctx) => ({ dropped: await ctx.breakFlows('blackhole') }),
};

export const faults: Record<SqlFault, FaultSpec> = {
  terminate,
  'idle-timeout': idleTimeout,
  rst: proxyFault('rst', 'an RST that reaches the frozen process (proxy or host drops the flow loudly)'),
  fin: proxyFault('fin', 'a FIN that reaches the frozen process'),
  'lazy-rst': proxyFault(
    'lazy-rst',
    'a frozen VM: nothing arrives during the pause, the first packet after resume meets an RST',
  ),
  blackhole: proxyFault(
    'blackhole',
    'NAT/proxy state lost: packets vanish, no FIN or RST ever arrives (user-space proxy)',
    true,
  ),
  'cold-start': coldStart,
  'kernel-blackhole': kernelBlackhole,
};
