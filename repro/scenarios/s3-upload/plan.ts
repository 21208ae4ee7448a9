// Which uploads a build makes, in the order run: from the options (the harness) or from a record's
// parameters (the live page's total). Pure: the page's script bundles it.
import type { S3Upload, S3UploadMethod, S3UploadRecord } from '../../core/record/schema.ts';

interface PlanInputs {
  payloadMiB: readonly number[];
  repetitions: number;
  controlPayloadMiB: readonly number[];
  controlRepetitions: number;
}

export interface PlannedUpload {
  method: S3UploadMethod;
  payloadMiB: number;
  repetition: number;
}

/** The uploads of one build, in the order run: sizes ascending, repetitions, the methods interleaved. */
export function plan(options: PlanInputs): PlannedUpload[] {
  return options.payloadMiB.flatMap((payloadMiB) =>
    Array.from(
      {
        length: Math.max(
          options.repetitions,
          options.controlPayloadMiB.includes(payloadMiB) ? options.controlRepetitions : 0,
        ),
      },
      (_, i) => i + 1,
    ).flatMap((repetition) => [
      ...(repetition <= options.repetitions ? [{ method: 's3-write' as const, payloadMiB, repetition }] : []),
      ...(options.controlPayloadMiB.includes(payloadMiB) && repetition <= options.controlRepetitions
        ? [{ method: 'fetch-presigned' as const, payloadMiB, repetition }]
        : []),
    ]),
  );
}

/**
 * The uploads a record's run planned, or null when its parameters do not say: records older than
 * `controlRepetitions` ran a control of unknown length (none when no size had a control).
 */
export function plannedUploads({ parameters: p }: S3UploadRecord): PlannedUpload[] | null {
  const controlRepetitions = p.controlPayloadMiB.length === 0 ? 0 : p.controlRepetitions;
  return controlRepetitions === undefined ? null : plan({ ...p, controlRepetitions });
}

/**
 * The control's length where an older record does not say it but shows it: a complete run made every
 * upload it planned, so its own control uploads are the plan. Otherwise the parameters as they are.
 */
export function withControlRepetitions(record: S3UploadRecord): S3UploadRecord['parameters'] {
  const p = record.parameters;
  if (p.controlRepetitions !== undefined || record.status !== 'complete' || p.controlPayloadMiB.length === 0) return p;
  const control = record.uploads.filter((u) => u.method === 'fetch-presigned').map((u) => u.repetition);
  return control.length === 0 ? p : { ...p, controlRepetitions: Math.max(...control) };
}

/** How long an upload took on the harness's clock: the probe's whole life where recorded, else the upload's window. */
export const uploadMs = (u: S3Upload) => u.probeMs ?? u.outsideSamples.at(-1)?.elapsedMs ?? u.wallMs ?? 0;
