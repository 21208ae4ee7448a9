// The S3 upload's compare rules (see repro/core/compare/rules.ts):
//   verdict  the same class (buffers-payload, streams, inconclusive, hangs, error); a build that hangs
//            is also compared on the memory class of its counted uploads;
//   ratio    for a build that buffers the payload: the median peak anon rise over the payload, at each
//            size, within ±25 % of the published one (the research: ×1.71–1.78 at 256 MiB across four
//            affected builds and two days, ×2.60–2.69 at 64 MiB);
//   peak     for a build that streams: the median rise at each size under 2× the published one (the
//            floor is parts in flight, 68–110 MiB, and moves with the machine's load).
// Every figure is recomputed from the uploads' own outside samples and baselines (the rises), then
// through the verdict's own code (verdict.ts decideVerdict); a record whose summary says otherwise is
// rejected (evidenceMismatch).
import { disagreement, notComparable, ruleRow, type CompareRules, type RuleRow } from '../../core/compare/rules.ts';
import type { S3Upload, S3UploadRecord } from '../../core/record/schema.ts';
import { decideVerdict } from './verdict.ts';

const UPLOAD_RATIO_TOLERANCE = 0.25;
const UPLOAD_STREAMS_PEAK_FACTOR = 2;

const MiB = 2 ** 20;

function parametersText(r: S3UploadRecord): string {
  const p = r.parameters;
  const t = p.thresholds;
  return (
    `payloads ${p.payloadMiB.join(', ')} MiB, methods ${p.methods.join(', ')}, ` +
    `thresholds ×${t.bufferRatio} from ${t.ratioMinPayloadMiB} MiB, slope ${t.bufferSlope}/${t.streamSlope}, bound ${t.streamBoundMiB} MiB`
  );
}

/** The highest value the outside sampler saw during the upload, above the baseline; null without either. */
function riseOf(u: S3Upload, field: 'rssAnon' | 'vmRss'): number | null {
  if (u.baseline === null || u.outsideSamples.length === 0) return null;
  // As run-upload.ts computes it: a loop, from 0.
  let peak = 0;
  for (const x of u.outsideSamples) peak = Math.max(peak, x[field]);
  return peak - u.baseline[field];
}

/** The uploads as their samples have them, and the verdict the scenario's own code gives them. */
function uploadEvidence(r: S3UploadRecord) {
  const uploads = r.uploads.map((u) => ({
    ...u,
    peakAnonRiseBytes: riseOf(u, 'rssAnon'),
    peakVmRssRiseBytes: riseOf(u, 'vmRss'),
  }));
  return {
    uploads,
    verdict: decideVerdict(uploads, r.parameters.payloadMiB, r.parameters.thresholds, r.verdict.wallMs),
  };
}

const mib = (bytes: number | null) => (bytes === null ? 'none' : `${(bytes / MiB).toFixed(1)} MiB`);
const json = (value: unknown) => JSON.stringify(value ?? null);

export function uploadEvidenceMismatch(r: S3UploadRecord): string | null {
  for (const [i, u] of r.uploads.entries()) {
    // A running probe always has a resident set and anonymous memory: a zero is not a reading.
    if (u.baseline && (u.baseline.vmRss === 0 || u.baseline.rssAnon === 0))
      return `uploads.${i}.baseline is zero, which no running probe reports`;
    const zero = u.outsideSamples.findIndex((x) => x.vmRss === 0 || x.rssAnon === 0);
    if (zero >= 0) return `uploads.${i}.outsideSamples.${zero} is zero, which no running probe shows`;
  }
  const e = uploadEvidence(r);
  const from = 'the outside samples';
  for (const [i, u] of r.uploads.entries()) {
    const mine = e.uploads[i]!;
    if (u.peakAnonRiseBytes !== mine.peakAnonRiseBytes)
      return disagreement(
        `uploads.${i}.peakAnonRiseBytes`,
        mib(u.peakAnonRiseBytes),
        mib(mine.peakAnonRiseBytes),
        from,
      );
    if (u.peakVmRssRiseBytes !== mine.peakVmRssRiseBytes)
      return disagreement(
        `uploads.${i}.peakVmRssRiseBytes`,
        mib(u.peakVmRssRiseBytes),
        mib(mine.peakVmRssRiseBytes),
        from,
      );
  }
  const [v, ev] = [r.verdict, e.verdict];
  const fromUploads = 'the uploads';
  for (const field of ['kind', 'memory', 'slope', 'ratio'] as const) {
    if (v[field] !== ev[field]) return disagreement(`verdict.${field}`, json(v[field]), json(ev[field]), fromUploads);
  }
  if (json(v.sizes) !== json(ev.sizes))
    return disagreement('verdict.sizes', json(v.sizes), json(ev.sizes), fromUploads);
  const counts = (c: S3UploadRecord['verdict']['counts']) =>
    json(
      Object.fromEntries(
        Object.entries(c)
          .filter(([, n]) => n)
          .sort(),
      ),
    );
  if (counts(v.counts) !== counts(ev.counts))
    return disagreement('verdict.counts', counts(v.counts), counts(ev.counts), fromUploads);
  return null;
}

const classOf = (v: S3UploadRecord['verdict']) =>
  v.kind === 'hangs' ? `hangs (memory: ${v.memory ?? 'none counted'})` : v.kind;

export function compareUpload(yours: S3UploadRecord, reference: S3UploadRecord): RuleRow[] {
  if (parametersText(yours) !== parametersText(reference)) {
    return [
      notComparable(
        yours,
        'parameters',
        parametersText(reference),
        parametersText(yours),
        'other parameters: rerun with the published ones',
      ),
    ];
  }
  if (yours.status !== 'complete' || yours.verdict.kind === 'interrupted') {
    return [
      notComparable(
        yours,
        'verdict',
        reference.verdict.kind,
        `${yours.verdict.kind} (${yours.status})`,
        'your run did not complete a measurement',
      ),
    ];
  }
  const row = (item: string, published: string, mine: string, rule: string, ok: boolean) =>
    ruleRow(yours, item, published, mine, rule, ok);
  const [mineVerdict, refVerdict] = [uploadEvidence(yours).verdict, uploadEvidence(reference).verdict];
  // A class with nothing behind it is no measurement: an s3-write upload counted, or one that hung.
  const counted = (v: S3UploadRecord['verdict']) =>
    v.sizes.filter((x) => x.method === 's3-write').reduce((n, x) => n + x.counted, 0);
  const measured = (r: S3UploadRecord, v: S3UploadRecord['verdict']) =>
    counted(v) > 0 || r.uploads.some((u) => u.outcome === 'hangs');
  if (!measured(yours, mineVerdict) || !measured(reference, refVerdict)) {
    return [
      notComparable(
        yours,
        'uploads',
        `${counted(refVerdict)} counted`,
        `${counted(mineVerdict)} counted`,
        'no s3-write upload was counted or hung: nothing was measured',
      ),
    ];
  }
  const rows = [
    row(
      'verdict',
      classOf(refVerdict),
      classOf(mineVerdict),
      'the same class (for hangs, also the memory class of the counted uploads)',
      classOf(mineVerdict) === classOf(refVerdict),
    ),
  ];
  if (classOf(mineVerdict) !== classOf(refVerdict)) return rows;
  const memory = refVerdict.memory;
  for (const ref of refVerdict.sizes.filter((s) => s.method === 's3-write' && s.medianRiseBytes !== null)) {
    const mine = mineVerdict.sizes.find((s) => s.method === 's3-write' && s.payloadMiB === ref.payloadMiB);
    const item = `rise at ${ref.payloadMiB} MiB`;
    if (!mine || mine.medianRiseBytes === null) {
      rows.push(
        notComparable(
          yours,
          item,
          `${(ref.medianRiseBytes! / MiB).toFixed(0)} MiB`,
          'none counted',
          'no counted s3-write upload at this size',
        ),
      );
      continue;
    }
    const [m, r] = [mine.medianRiseBytes / MiB, ref.medianRiseBytes! / MiB];
    if (memory === 'buffers-payload') {
      const [ratio, refRatio] = [m / ref.payloadMiB, r / ref.payloadMiB];
      rows.push(
        row(
          `rise ratio at ${ref.payloadMiB} MiB`,
          `×${refRatio.toFixed(2)}`,
          `×${ratio.toFixed(2)}`,
          `within ±${UPLOAD_RATIO_TOLERANCE * 100} % of the published ratio`,
          Math.abs(ratio - refRatio) <= UPLOAD_RATIO_TOLERANCE * Math.abs(refRatio),
        ),
      );
    } else if (memory === 'streams') {
      rows.push(
        row(
          item,
          `${r.toFixed(0)} MiB`,
          `${m.toFixed(0)} MiB`,
          `under ${UPLOAD_STREAMS_PEAK_FACTOR}× the published median rise`,
          m < UPLOAD_STREAMS_PEAK_FACTOR * Math.max(r, 1),
        ),
      );
    }
  }
  return rows;
}

export const uploadCompareRules: CompareRules<S3UploadRecord> = {
  compare: compareUpload,
  evidenceMismatch: uploadEvidenceMismatch,
};
