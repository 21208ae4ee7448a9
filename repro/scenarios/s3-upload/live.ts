// What the s3-upload scenario sends the live page (--live, --replay): each build's record with no
// upload at its start, then each upload as it finishes, then the whole record (verdict, checks) at the
// build's end. The page folds them (src/scenarios/s3-upload/live.ts) and draws s3-upload-rise upload
// by upload, over the published run drawn faintly.
import type { S3Upload, S3UploadRecord } from '../../core/record/schema.ts';
import type { LiveFeed } from '../../harness/scenario.ts';
import { uploadMs, withControlRepetitions } from './plan.ts';

/** One finished upload of the build, appended to its record. */
export type S3UploadLiveUpdate = S3Upload;

/** The verdict of a build whose uploads are under way (the record schema has no "running" kind). */
export const RUNNING: S3UploadRecord['verdict'] = {
  kind: 'interrupted',
  memory: null,
  sizes: [],
  slope: null,
  ratio: null,
  counts: {},
  wallMs: 0,
  message: 'running',
};

/** A build's record before its first upload. */
const startingRecord = (record: S3UploadRecord): S3UploadRecord => ({
  ...record,
  status: 'partial',
  uploads: [],
  checks: [],
  verdict: RUNNING,
});

export const s3UploadLive: LiveFeed<S3UploadRecord, S3UploadLiveUpdate> = {
  // The figure reads each upload's rises, not its samples: they would add most of the weight.
  reference: (run) => run.map((r) => ({ ...r, uploads: r.uploads.map((u) => ({ ...u, outsideSamples: [] })) })),

  /**
   * Each build in turn, each upload after its recorded length (uploadMs); the whole record at the
   * build's end, as written. An older complete record starts with the control's length its uploads
   * show (the page's total); its end is still the record as written, never one with that added.
   */
  async replay(records, send, sleep) {
    for (const [index, record] of records.entries()) {
      send({
        type: 'record',
        index,
        record: startingRecord({ ...record, parameters: withControlRepetitions(record) }),
      });
      for (const upload of record.uploads) {
        await sleep(uploadMs(upload));
        send({ type: 'update', index, payload: upload });
      }
      send({ type: 'record', index, record });
    }
  },
};
