// The s3-upload run on the live page: s3-upload-rise filling in upload by upload, over the published
// run drawn faintly (where its dots fall is where a build that behaves the same puts its own). The
// harness sends each upload as it finishes (repro/scenarios/s3-upload/live.ts).
import type { S3UploadRecord } from '../../../repro/core/record/schema.ts';
import type { S3UploadLiveUpdate } from '../../../repro/scenarios/s3-upload/live.ts';
import { plannedUploads, uploadMs, withControlRepetitions } from '../../../repro/scenarios/s3-upload/plan.ts';
import { sizeSummaries } from '../../../repro/scenarios/s3-upload/verdict.ts';
import type { LiveView } from '../types.ts';
import { s3UploadRise } from './figures/s3-upload-rise.ts';

export const s3UploadLive: LiveView<S3UploadRecord, S3UploadLiveUpdate> = {
  start: (record) => record,
  fold(record, upload) {
    record.uploads.push(upload);
    // The line through the medians: the verdict's own per-size summary of the uploads so far.
    record.verdict = { ...record.verdict, sizes: sizeSummaries(record.uploads) };
    return record;
  },
  figures: [{ figure: s3UploadRise, records: (builds) => builds, reference: (published) => published }],
  progress(r) {
    const done = r.uploads.length;
    // A complete older record ran what it planned; a partial one does not say how many control
    // uploads the run makes: no total, no time left.
    const plan = plannedUploads({ ...r, parameters: withControlRepetitions(r) });
    if (!plan) return { text: `${done} upload(s)`, left: null, msPerUnit: null };
    const text = `${done} of ${plan.length} uploads`;
    // The build's whole record has come: nothing left to estimate.
    if (r.status !== 'partial') return { text, left: null, msPerUnit: null };
    // The pace per MiB of payload: the sizes grow through the run, and an upload's time with them.
    const mib = (uploads: readonly { payloadMiB: number }[]) => uploads.reduce((n, u) => n + u.payloadMiB, 0);
    return {
      text,
      left: mib(plan.slice(done)),
      msPerUnit: done > 0 ? r.uploads.reduce((ms, u) => ms + uploadMs(u), 0) / mib(r.uploads) : null,
    };
  },
};
