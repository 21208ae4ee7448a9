// The S3 upload's compare rules (see repro/harness/compare/rules.ts):
//   verdict  the same class (buffers-payload, streams, inconclusive, hangs, error); a build that hangs
//            is also compared on the memory class of its counted uploads;
//   ratio    for a build that buffers the payload: the median peak anon rise over the payload, at each
//            size, within ±25 % of the published one (the research: ×1.71–1.78 at 256 MiB across four
//            affected builds and two days, ×2.60–2.69 at 64 MiB);
//   peak     for a build that streams: the median rise at each size under 2× the published one (the
//            floor is parts in flight, 68–110 MiB, and moves with the machine's load).
import { notComparable, ruleRow, type CompareRules, type RuleRow } from '../../harness/compare/rules.ts';
import type { S3UploadRecord } from '../../harness/record/schema.ts';

export const UPLOAD_RATIO_TOLERANCE = 0.25;
export const UPLOAD_STREAMS_PEAK_FACTOR = 2;

const MiB = 2 ** 20;

function parametersText(r: S3UploadRecord): string {
  const p = r.parameters;
  const t = p.thresholds;
  return (
    `payloads ${p.payloadMiB.join(', ')} MiB, methods ${p.methods.join(', ')}, ` +
    `thresholds ×${t.bufferRatio} from ${t.ratioMinPayloadMiB} MiB, slope ${t.bufferSlope}/${t.streamSlope}, bound ${t.streamBoundMiB} MiB`
  );
}

const classOf = (r: S3UploadRecord) => (r.verdict.kind === 'hangs' ? `hangs (memory: ${r.verdict.memory ?? 'none counted'})` : r.verdict.kind);

export function compareUpload(yours: S3UploadRecord, reference: S3UploadRecord): RuleRow[] {
  if (parametersText(yours) !== parametersText(reference)) {
    return [notComparable(yours, 'parameters', parametersText(reference), parametersText(yours), 'other parameters: rerun with the published ones')];
  }
  if (yours.status !== 'complete' || yours.verdict.kind === 'interrupted') {
    return [notComparable(yours, 'verdict', reference.verdict.kind, `${yours.verdict.kind} (${yours.status})`, 'your run did not complete a measurement')];
  }
  const row = (item: string, published: string, mine: string, rule: string, ok: boolean) => ruleRow(yours, item, published, mine, rule, ok);
  const rows = [row('verdict', classOf(reference), classOf(yours), 'the same class (for hangs, also the memory class of the counted uploads)', classOf(yours) === classOf(reference))];
  if (classOf(yours) !== classOf(reference)) return rows;
  const memory = reference.verdict.memory;
  for (const ref of reference.verdict.sizes.filter((s) => s.method === 's3-write' && s.medianRiseBytes !== null)) {
    const mine = yours.verdict.sizes.find((s) => s.method === 's3-write' && s.payloadMiB === ref.payloadMiB);
    const item = `rise at ${ref.payloadMiB} MiB`;
    if (!mine || mine.medianRiseBytes === null) {
      rows.push(notComparable(yours, item, `${(ref.medianRiseBytes! / MiB).toFixed(0)} MiB`, 'none counted', 'no counted s3-write upload at this size'));
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
      rows.push(row(item, `${r.toFixed(0)} MiB`, `${m.toFixed(0)} MiB`, `under ${UPLOAD_STREAMS_PEAK_FACTOR}× the published median rise`, m < UPLOAD_STREAMS_PEAK_FACTOR * Math.max(r, 1)));
    }
  }
  return rows;
}

export const uploadCompareRules: CompareRules<S3UploadRecord> = { compare: compareUpload };
