// The catalogue's run record: one failure of repro/failures/<id>/ on one build, each run of its probe
// as it ended (what it measured, how long it took, the memory seen from outside), and the verdict
// its folder's rule gives. The measurement is bounded here and checked against the folder's own
// schema wherever a record is read (compare, the site's loader).
import { z } from 'zod';
import { Count, Line, MAX_SAMPLES, Ms, OutsideSample, RecordBase, Text } from '../../core/record/base.ts';
import { FAILURE_ID } from '../../core/failure.ts';

const Scalar = z.union([Line(500), z.number(), z.boolean(), z.null()]);

/** What a probe reports: scalars, and lists of numbers (a per-iteration series) or of scalars. */
export const Measurement = z.record(
  z.string().max(64),
  z.union([Scalar, z.array(z.number()).max(100_000), z.array(Scalar).max(1000)]),
);
export type Measurement = z.infer<typeof Measurement>;

const CatalogueRunOutcome = z.enum(['measured', 'timeout', 'crashed', 'error', 'interrupted']);

export const CatalogueRun = z.object({
  /** 0-based. */
  index: Count,
  outcome: CatalogueRunOutcome,
  /** The probe's exit: code, or the signal that ended it. */
  exitCode: z.number().int().min(-1).max(255).nullable(),
  signal: Line(20).nullable(),
  wallMs: Ms,
  /** The probe's result line, less `ev`; null when it never printed one. */
  measurement: Measurement.nullable(),
  /** The probe's memory read from outside it (/proc), on the harness's clock from its start. */
  outsideSamples: z.array(OutsideSample).max(MAX_SAMPLES),
  /** Why it did not measure, in one line; null when it did. */
  message: Text(1000).nullable(),
});
export type CatalogueRun = z.infer<typeof CatalogueRun>;

const CatalogueStatus = z.enum(['affected', 'not-affected', 'inconclusive']);

export const CatalogueRecord = RecordBase.safeExtend({
  scenario: z.literal('catalogue'),
  /** The failure's folder, repro/failures/<failure>/. */
  failure: z.string().regex(FAILURE_ID).max(64),
  parameters: z.object({
    /** The probe's parameters, as its folder declares them. */
    probe: z.record(z.string().max(64), z.union([Line(500), z.number()])),
    timeoutMs: Ms.positive(),
    repetitions: z.number().int().positive().max(100),
    services: z.array(z.enum(['postgres', 'server'])).max(4),
  }),
  runs: z.array(CatalogueRun).max(1000),
  verdict: z.object({
    status: CatalogueStatus,
    /** The key figure of each run that measured, in run order. */
    keyFigures: z.array(z.number()).max(1000),
    /** The verdict in one line, with the key figures and the rule's threshold. */
    text: Text(1000),
  }),
});
export type CatalogueRecord = z.infer<typeof CatalogueRecord>;
