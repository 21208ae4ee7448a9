// What every run record shares, whatever its scenario: provenance, status, checks, and the bounded
// units each scenario's own record (repro/scenarios/<name>/record.ts) is built from. schema.ts
// assembles the union. Units are fixed: every memory figure is in bytes, every duration in
// milliseconds, every timestamp an ISO-8601 string in UTC.
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
export const TiB = 2 ** 40;
const DAY_MS = 86_400_000;
/** Memory in bytes, from 0 to 1 TiB. */
export const Bytes = z.number().int().nonnegative().max(TiB);
/** A duration or a time offset in ms, from 0 to one day. */
export const Ms = z.number().nonnegative().max(DAY_MS);
/** A count of things a run does (reads, repetitions): at most ten million. */
export const Count = z.number().int().nonnegative().max(10_000_000);
/** Free text (messages, observations): line breaks and tabs, no other control character. */
export const Text = (max = 2000) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL_CHARACTER.test(s), 'a control character (free text may hold only line breaks and tabs)');
/** One line of text: no control character, no line break. */
export const Line = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL_OR_BREAK.test(s), 'a control character or line break in one line of text');
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

const Harness = z.object({
  version: Line(50),
  /** Git commit of the harness that wrote the record; null when run outside a git checkout (a bundle). */
  commit: z
    .string()
    .regex(/^[0-9a-z]{4,64}$/)
    .nullable(),
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
export const RecordBase = z
  .object({
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
  })
  .superRefine((r, ctx) => {
    // Durations and wall times on the site are end minus start: a negative one is no run.
    if (Date.parse(r.endedAt) < Date.parse(r.startedAt))
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: `${r.endedAt} is before startedAt ${r.startedAt}` });
  });

// Measurement types more than one scenario records.

export const MemoryCapKind = z.enum(['kernel-cgroup', 'container', 'watchdog', 'none']);

/** Memory read from outside the probe, on the harness's own clock: survives an OOM kill. */
export const OutsideSample = z.object({
  elapsedMs: Ms,
  vmRss: Bytes,
  rssAnon: Bytes,
  cgroupCurrent: Bytes.nullable(),
});
export type OutsideSample = z.infer<typeof OutsideSample>;

/** At most about ten days of samples at the shortest interval: far beyond any real run, small enough to draw. */
export const MAX_SAMPLES = 2_000_000;

/** Signed bytes: a rise above a baseline (after a GC it can be slightly negative). */
export const SignedBytes = z.number().int().min(-TiB).max(TiB);
