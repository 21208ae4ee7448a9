// The sql-pool scenario's run record: every trial, every repetition with its timeline, checks and sockets.
import { z } from 'zod';
import { Check, Count, Line, Ms, RecordBase, Text } from '../../core/record/base.ts';

export const SqlFault = z.enum([
  'terminate',
  'idle-timeout',
  'rst',
  'fin',
  'lazy-rst',
  'blackhole',
  'kernel-blackhole',
  'cold-start',
]);
export type SqlFault = z.infer<typeof SqlFault>;

/** When the first operation after resume is issued: 1 s after SIGCONT, or by a timer armed before the pause. */
export const SqlOrdering = z.enum(['after', 'timer']);
export type SqlOrdering = z.infer<typeof SqlOrdering>;

/** The operations after resume, in the order they run; a repetition with fewer was cut short. */
export const SqlOperationKind = z.enum(['first', 'second', 'concurrent', 'begin']);
export type SqlOperationKind = z.infer<typeof SqlOperationKind>;

export const SqlOperation = z.object({
  op: SqlOperationKind,
  outcome: z.enum(['ok', 'error', 'hang']),
  /** Measured inside Bun; for a hang, the watchdog that expired. */
  latencyMs: Ms,
  code: Text(200).nullable(),
  message: Text(500).nullable(),
});
export type SqlOperation = z.infer<typeof SqlOperation>;

/**
 * Every event a repetition's timeline can hold, by who saw it. The timeline figure and the checks
 * read these names, so they are fixed here.
 */
export const SqlEventName = z.enum([
  // the harness
  'worker-started',
  'send',
  'sigstop',
  'fault',
  'sessions-before-resume',
  'sigcont',
  'watchdog',
  'worker-killed',
  // the Bun worker (its own line protocol, repro/scenarios/sql-pool/protocol.ts)
  'start',
  'ready',
  'freezing',
  'timer_armed',
  'timer_fired',
  'resumed',
  'onconnect',
  'onclose',
  'query_start',
  'result',
  'bad_command',
  'warmup_failed',
  'stdout',
  // the network path: the fault proxy or the kernel relay
  'accept',
  'startup-complete',
  'rst-sent',
  'fin-sent',
  'blackhole-drop',
  'lazy-rst-fire',
  'close',
  'iptables-drop',
  'iptables-counters',
  // the pool's sockets, read at the freeze and before the resume (details in SqlRepetition.sockets)
  'sockets',
]);
export type SqlEventName = z.infer<typeof SqlEventName>;

const Scalar = z.union([Text(1000), z.number(), z.boolean(), z.null()]);
const ScalarList = z.array(Scalar).max(64);
/** Free-form event detail, bounded: scalars, lists of scalars, and one level of nested objects. */
const EventDetail = z.record(
  Line(64),
  z.union([Scalar, ScalarList, z.record(Line(64), z.union([Scalar, ScalarList]))]),
);

export const SqlEvent = z.object({
  /** ms since the repetition started, on the harness's clock. */
  t: Ms,
  source: z.enum(['harness', 'bun', 'proxy', 'postgres']),
  event: SqlEventName,
  detail: EventDetail.optional(),
});
export type SqlEvent = z.infer<typeof SqlEvent>;

/**
 * A repetition's verdict. condition-not-met: a check failed, so the repetition says nothing about the
 * build and is not counted (the trial retries, up to a bound). skipped: the harness could not run it.
 */
export const SqlRepetitionVerdict = z.enum([
  'recovers',
  'fails-fast',
  'corrupted',
  'hangs',
  'condition-not-met',
  'skipped',
  'interrupted',
]);
export type SqlRepetitionVerdict = z.infer<typeof SqlRepetitionVerdict>;

/** The verdicts that describe the build; the others describe the run. */
export const SqlOutcome = z.enum(['recovers', 'fails-fast', 'corrupted', 'hangs']);
export type SqlOutcome = z.infer<typeof SqlOutcome>;

/** The kernel's view of a TCP socket (/proc/<pid>/net/tcp); `gone`: no longer listed, closed by the kernel. */
export const TcpView = z.object({
  state: z.enum([
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
    'gone',
  ]),
  /** The timer pending on it: a keepalive timer on an idle connection is SO_KEEPALIVE at work. */
  timer: z.enum(['none', 'retransmit', 'keepalive', 'time-wait', 'probe']),
  /** Until that timer fires; null with none. */
  timerMs: Ms.nullable(),
});
export type TcpView = z.infer<typeof TcpView>;

/** The options a pooled connection carries, as the worker reads them with getsockopt on its own socket. */
export const SocketOptions = z.object({
  keepAlive: z.boolean(),
  /** TCP_KEEPIDLE and TCP_KEEPINTVL in seconds, TCP_KEEPCNT in probes (the kernel's limits); they act only with keepAlive. */
  keepIdleS: z.number().int().nonnegative().max(32_767),
  keepIntvlS: z.number().int().nonnegative().max(32_767),
  keepCnt: z.number().int().nonnegative().max(127),
  /** TCP_USER_TIMEOUT in ms; 0 is the kernel's default (none). */
  userTimeoutMs: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31 - 1),
  noDelay: z.boolean(),
});
export type SocketOptions = z.infer<typeof SocketOptions>;

/** One pooled connection, read at the freeze and again just before the resume. */
export const PoolSocket = z.object({
  inode: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 32),
  localPort: z.number().int().nonnegative().max(65_535),
  /** Null when the worker could not read them (see `optionsError`). */
  options: SocketOptions.nullable(),
  atFreeze: TcpView,
  /** Null when not read (the repetition ended before the resume). */
  beforeResume: TcpView.nullable(),
});
export type PoolSocket = z.infer<typeof PoolSocket>;

export const SqlRepetition = z.object({
  /** 0-based attempt number within the trial; attempts that did not meet their condition count too. */
  index: Count,
  verdict: SqlRepetitionVerdict,
  /** Every condition the trial needs, as measured in this repetition. */
  checks: z.array(Check).max(20),
  operations: z.array(SqlOperation).max(SqlOperationKind.options.length),
  onconnect: Count,
  onclose: Count,
  events: z.array(SqlEvent).max(5000),
  /**
   * The pool's TCP connections as the kernel and the worker saw them: the mechanism behind an outcome
   * (keepalive armed or not, connections the kernel closed during the pause). Absent in older records.
   */
  sockets: z
    .object({
      connections: z.array(PoolSocket).max(64),
      /** Why the worker's own getsockopt reading is missing, when it is. */
      optionsError: Text(300).nullable(),
    })
    .optional(),
  /** Why the repetition could not run (the harness or the worker failed to start, not a pool outcome). */
  failure: Text(1000).optional(),
});
export type SqlRepetition = z.infer<typeof SqlRepetition>;

/** A trial's verdict: the most frequent outcome over the counted repetitions, or why there is none. */
export const SqlTrialVerdictKind = z.enum([...SqlOutcome.options, 'condition-not-met', 'skipped', 'interrupted']);
export type SqlTrialVerdictKind = z.infer<typeof SqlTrialVerdictKind>;

/** A trial as the run plans it, before any repetition. */
export const SqlPlannedTrial = z.object({
  /** e.g. "blackhole/after"; "kernel-blackhole/after/long" for the long-pause trial. */
  id: z.string().regex(/^[a-z-]+\/[a-z]+(\/[a-z]+)?$/),
  fault: SqlFault,
  ordering: SqlOrdering,
  pauseMs: Ms,
  /** How many counted (condition met) repetitions the trial aims for. */
  wanted: Count,
});
export type SqlPlannedTrial = z.infer<typeof SqlPlannedTrial>;

export const SqlTrial = SqlPlannedTrial.extend({
  /** Every attempt, counted or not, in the order run. */
  repetitions: z.array(SqlRepetition).max(1000),
  verdict: z.object({
    kind: SqlTrialVerdictKind,
    /** How many counted repetitions ended in each outcome. */
    counts: z.partialRecord(SqlOutcome, Count),
    /** Attempts whose condition did not hold (not counted). */
    notMet: Count,
    message: Text(),
  }),
});
export type SqlTrial = z.infer<typeof SqlTrial>;

export const SqlPoolRecord = RecordBase.safeExtend({
  scenario: z.literal('sql-pool'),
  parameters: z.object({
    pool: z.object({
      max: z.number().int().positive().max(1000),
      /** Bun.SQL's options, converted from the seconds Bun takes; null leaves Bun's default. */
      idleTimeoutMs: Ms.nullable(),
      maxLifetimeMs: Ms.nullable(),
      connectionTimeoutMs: Ms.nullable(),
    }),
    /** Counted repetitions wanted per trial and build (the long-pause trial has its own). */
    repetitions: z.number().int().positive().max(1000),
    longPauseRepetitions: z.number().int().positive().max(1000),
    /** Attempts per trial and build stop at this many times the repetitions wanted. */
    maxAttemptsFactor: z.number().int().positive().max(10),
    firstWatchdogMs: Ms.positive(),
    followUpWatchdogMs: Ms.positive(),
    /** `after` ordering: the first operation this long after SIGCONT. */
    afterDelayMs: Ms,
    /** `timer` ordering: the timer's delay, and how soon after resume it must fire to count. */
    timerDelayMs: Ms,
    timerBoundMs: Ms,
    postgres: z.object({
      kind: z.enum(['embedded', 'external']),
      version: Text(100),
    }),
    /** The trials the run planned, in the order run (the live page's total). Absent in older records. */
    plan: z.array(SqlPlannedTrial).max(200).optional(),
  }),
  trials: z.array(SqlTrial).max(200),
});
export type SqlPoolRecord = z.infer<typeof SqlPoolRecord>;
