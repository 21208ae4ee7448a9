// The S3 upload's column in the version matrix (/affected/).
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';

const MiB = 1024 * 1024;

/** oven-sh/bun#42722: Bun.write(s3file, Bun.file()) holds the payload in memory while it uploads. */
export const uploadBuffersFailure: Failure = {
  id: 's3-upload',
  heading: { wide: 'S3 upload buffers', narrow: 'S3\nupload' },
  title: 'S3 upload buffers the payload',
  definition:
    'Bun.write(s3file, Bun.file()) raises anonymous RSS by at least the payload at 256 MiB, growing with the payload',
  kind: 'memory',
  issue: { number: 42722, title: 'S3 uploads read the whole payload into memory', reported: '1.4.2 and 1.4.0' },
  fix: { pr: 42731, status: 'merged', note: 'drops the consumed prefix of the multipart stream buffer' },
  keyFigure: { label: 'RssAnon rise at the largest payload, × the payload', unit: '×', threshold: 1 },
  probe: 'repro/scenarios/s3-upload/probe.ts',
  rerun: 'npm run repro -- s3-upload --bun <version> --repetitions 2 --control-payload-mib 64 --control-repetitions 1',
  article: 's3-upload-regression',
  cell(records) {
    const r = completeRecord(records, 's3-upload');
    if (!r) return notRun;
    const { kind, memory, ratio } = r.verdict;
    const large = Math.max(...r.parameters.payloadMiB);
    const at = r.verdict.sizes.find((s) => s.method === 's3-write' && s.payloadMiB === large);
    // Worded to start with a letter: a CSV cell starting with + is quoted against formula injection.
    const rise =
      at?.medianRiseBytes != null
        ? `rise of ${Math.round(at.medianRiseBytes / MiB)} MiB at ${large} MiB (×${ratio!.toFixed(2)})`
        : '';
    const hangs = kind === 'hangs' ? `; ${r.verdict.counts.hangs ?? 0} of ${r.uploads.length} uploads hung` : '';
    const base = { runId: r.runId, figure: ratio };
    if (memory === 'buffers-payload') return { ...base, status: 'affected', text: `${rise}${hangs}` };
    if (memory === 'streams')
      return { ...base, status: kind === 'hangs' ? 'inconclusive' : 'not-affected', text: `bounded, ${rise}${hangs}` };
    return { ...base, status: 'inconclusive', text: `${kind}${rise ? `, ${rise}` : ''}${hangs}` };
  },
};
