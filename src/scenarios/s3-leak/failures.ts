// The S3 read leak's column in the version matrix (/affected/), and its entry in the catalogue (/failures/s3-leak/).
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';

/** The S3 read leak (oven-sh/bun#29083): RSS reaches the target under repeated reads. */
export const s3LeakFailure: Failure = {
  id: 's3-leak',
  heading: { wide: 'S3 read leak', narrow: 'S3\nleak' },
  title: 'S3 read leak',
  definition: 'RSS reaches 900 MiB under repeated S3File.arrayBuffer() reads with Bun.gc(true) after each',
  kind: 'leak',
  issue: {
    number: 29083,
    title: 'Bun.S3File.arrayBuffer() retains RSS and reaches OOM in a 1 GiB Linux container despite forced GC',
    reported: '1.3.11; 1.3.14 in Prisma’s follow-up',
  },
  fix: {
    pr: 29923,
    status: 'closed',
    note: 'one of three pull requests proposing the fix; all three closed without a merge as last seen',
  },
  keyFigure: { label: 'RSS growth per read (least squares)', unit: 'MiB' },
  probe: 'repro/scenarios/s3-leak/probe.ts',
  rerun: 'npm run repro -- s3-leak --bun <version> --quick',
  article: 's3-read-leak',
  cell(records) {
    const r = completeRecord(records, 's3-leak');
    if (!r) return notRun;
    const { kind, iteration, growthMiBPerIteration } = r.verdict;
    const base = { runId: r.runId, figure: growthMiBPerIteration };
    if (kind === 'threshold-crossed' || kind === 'oom-killed') {
      return {
        ...base,
        status: 'affected',
        text: `${kind === 'oom-killed' ? 'killed at the cap' : `crossed ${r.parameters.targetRssMiB} MiB`} at read ${iteration}`,
      };
    }
    if (kind === 'bounded') return { ...base, status: 'not-affected', text: `bounded over ${iteration} reads` };
    return { ...base, status: 'inconclusive', text: kind, figure: null };
  },
};
