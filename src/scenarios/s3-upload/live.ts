// The s3-upload run on the live page: s3-upload-rise filling in upload by upload, over the published
// run drawn faintly (where its dots fall is where a build that behaves the same puts its own). The
// harness sends each upload as it finishes (repro/scenarios/s3-upload/live.ts).
import type { S3UploadRecord } from '../../../repro/core/record/schema.ts';
import type { S3UploadLiveUpdate } from '../../../repro/scenarios/s3-upload/live.ts';
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
  // The record's parameters do not say how many control uploads the run makes: no total, no time left.
  progress: (r) => ({ text: `${r.uploads.length} upload(s)`, left: null, msPerUnit: null }),
};
