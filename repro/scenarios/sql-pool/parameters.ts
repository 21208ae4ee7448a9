// The sql-pool scenario's parameters: the experiments' method (sql-pool-experiments.md §3) as
// defaults, each one a flag.
import { usageError } from '../../core/errors.ts';
import { numberFlag, optionalNumberFlag } from '../../harness/flags.ts';
import type { Flag, FlagValues } from '../../harness/scenario.ts';
import { SqlFault, SqlOrdering } from '../../core/record/schema.ts';
import { AFTER_DELAY_MS, TIMER_BOUND_MS, TIMER_DELAY_MS, type PoolOptions, type Timing } from './repetition.ts';

export interface SqlPoolOptions {
  faults: SqlFault[];
  orderings: SqlOrdering[];
  /** Counted repetitions wanted per trial and build. */
  repetitions: number;
  /** Attempts per trial stop at this many times `repetitions` (attempts whose condition did not hold are retried). */
  maxAttemptsFactor: number;
  pauseMs: number;
  firstWatchdogMs: number;
  followUpWatchdogMs: number;
  pool: PoolOptions;
  timing: Timing;
  idleSessionTimeoutMs: number;
  /** The long-pause trial (kernel blackhole, query 1 s after resume); null when not asked for. */
  longPauseMs: number | null;
  longPauseRepetitions: number;
  databaseUrl: string | null;
  pgPort: number | null;
}

/** Every fault the default run covers; kernel-blackhole needs root and iptables, so it is asked for. */
const DEFAULT_FAULTS: SqlFault[] = ['terminate', 'idle-timeout', 'rst', 'fin', 'lazy-rst', 'blackhole', 'cold-start'];

const DEFAULTS = {
  repetitions: 5,
  maxAttemptsFactor: 3,
  pauseMs: 2000,
  // Healthy operations answer in milliseconds (a reconnect included); ten seconds without an answer is a hang.
  firstWatchdogMs: 10_000,
  followUpWatchdogMs: 5_000,
  poolMax: 4,
  idleSessionTimeoutMs: 2000,
  longPauseMs: 90_000,
  longPauseRepetitions: 4,
} as const;

const DAY_MS = 86_400_000;
const ms = (min: number) => ({ integer: true, min, max: DAY_MS, unit: 'ms' });
const seconds = { integer: false, min: 0, max: DAY_MS / 1000, unit: 's' };
const count = { integer: true, min: 1, max: 1000 };

export const FLAGS: Record<string, Flag> = {
  faults: {
    type: 'string',
    placeholder: 'list',
    help: `comma-separated faults (default ${DEFAULT_FAULTS.join(',')}; also kernel-blackhole)`,
  },
  orderings: {
    type: 'string',
    placeholder: 'list',
    help: 'first operation: after (1 s after resume), timer (armed before the pause) (default both)',
  },
  repetitions: {
    type: 'string',
    placeholder: 'n',
    help: `counted repetitions per trial and build (default ${DEFAULTS.repetitions})`,
  },
  'max-attempts-factor': {
    type: 'string',
    placeholder: 'n',
    help: `attempts per trial stop at n × repetitions; attempts whose condition did not hold are retried (default ${DEFAULTS.maxAttemptsFactor})`,
  },
  'pause-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `how long the worker stays frozen (default ${DEFAULTS.pauseMs})`,
  },
  'first-watchdog-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `a first operation with no answer by then hangs (default ${DEFAULTS.firstWatchdogMs})`,
  },
  'follow-up-watchdog-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `the same for each follow-up (default ${DEFAULTS.followUpWatchdogMs})`,
  },
  'pool-max': { type: 'string', placeholder: 'n', help: `Bun.SQL max (default ${DEFAULTS.poolMax})` },
  'idle-timeout': {
    type: 'string',
    placeholder: 's',
    help: "Bun.SQL idleTimeout in seconds, as Bun takes it (default: Bun's)",
  },
  'max-lifetime': { type: 'string', placeholder: 's', help: "Bun.SQL maxLifetime in seconds (default: Bun's)" },
  'connection-timeout': {
    type: 'string',
    placeholder: 's',
    help: "Bun.SQL connectionTimeout in seconds (default: Bun's)",
  },
  'idle-session-timeout-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `server idle_session_timeout for the idle-timeout fault (default ${DEFAULTS.idleSessionTimeoutMs}; that pause is twice this)`,
  },
  'kernel-blackhole': {
    type: 'boolean',
    help: 'add the kernel-level blackhole (root + iptables; recorded as skipped where impossible)',
  },
  'long-pause': {
    type: 'boolean',
    help: `add the long-pause trial: kernel blackhole, ${DEFAULTS.longPauseMs / 1000} s pause, where TCP keepalive can act`,
  },
  'long-pause-only': {
    type: 'boolean',
    help: "run the long-pause trial alone, no fault × ordering trials (the version matrix's silent-loss protocol)",
  },
  'long-pause-ms': {
    type: 'string',
    placeholder: 'ms',
    help: `pause of the long-pause trial (default ${DEFAULTS.longPauseMs})`,
  },
  'long-pause-repetitions': {
    type: 'string',
    placeholder: 'n',
    help: `counted repetitions of the long-pause trial (default ${DEFAULTS.longPauseRepetitions})`,
  },
  'database-url': {
    type: 'string',
    placeholder: 'url',
    help: 'use this PostgreSQL (a role that can create roles and databases) instead of an embedded one; better: $DATABASE_URL',
  },
  'pg-port': { type: 'string', placeholder: 'port', help: 'port of the embedded PostgreSQL (default: a free one)' },
};

export function parseOptions(values: FlagValues, env: NodeJS.ProcessEnv = process.env): SqlPoolOptions {
  const longPauseOnly = values['long-pause-only'] === true;
  if (longPauseOnly) {
    const clash = ['faults', 'orderings', 'kernel-blackhole'].find((f) => values[f] !== undefined);
    if (clash) throw usageError(`--long-pause-only runs the long-pause trial alone: leave out --${clash}`);
  }
  const faults = longPauseOnly ? [] : list(values, 'faults', SqlFault.options, DEFAULT_FAULTS);
  if (values['kernel-blackhole'] === true && !faults.includes('kernel-blackhole')) faults.push('kernel-blackhole');
  const longPause = longPauseOnly || values['long-pause'] === true || values['long-pause-ms'] !== undefined;
  const toMs = (s: number | null) => (s === null ? null : Math.round(s * 1000));
  return {
    faults,
    orderings: list(values, 'orderings', SqlOrdering.options, [...SqlOrdering.options]),
    repetitions: numberFlag(values, 'repetitions', DEFAULTS.repetitions, count),
    maxAttemptsFactor: numberFlag(values, 'max-attempts-factor', DEFAULTS.maxAttemptsFactor, {
      integer: true,
      min: 1,
      max: 10,
    }),
    pauseMs: numberFlag(values, 'pause-ms', DEFAULTS.pauseMs, ms(0)),
    firstWatchdogMs: numberFlag(values, 'first-watchdog-ms', DEFAULTS.firstWatchdogMs, ms(1)),
    followUpWatchdogMs: numberFlag(values, 'follow-up-watchdog-ms', DEFAULTS.followUpWatchdogMs, ms(1)),
    pool: {
      max: numberFlag(values, 'pool-max', DEFAULTS.poolMax, { integer: true, min: 1, max: 64 }),
      idleTimeoutMs: toMs(optionalNumberFlag(values, 'idle-timeout', seconds)),
      maxLifetimeMs: toMs(optionalNumberFlag(values, 'max-lifetime', seconds)),
      connectionTimeoutMs: toMs(optionalNumberFlag(values, 'connection-timeout', seconds)),
    },
    timing: { afterDelayMs: AFTER_DELAY_MS, timerDelayMs: TIMER_DELAY_MS, timerBoundMs: TIMER_BOUND_MS },
    idleSessionTimeoutMs: numberFlag(values, 'idle-session-timeout-ms', DEFAULTS.idleSessionTimeoutMs, ms(1)),
    longPauseMs: longPause ? numberFlag(values, 'long-pause-ms', DEFAULTS.longPauseMs, ms(0)) : null,
    longPauseRepetitions: numberFlag(values, 'long-pause-repetitions', DEFAULTS.longPauseRepetitions, count),
    databaseUrl: databaseUrl((values['database-url'] as string | undefined) ?? (env.DATABASE_URL || null)),
    pgPort:
      values['pg-port'] === undefined ? null : numberFlag(values, 'pg-port', 0, { integer: true, min: 1, max: 65535 }),
  };
}

function list<T extends string>(values: FlagValues, flag: string, known: readonly T[], fallback: T[]): T[] {
  const text = values[flag] as string | undefined;
  if (text === undefined) return [...fallback];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = items.find((i) => !known.includes(i as T));
  if (unknown !== undefined || items.length === 0) {
    throw usageError(`--${flag} ${text}: expected a comma-separated list of ${known.join(', ')}`);
  }
  return [...new Set(items as T[])];
}

/** Checked with the other inputs, before --out is created or anything started: a postgres:// URL. */
function databaseUrl(text: string | null): string | null {
  if (text === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    /* reported below */
  }
  if (!url || !/^postgres(ql)?:$/.test(url.protocol)) {
    // The URL itself may hold a password: it is never echoed.
    throw usageError(
      `--database-url: expected postgres://user:password@host:port/db (${url ? `not a postgres:// URL: ${url.protocol}` : 'not a URL'})`,
    );
  }
  return text;
}
