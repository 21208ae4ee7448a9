// The run-record schema: the one definition shared by the harness (which writes records),
// the site (which draws them) and the tests. Units are fixed: every memory figure is in bytes,
// every duration in milliseconds, every timestamp an ISO-8601 string in UTC.
//
// Every value is bounded to what a real run can produce (RSS under 1 TiB, durations under a day,
// free-form detail two levels deep at most), so that a record that parses is also one the site can
// draw and a reader can open: a schema-valid record must never break the build.
import { z } from 'zod';
import { CONTROL_CHARACTER, CONTROL_OR_BREAK } from '../control-characters.ts';

/** 2: checks on every trial, explicit status, redaction, bounded values, durations in ms. */
export const SCHEMA_VERSION = 2;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const IsoDate = z.iso.datetime();
const TiB = 2 ** 40;
const DAY_MS = 86_400_000;
/** Memory in bytes, from 0 to 1 TiB. */
const Bytes = z.number().int().nonnegative().max(TiB);
/** A duration or a time offset in ms, from 0 to one day. */
const Ms = z.number().nonnegative().max(DAY_MS);
/** A count of things a run does (reads, repetitions): at most ten million. */
const Count = z.number().int().nonnegative().max(10_000_000);
/** Free text (messages, observations): line breaks and tabs, no other control character. */
const Text = (max = 2000) => z.string().max(max).refine((s) => !CONTROL_CHARACTER.test(s), 'a control character (free text may hold only line breaks and tabs)');
/** One line of text: no control character, no line break. */
const Line = (max: number) => z.string().max(max).refine((s) => !CONTROL_OR_BREAK.test(s), 'a control character or line break in one line of text');
const Label = Line(200).min(1);

/** Which implementation line a Bun build belongs to: the Zig original or the Rust rewrite. */
export const BunLine = z.enum(['zig', 'rust', 'unknown']);
export type BunLine = z.infer<typeof BunLine>;

/** One Bun binary, identified so that a reader can check they run the same one. */
export const Runtime = z.object({
  /** Short label used in tables and legends, e.g. "1.3.14 (Zig)". */
  label: Label,
  /** `bun --version`, e.g. "1.3.14". */
  version: Label,
  /** `bun --revision`, e.g. "1.3.14+0d9b296af". */
  revision: Label,
  line: BunLine,
  /** Where the binary came from: "npm:bun@1.3.14" for a pinned dependency, "path" for a reader's own binary. */
  source: Label,
  /** SHA-256 of the binary that ran. */
  sha256: Sha256,
});
export type Runtime = z.infer<typeof Runtime>;

export const Host = z.object({
  os: Line(200),
  kernel: Line(200),
  arch: Line(50),
  cpuModel: Line(200),
  cores: z.number().int().positive().max(4096),
  totalMemoryBytes: Bytes,
  /** The memory limit of the cgroup the harness runs in, or null when there is none. */
  cgroupMemoryLimitBytes: Bytes.nullable(),
});
export type Host = z.infer<typeof Host>;

export const Harness = z.object({
  version: Line(50),
  /** Git commit of the harness that wrote the record; null when run outside a git checkout (a bundle). */
  commit: z.string().regex(/^[0-9a-z]{4,64}$/).nullable(),
  /** True when the working tree had uncommitted changes. */
  dirty: z.boolean(),
});

/**
 * complete: the run ended normally. interrupted: cut short by Ctrl-C or SIGTERM, the data is what was
 * gathered until then. partial: the journal of a run still going, or of one that died without a chance
 * to finish (SIGKILL, a crash): every trial or build it holds is complete, later ones are missing.
 */
export const RunStatus = z.enum(['complete', 'interrupted', 'partial']);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * A condition a trial needs, measured during the trial: met or not, and what was observed. A trial
 * whose condition did not hold says nothing about the build and is not counted.
 */
export const Check = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/),
  met: z.boolean(),
  /** The observation, in a short sentence with its numbers, e.g. "2 of 4 connections had completed startup". */
  observed: Text(500),
});
export type Check = z.infer<typeof Check>;

/** Provenance common to every scenario's record. */
const RecordBase = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** Shared by all records of one invocation (one per build). */
  runId: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z_-]{0,80}$/),
  startedAt: IsoDate,
  endedAt: IsoDate,
  status: RunStatus,
  /** The command that reproduces this record, with every secret replaced by <redacted>. */
  command: Line(4000),
  /** The flags and environment variables whose values were redacted from `command` and endpoints. */
  redacted: z.array(Line(100)).max(100),
  harness: Harness,
  host: Host,
  /** The build this record measures. */
  runtime: Runtime,
  /** Every build of the same invocation, this one included, so a single record names the comparison. */
  builds: z.array(Runtime).min(1).max(200),
}).superRefine((r, ctx) => {
  // Durations and wall times on the site are end minus start: a negative one is no run.
  if (Date.parse(r.endedAt) < Date.parse(r.startedAt)) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: `${r.endedAt} is before startedAt ${r.startedAt}` });
});

// ---------------------------------------------------------------- s3-leak

export const MemoryCapKind = z.enum(['kernel-cgroup', 'container', 'watchdog', 'none']);

export const S3Sample = z.object({
  iteration: Count,
  elapsedMs: Ms,
  /** process.memoryUsage() inside the probe. */
  rss: Bytes,
  heapUsed: Bytes,
  external: Bytes,
  arrayBuffers: Bytes,
  /** /proc/PID/status RssAnon read by the harness at the same moment; null where /proc is missing. */
  anonRss: Bytes.nullable(),
});
export type S3Sample = z.infer<typeof S3Sample>;

/** Memory read from outside the probe, on the harness's own clock: survives an OOM kill. */
export const OutsideSample = z.object({
  elapsedMs: Ms,
  vmRss: Bytes,
  rssAnon: Bytes,
  cgroupCurrent: Bytes.nullable(),
});
export type OutsideSample = z.infer<typeof OutsideSample>;

export const S3VerdictKind = z.enum(['threshold-crossed', 'oom-killed', 'bounded', 'interrupted', 'error']);
export type S3VerdictKind = z.infer<typeof S3VerdictKind>;

/** Growth per read, MiB: at most the 1 TiB bound in either direction. */
const MiBPerIteration = z.number().min(-(TiB / 2 ** 20)).max(TiB / 2 ** 20);

export const S3Verdict = z.object({
  kind: S3VerdictKind,
  /** The iteration at which the verdict was reached (the last one completed). */
  iteration: Count,
  baselineRssBytes: Bytes,
  peakRssBytes: Bytes,
  /** Least-squares slope of RSS over iteration, MiB per iteration. */
  growthMiBPerIteration: MiBPerIteration,
  wallMs: Ms,
  message: Text(),
  /**
   * Present when the quick protocol's stopping rule ended the run (repro/scenarios/s3-leak/stopping-rule.ts):
   * after `reads` reads, the upper 95 % bound of the growth per read projected a peak under the target.
   */
  projection: z
    .object({ reads: Count, slopeMiBPerRead: MiBPerIteration, slopeUpperMiBPerRead: MiBPerIteration, projectedPeakMiB: z.number().min(0).max(TiB / 2 ** 20) })
    .optional(),
});
export type S3Verdict = z.infer<typeof S3Verdict>;

/** At most about ten days of samples at the shortest interval: far beyond any real run, small enough to draw. */
const MAX_SAMPLES = 2_000_000;

export const S3LeakRecord = RecordBase.safeExtend({
  scenario: z.literal('s3-leak'),
  parameters: z.object({
    payloadMiB: z.number().positive().max(4096),
    targetRssMiB: z.number().positive().max(TiB / 2 ** 20),
    maxIterations: z.number().int().positive().max(10_000_000),
    memoryCapMiB: z.number().positive().max(TiB / 2 ** 20),
    outsideSampleIntervalMs: Ms.positive(),
    memoryCap: z.object({ kind: MemoryCapKind, detail: Text(500) }),
    /** The quick protocol's stopping rule for bounded builds (`--quick`); absent in a full run. */
    stoppingRule: z.object({ minReads: Count, z: z.number().positive().max(10) }).optional(),
    s3: z.object({
      kind: z.enum(['embedded-s3rver', 'external']),
      /** Endpoint without credentials. */
      endpoint: Line(500),
      bucket: Line(100),
    }),
  }),
  samples: z.array(S3Sample).max(MAX_SAMPLES),
  outsideSamples: z.array(OutsideSample).max(MAX_SAMPLES),
  /**
   * When the probe's baseline sample (iteration 0) reached the harness, on the outside samples' clock:
   * it places each outside sample against the reads. Null without outside sampling.
   */
  baselineAtOutsideMs: Ms.nullable(),
  /** Conditions of the run, e.g. every read returned the whole object. */
  checks: z.array(Check).max(20),
  verdict: S3Verdict,
});
export type S3LeakRecord = z.infer<typeof S3LeakRecord>;

// ---------------------------------------------------------------- sql-pool

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
export const SqlRepetitionVerdict = z.enum(['recovers', 'fails-fast', 'corrupted', 'hangs', 'condition-not-met', 'skipped', 'interrupted']);
export type SqlRepetitionVerdict = z.infer<typeof SqlRepetitionVerdict>;

/** The verdicts that describe the build; the others describe the run. */
export const SqlOutcome = z.enum(['recovers', 'fails-fast', 'corrupted', 'hangs']);
export type SqlOutcome = z.infer<typeof SqlOutcome>;

/** The kernel's view of a TCP socket (/proc/<pid>/net/tcp); `gone`: no longer listed, closed by the kernel. */
export const TcpView = z.object({
  state: z.enum(['established', 'syn-sent', 'syn-recv', 'fin-wait1', 'fin-wait2', 'time-wait', 'close', 'close-wait', 'last-ack', 'listen', 'closing', 'gone']),
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
  userTimeoutMs: z.number().int().nonnegative().max(2 ** 31 - 1),
  noDelay: z.boolean(),
});
export type SocketOptions = z.infer<typeof SocketOptions>;

/** One pooled connection, read at the freeze and again just before the resume. */
export const PoolSocket = z.object({
  inode: z.number().int().nonnegative().max(2 ** 32),
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

export const SqlTrial = z.object({
  /** e.g. "blackhole/after". */
  id: z.string().regex(/^[a-z-]+\/[a-z]+(\/[a-z]+)?$/),
  fault: SqlFault,
  ordering: SqlOrdering,
  pauseMs: Ms,
  /** How many counted (condition met) repetitions the trial aimed for. */
  wanted: Count,
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
  }),
  trials: z.array(SqlTrial).max(200),
});
export type SqlPoolRecord = z.infer<typeof SqlPoolRecord>;

// ---------------------------------------------------------------- s3-upload

/** Signed bytes: a rise above a baseline (after a GC it can be slightly negative). */
const SignedBytes = z.number().int().min(-TiB).max(TiB);

export const S3UploadMethod = z.enum(['s3-write', 'fetch-presigned']);
export type S3UploadMethod = z.infer<typeof S3UploadMethod>;

/**
 * How one upload ended. completed: the upload settled and was read back; oom-killed: the memory cap
 * killed it; hangs: no byte reached the store for the stall timeout, or no end within the time limit;
 * error: it rejected, the probe died without its end line, or the stored object differs;
 * not-counted: it completed, but a condition of the measurement did not hold (checks).
 */
export const S3UploadOutcome = z.enum(['completed', 'not-counted', 'oom-killed', 'hangs', 'error', 'interrupted']);
export type S3UploadOutcome = z.infer<typeof S3UploadOutcome>;

/** One upload, in its own fresh probe process. Rises are above the probe's baseline just before it. */
export const S3Upload = z.object({
  method: S3UploadMethod,
  payloadMiB: z.number().positive().max(4096),
  /** 1-based, per method and size. */
  repetition: z.number().int().positive().max(1000),
  outcome: S3UploadOutcome,
  /** The upload's own wall time (probe clock); null when it never settled. */
  wallMs: Ms.nullable(),
  /** /proc/self/status just before the upload, after Bun.gc(true); null if the probe never got there. */
  baseline: z.object({ vmRss: Bytes, rssAnon: Bytes, rssFile: Bytes }).nullable(),
  /** The verdict's figure: the highest RssAnon the outside sampler saw during the upload, minus the baseline. */
  peakAnonRiseBytes: SignedBytes.nullable(),
  /** The same for VmRSS, outside. */
  peakVmRssRiseBytes: SignedBytes.nullable(),
  /** The probe's own 10 ms sampler (it under-reads when Bun's event loop blocks). */
  insidePeakAnonRiseBytes: SignedBytes.nullable(),
  /** VmHWM after the upload minus the baseline VmRSS (the kernel's exact peak); null where it could not be reset. */
  vmHwmRiseBytes: SignedBytes.nullable(),
  peakRssFileRiseBytes: SignedBytes.nullable(),
  /** After Bun.gc(true), a pause and Bun.gc(true) again. */
  afterGcAnonRiseBytes: SignedBytes.nullable(),
  /** Most mappings of the payload file seen in /proc/self/maps during the upload. */
  mappedPayload: Count,
  /** The longest gap between the probe's own samples: a blocked event loop. */
  maxSampleGapMs: Ms.nullable(),
  /** Bytes the counting proxy forwarded to the store during the upload (all requests). */
  forwardedBytes: Bytes,
  /** Outside samples of the upload's window, on the harness clock (0: the upload's start). */
  outsideSamples: z.array(OutsideSample).max(MAX_SAMPLES),
  checks: z.array(Check).max(20),
  /** Why it did not complete, in one line. */
  message: Text().optional(),
});
export type S3Upload = z.infer<typeof S3Upload>;

export const S3UploadVerdictKind = z.enum(['buffers-payload', 'streams', 'inconclusive', 'hangs', 'error', 'interrupted']);
export type S3UploadVerdictKind = z.infer<typeof S3UploadVerdictKind>;
/** What the counted s3-write uploads say about memory, whatever else happened. */
export const S3UploadMemoryClass = z.enum(['buffers-payload', 'streams', 'inconclusive']);
export type S3UploadMemoryClass = z.infer<typeof S3UploadMemoryClass>;

export const S3UploadSizeSummary = z.object({
  method: S3UploadMethod,
  payloadMiB: z.number().positive().max(4096),
  /** Uploads counted (completed with every check met, or killed at the cap). */
  counted: Count,
  medianRiseBytes: SignedBytes.nullable(),
  minRiseBytes: SignedBytes.nullable(),
  maxRiseBytes: SignedBytes.nullable(),
});
export type S3UploadSizeSummary = z.infer<typeof S3UploadSizeSummary>;

export const S3UploadRecord = RecordBase.safeExtend({
  scenario: z.literal('s3-upload'),
  parameters: z.object({
    /** Payload sizes, ascending; the verdict compares the smallest and the largest. */
    payloadMiB: z.array(z.number().positive().max(4096)).min(2).max(8),
    repetitions: z.number().int().positive().max(100),
    methods: z.array(S3UploadMethod).min(1).max(2),
    /** Sizes at which the fetch control runs (all of them in a full run). */
    controlPayloadMiB: z.array(z.number().positive().max(4096)).max(8),
    memoryCapMiB: z.number().positive().max(TiB / 2 ** 20),
    memoryCap: z.object({ kind: MemoryCapKind, detail: Text(500) }),
    outsideSampleIntervalMs: Ms.positive(),
    stallTimeoutMs: Ms.positive(),
    /** An upload must end within baseMs + perMiBMs × payload. */
    timeLimit: z.object({ baseMs: Ms, perMiBMs: Ms }),
    thresholds: z.object({
      bufferRatio: z.number().positive().max(100),
      ratioMinPayloadMiB: z.number().positive().max(4096),
      bufferSlope: z.number().positive().max(100),
      streamBoundMiB: z.number().positive().max(TiB / 2 ** 20),
      streamSlope: z.number().positive().max(100),
      fileRiseMaxMiB: z.number().positive().max(4096),
    }),
    s3: z.object({ kind: z.enum(['embedded-s3rver', 'external']), endpoint: Line(500), bucket: Line(100) }),
  }),
  /** Every upload, in the order run. */
  uploads: z.array(S3Upload).max(1000),
  /** Build-level conditions, e.g. that the fetch control streams. */
  checks: z.array(Check).max(20),
  verdict: z.object({
    kind: S3UploadVerdictKind,
    /** The memory class of the counted s3-write uploads; null when none was counted. */
    memory: S3UploadMemoryClass.nullable(),
    /** Per method and size: the peak anon rises of the counted uploads. */
    sizes: z.array(S3UploadSizeSummary).max(32),
    /** (median rise at the largest − at the smallest) / (largest − smallest payload), MiB per MiB; s3-write. */
    slope: z.number().min(-1000).max(1000).nullable(),
    /** Median rise at the largest payload over that payload; s3-write. */
    ratio: z.number().min(-1000).max(1000).nullable(),
    counts: z.partialRecord(S3UploadOutcome, Count),
    wallMs: Ms,
    message: Text(),
  }),
});
export type S3UploadRecord = z.infer<typeof S3UploadRecord>;

// ---------------------------------------------------------------- any record

export const RunRecord = z.discriminatedUnion('scenario', [S3LeakRecord, SqlPoolRecord, S3UploadRecord]);
export type RunRecord = z.infer<typeof RunRecord>;
export type ScenarioName = RunRecord['scenario'];
// Read from the union, so a new scenario's record is the one place its name is spelled in the schema.
export const ScenarioName = z.enum(RunRecord.options.map((o) => o.shape.scenario.value) as [ScenarioName, ...ScenarioName[]]);
