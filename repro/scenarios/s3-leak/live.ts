// What the s3-leak scenario sends the live page (--live, --replay): each build's record, empty at its
// start and whole at its end, and between them every probe sample as it comes. The page folds them
// (src/scenarios/s3-leak/live.ts) and draws s3-rss read by read over the published run's first reads.
import type { S3LeakRecord, S3Sample } from '../../core/record/schema.ts';
import type { LiveFeed } from '../../harness/scenario.ts';

/** One probe sample of the build, appended to its record. */
export type S3LeakLiveUpdate = S3Sample;

/** The record of a build that has not read yet: what the page draws from until its first sample. */
function startingRecord(record: S3LeakRecord): S3LeakRecord {
  const peak = record.samples[0]?.rss ?? 0;
  return {
    ...record,
    status: 'partial',
    samples: [],
    outsideSamples: [],
    verdict: { ...record.verdict, peakRssBytes: peak },
  };
}

export const s3LeakLive: LiveFeed<S3LeakRecord, S3LeakLiveUpdate> = {
  // Only the probe's samples are drawn behind: the outside samples would add most of the weight.
  reference: (run) => run.map((r) => ({ ...r, outsideSamples: [] })),

  /** Each build in turn, sample by sample at the recorded times; the whole record at its end. */
  async replay(records, send, sleep) {
    for (const [index, record] of records.entries()) {
      send({ type: 'record', index, record: startingRecord(record) });
      let t = record.samples[0]?.elapsedMs ?? 0;
      for (const sample of record.samples) {
        await sleep(sample.elapsedMs - t);
        t = sample.elapsedMs;
        send({ type: 'update', index, payload: sample });
      }
      send({ type: 'record', index, record });
    }
  },
};
