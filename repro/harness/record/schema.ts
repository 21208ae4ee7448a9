// The run-record schema: the one definition shared by the harness (which writes records),
// the site (which draws them) and the tests. Units are fixed: every memory figure is in bytes,
// every duration in milliseconds, every timestamp an ISO-8601 string in UTC.
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const IsoDate = z.iso.datetime();
const Bytes = z.number().int().nonnegative();

/** Which implementation line a Bun build belongs to: the Zig original or the Rust rewrite. */
export const BunLine = z.enum(['zig', 'rust', 'unknown']);
export type BunLine = z.infer<typeof BunLine>;

/** One Bun binary, identified so that a reader can check they run the same one. */
export const Runtime = z.object({
  /** Short label used in tables and legends, e.g. "1.3.14 (Zig)". */
  label: z.string().min(1),
  /** `bun --version`, e.g. "1.3.14". */
  version: z.string().min(1),
  /** `bun --revision`, e.g. "1.3.14+0d9b296af". */
  revision: z.string().min(1),
  line: BunLine,
  /** Where the binary came from: "npm:bun@1.3.14" for a pinned dependency, "path" for a reader's own binary. */
  source: z.string().min(1),
  /** SHA-256 of the binary that ran. */
  sha256: Sha256,
});
export type Runtime = z.infer<typeof Runtime>;

export const Host = z.object({
  os: z.string(),
  kernel: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  totalMemoryBytes: Bytes,
  /** The memory limit of the cgroup the harness runs in, or null when there is none. */
  cgroupMemoryLimitBytes: Bytes.nullable(),
});
export type Host = z.infer<typeof Host>;

export const Harness = z.object({
  version: z.string(),
  /** Git commit of the harness that wrote the record; null when run outside a git checkout (a bundle). */
  commit: z.string().nullable(),
  /** True when the working tree had uncommitted changes. */
  dirty: z.boolean(),
});

/** Provenance common to every scenario's record. */
const RecordBase = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** Shared by all records of one invocation (one per build). */
  runId: z.string().min(1),
  startedAt: IsoDate,
  endedAt: IsoDate,
  /** True when the run was cut short (Ctrl-C, SIGTERM): the samples are what was gathered until then. */
  interrupted: z.boolean(),
  /** The exact command that reproduces this record. */
  command: z.string(),
  harness: Harness,
  host: Host,
  /** The build this record measures. */
  runtime: Runtime,
  /** Every build of the same invocation, this one included, so a single record names the comparison. */
  builds: z.array(Runtime).min(1),
});

// ---------------------------------------------------------------- s3-leak

export const MemoryCapKind = z.enum(['kernel-cgroup', 'container', 'watchdog', 'none']);

export const S3Sample = z.object({
  iteration: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
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
  elapsedMs: z.number().nonnegative(),
  vmRss: Bytes,
  rssAnon: Bytes,
  cgroupCurrent: Bytes.nullable(),
});
export type OutsideSample = z.infer<typeof OutsideSample>;

export const S3VerdictKind = z.enum(['threshold-crossed', 'oom-killed', 'bounded', 'interrupted', 'error']);

export const S3Verdict = z.object({
  kind: S3VerdictKind,
  /** The iteration at which the verdict was reached (the last one completed). */
  iteration: z.number().int().nonnegative(),
  baselineRssBytes: Bytes,
  peakRssBytes: Bytes,
  /** Least-squares slope of RSS over iteration, MiB per iteration. */
  growthMiBPerIteration: z.number(),
  wallMs: z.number().nonnegative(),
  message: z.string(),
});
export type S3Verdict = z.infer<typeof S3Verdict>;

export const S3LeakRecord = RecordBase.extend({
  scenario: z.literal('s3-leak'),
  parameters: z.object({
    payloadMiB: z.number().positive(),
    targetRssMiB: z.number().positive(),
    maxIterations: z.number().int().positive(),
    memoryCapMiB: z.number().positive(),
    outsideSampleIntervalMs: z.number().positive(),
    memoryCap: z.object({ kind: MemoryCapKind, detail: z.string() }),
    s3: z.object({
      kind: z.enum(['embedded-s3rver', 'external']),
      /** Endpoint without credentials. */
      endpoint: z.string(),
      bucket: z.string(),
    }),
  }),
  samples: z.array(S3Sample),
  outsideSamples: z.array(OutsideSample),
  /**
   * When the probe's baseline sample (iteration 0) reached the harness, on the outside samples' clock:
   * it places each outside sample against the reads. Null without outside sampling; absent in records
   * written before it was kept.
   */
  baselineAtOutsideMs: z.number().nonnegative().nullable().optional(),
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

export const SqlOperationKind = z.enum(['first', 'second', 'concurrent', 'begin']);

export const SqlOperation = z.object({
  op: SqlOperationKind,
  outcome: z.enum(['ok', 'error', 'hang']),
  /** Measured inside Bun; for a hang, the watchdog that expired. */
  latencyMs: z.number().nonnegative(),
  code: z.string().nullable(),
  message: z.string().nullable(),
});
export type SqlOperation = z.infer<typeof SqlOperation>;

export const SqlEvent = z.object({
  /** ms since the repetition started, on the harness's clock. */
  t: z.number().nonnegative(),
  source: z.enum(['harness', 'bun', 'proxy', 'postgres']),
  event: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type SqlEvent = z.infer<typeof SqlEvent>;

export const SqlRepetition = z.object({
  index: z.number().int().nonnegative(),
  operations: z.array(SqlOperation),
  onconnect: z.number().int().nonnegative(),
  onclose: z.number().int().nonnegative(),
  events: z.array(SqlEvent),
  /** Why the repetition could not run (the harness or the worker failed to start, not a pool outcome). */
  failure: z.string().optional(),
});
export type SqlRepetition = z.infer<typeof SqlRepetition>;

export const SqlVerdictKind = z.enum(['recovers', 'fails-fast', 'hangs', 'corrupted', 'skipped', 'interrupted']);
export type SqlVerdictKind = z.infer<typeof SqlVerdictKind>;

export const SqlTrial = z.object({
  /** e.g. "blackhole/after". */
  id: z.string(),
  fault: SqlFault,
  ordering: SqlOrdering,
  pauseMs: z.number().int().nonnegative(),
  repetitions: z.array(SqlRepetition),
  verdict: z.object({
    kind: SqlVerdictKind,
    /** How many repetitions ended in each verdict kind. */
    counts: z.partialRecord(SqlVerdictKind, z.number().int().nonnegative()),
    message: z.string(),
  }),
});
export type SqlTrial = z.infer<typeof SqlTrial>;

export const SqlPoolRecord = RecordBase.extend({
  scenario: z.literal('sql-pool'),
  parameters: z.object({
    pool: z.object({
      max: z.number().int().positive(),
      idleTimeout: z.number().nonnegative().nullable(),
      maxLifetime: z.number().nonnegative().nullable(),
      connectionTimeout: z.number().nonnegative().nullable(),
    }),
    repetitions: z.number().int().positive(),
    firstWatchdogMs: z.number().int().positive(),
    followUpWatchdogMs: z.number().int().positive(),
    postgres: z.object({
      kind: z.enum(['embedded', 'external']),
      version: z.string(),
    }),
  }),
  trials: z.array(SqlTrial),
});
export type SqlPoolRecord = z.infer<typeof SqlPoolRecord>;

// ---------------------------------------------------------------- any record

export const RunRecord = z.discriminatedUnion('scenario', [S3LeakRecord, SqlPoolRecord]);
export type RunRecord = z.infer<typeof RunRecord>;
export type ScenarioName = RunRecord['scenario'];
