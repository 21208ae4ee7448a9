// The S3 read leak's column in the version matrix (/affected/).
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';

/** The S3 read leak (oven-sh/bun#29083): RSS reaches the target under repeated reads. */
export const s3LeakFailure: Failure = {
  id: 's3-leak',
  heading: { wide: 'S3 read leak', narrow: 'S3\nleak' },
  title: 'S3 read leak',
  definition: 'RSS reaches 900 MiB under repeated S3File.arrayBuffer() reads with Bun.gc(true) after each',
  cell(records) {
    const r = completeRecord(records, 's3-leak');
    if (!r) return notRun;
    const { kind, iteration } = r.verdict;
    if (kind === 'threshold-crossed' || kind === 'oom-killed') {
      return { status: 'affected', text: `${kind === 'oom-killed' ? 'killed at the cap' : `crossed ${r.parameters.targetRssMiB} MiB`} at read ${iteration}`, runId: r.runId };
    }
    if (kind === 'bounded') return { status: 'not-affected', text: `bounded over ${iteration} reads`, runId: r.runId };
    return { status: 'inconclusive', text: kind, runId: r.runId };
  },
};
