// The sql-pool scenario's parameters: the experiments' method (sql-pool-experiments.md §3) as
// defaults, each one a flag.
import { usageError } from '../../harness/errors.ts';
import type { Flag, FlagValues } from '../../harness/scenario.ts';
import { SqlFault, SqlOrdering } from '../../harness/record/schema.ts';
import type { PoolOptions } from './repetition.ts';

export interface SqlPoolOptions {
  faults: SqlFault[];
  orderings: SqlOrdering[];
  repetitions: number;
  pauseMs: number;
  firstWatchdogMs: number;
  followUpWatchdogMs: number;
  pool: PoolOptions;
  idleSessionTimeoutMs: number;
  /** The long-pause trial (kernel blackhole, query 1 s after resume); null when not asked for. */
  longPauseMs: number | null;
  longPauseRepetitions: number;
  databaseUrl: string | null;
  pgPort: number | null;
}

/** Every fault the default run covers; kernel-blackhole needs root and iptables, so it is asked for. */
export const DEFAULT_FAULTS: SqlFault[] = ['terminate', 'idle-timeout', 'rst', 'fin', 'lazy-rst', 'blackhole', 'cold-start'];

export const DEFAULTS = {
  repetitions: 3,
  pauseMs: 2000,
  firstWatchdogMs: 20_000,
  followUpWatchdogMs: 10_000,
  poolMax: 4,
  idleSessionTimeoutMs: 2000,
  longPauseMs: 90_000,
  longPauseRepetitions: 1,
} as const;

export const FLAGS: Record<string, Flag> = {
  faults: {
    type: 'string',
    placeholder: 'list',
    help: `comma-separated faults (default ${DEFAULT_FAULTS.join(',')}; also kernel-blackhole)`,
  },
  orderings: { type: 'string', placeholder: 'list', help: 'first operation: after (1 s after resume), timer (armed before the pause) (default both)' },
  repetitions: { type: 'string', placeholder: 'n', help: `repetitions per trial and build (default ${DEFAULTS.repetitions})` },
  'pause-ms': { type: 'string', placeholder: 'ms', help: `how long the worker stays frozen (default ${DEFAULTS.pauseMs})` },
  'first-watchdog-ms': { type: 'string', placeholder: 'ms', help: `a first operation with no answer by then hangs (default ${DEFAULTS.firstWatchdogMs})` },
  'follow-up-watchdog-ms': { type: 'string', placeholder: 'ms', help: `the same for each follow-up (default ${DEFAULTS.followUpWatchdogMs})` },
  'pool-max': { type: 'string', placeholder: 'n', help: `Bun.SQL max (default ${DEFAULTS.poolMax})` },
  'idle-timeout': { type: 'string', placeholder: 's', help: "Bun.SQL idleTimeout in seconds (default: Bun's)" },
  'max-lifetime': { type: 'string', placeholder: 's', help: "Bun.SQL maxLifetime in seconds (default: Bun's)" },
  'connection-timeout': { type: 'string', placeholder: 's', help: "Bun.SQL connectionTimeout in seconds (default: Bun's)" },
  'idle-session-timeout-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `server idle_session_timeout for the idle-timeout fault (default ${DEFAULTS.idleSessionTimeoutMs}; that pause is twice this)`,
  },
  'kernel-blackhole': { type: 'boolean', help: 'add the kernel-level blackhole (root + iptables; recorded as skipped where impossible)' },
  'long-pause': {
    type: 'boolean',
    help: `add the long-pause trial: kernel blackhole, ${DEFAULTS.longPauseMs / 1000} s pause, where TCP keepalive can act`,
  },
  'long-pause-ms': { type: 'string', placeholder: 'ms', help: `pause of the long-pause trial (default ${DEFAULTS.longPauseMs})` },
  'long-pause-repetitions': {
    type: 'string',
    placeholder: 'n',
    help: `repetitions of the long-pause trial (default ${DEFAULTS.longPauseRepetitions})`,
  },
  'database-url': { type: 'string', placeholder: 'url', help: 'use this PostgreSQL (superuser) instead of an embedded one; also $DATABASE_URL' },
  'pg-port': { type: 'string', placeholder: 'port', help: 'port of the embedded PostgreSQL (default: a free one)' },
};

export function parseOptions(values: FlagValues, env: NodeJS.ProcessEnv = process.env): SqlPoolOptions {
  const faults = list(values, 'faults', SqlFault.options, DEFAULT_FAULTS);
  if (values['kernel-blackhole'] === true && !faults.includes('kernel-blackhole')) faults.push('kernel-blackhole');
  const longPause = values['long-pause'] === true || values['long-pause-ms'] !== undefined;
  return {
    faults,
    orderings: list(values, 'orderings', SqlOrdering.options, [...SqlOrdering.options]),
    repetitions: number(values, 'repetitions', DEFAULTS.repetitions, { integer: true, min: 1 }),
    pauseMs: number(values, 'pause-ms', DEFAULTS.pauseMs, { integer: true, min: 0 }),
    firstWatchdogMs: number(values, 'first-watchdog-ms', DEFAULTS.firstWatchdogMs, { integer: true, min: 1 }),
    followUpWatchdogMs: number(values, 'follow-up-watchdog-ms', DEFAULTS.followUpWatchdogMs, { integer: true, min: 1 }),
    pool: {
      max: number(values, 'pool-max', DEFAULTS.poolMax, { integer: true, min: 1 }),
      idleTimeout: optionalNumber(values, 'idle-timeout'),
      maxLifetime: optionalNumber(values, 'max-lifetime'),
      connectionTimeout: optionalNumber(values, 'connection-timeout'),
    },
    idleSessionTimeoutMs: number(values, 'idle-session-timeout-ms', DEFAULTS.idleSessionTimeoutMs, { integer: true, min: 1 }),
    longPauseMs: longPause ? number(values, 'long-pause-ms', DEFAULTS.longPauseMs, { integer: true, min: 0 }) : null,
    longPauseRepetitions: number(values, 'long-pause-repetitions', DEFAULTS.longPauseRepetitions, { integer: true, min: 1 }),
    databaseUrl: (values['database-url'] as string | undefined) ?? (env.DATABASE_URL || null),
    pgPort: values['pg-port'] === undefined ? null : number(values, 'pg-port', 0, { integer: true, min: 1, max: 65535 }),
  };
}

function list<T extends string>(values: FlagValues, flag: string, known: readonly T[], fallback: T[]): T[] {
  const text = values[flag] as string | undefined;
  if (text === undefined) return [...fallback];
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = items.find((i) => !known.includes(i as T));
  if (unknown !== undefined || items.length === 0) {
    throw usageError(`--${flag} ${text}: expected a comma-separated list of ${known.join(', ')}`);
  }
  return [...new Set(items as T[])];
}

function number(values: FlagValues, flag: string, fallback: number, rule: { integer: boolean; min: number; max?: number }): number {
  const text = values[flag] as string | undefined;
  if (text === undefined) return fallback;
  const n = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(n) && n >= rule.min && n <= (rule.max ?? Infinity) && (!rule.integer || Number.isInteger(n));
  if (!ok) {
    const range = rule.max === undefined ? `≥ ${rule.min}` : `between ${rule.min} and ${rule.max}`;
    throw usageError(`--${flag} ${text}: expected ${rule.integer ? 'an integer' : 'a number'} ${range}`);
  }
  return n;
}

function optionalNumber(values: FlagValues, flag: string): number | null {
  return values[flag] === undefined ? null : number(values, flag, 0, { integer: false, min: 0 });
}
