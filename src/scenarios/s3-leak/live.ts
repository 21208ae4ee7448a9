// The s3-leak run on the live page: s3-rss read by read, with the published run faint behind it up to
// the same read. The harness sends each probe sample (repro/scenarios/s3-leak/live.ts).
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import type { S3LeakLiveUpdate } from '../../../repro/scenarios/s3-leak/live.ts';
import type { LiveView } from '../types.ts';
import { s3Rss } from './figures/s3-rss.ts';

const reading = (builds: readonly S3LeakRecord[]) => builds.filter((r) => r.samples.length > 0);

export const s3LeakLive: LiveView<S3LeakRecord, S3LeakLiveUpdate> = {
  start: (record) => record,
  fold(record, sample) {
    record.samples.push(sample);
    // The figure rings each build's peak: until the verdict, the highest sample so far.
    if (sample.rss > record.verdict.peakRssBytes) record.verdict.peakRssBytes = sample.rss;
    return record;
  },
  figures: [
    {
      figure: s3Rss,
      records: reading,
      reference(published, builds) {
        const lastRead = Math.max(1, ...reading(builds).map((r) => r.samples.at(-1)!.iteration));
        return published.flatMap((r) =>
          r.scenario === 's3-leak' ? [{ ...r, samples: r.samples.filter((s) => s.iteration <= lastRead) }] : [],
        );
      },
    },
  ],
  progress(r) {
    const first = r.samples[0];
    const last = r.samples.at(-1);
    if (!first || !last) return { text: 'starting', left: null, msPerUnit: null };
    const total = r.parameters.maxIterations;
    // The build's whole record has come: it stopped where its verdict says, maybe well before the bound.
    if (r.status !== 'partial')
      return { text: `stopped at read ${last.iteration} of at most ${total}`, left: null, msPerUnit: null };
    const reads = last.iteration - first.iteration;
    return {
      text: `read ${last.iteration} of ${total}`,
      // At most: a leaking build stops at the threshold, before the bound.
      left: total - last.iteration,
      msPerUnit: reads > 0 ? (last.elapsedMs - first.elapsedMs) / reads : null,
    };
  },
};
