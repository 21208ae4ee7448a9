// The S3 upload's values for <Stat>: each a function of one build's record. This scenario runs two
// Rust builds (an affected one and a fixed one), so a build is named by its version in `trial`
// (e.g. trial="1.4.2"); `build` (zig or rust) is accepted where it names a single build of the run.
import type { RunRecord, S3UploadRecord } from '../../../repro/core/record/schema.ts';
import { bytesToMiB, formatInt } from '../../lib/format.ts';
import { latestRun } from '../../lib/runs.ts';
import { lacking, noBuild, type StatQuery, type StatValue } from '../../lib/stat-query.ts';

const MiB = 1024 * 1024;
const signed = (bytes: number) => `${bytes < 0 ? '−' : '+'}${Math.abs(bytesToMiB(bytes)).toFixed(0)} MiB`;

/** The s3-write summary at a payload size, or undefined when that size was not run. */
const writeAt = (r: S3UploadRecord, payloadMiB: number) =>
  r.verdict.sizes.find((s) => s.method === 's3-write' && s.payloadMiB === payloadMiB);

const uploadVerdictWords: Record<S3UploadRecord['verdict']['kind'], string> = {
  'buffers-payload': 'buffers the payload',
  streams: 'streams',
  inconclusive: 'is inconclusive',
  hangs: 'hangs',
  error: 'failed with an error',
  interrupted: 'was interrupted',
};

export function uploadVerdictText(r: S3UploadRecord): string {
  const { kind, memory } = r.verdict;
  return kind === 'hangs' && memory ? `hangs (and ${uploadVerdictWords[memory]})` : uploadVerdictWords[kind];
}

/** The worst fetch-control rise of the record, or null when no control upload was counted. */
function controlMaxBytes(r: S3UploadRecord): number | null {
  const c = r.verdict.sizes.filter((s) => s.method === 'fetch-presigned' && s.maxRiseBytes !== null);
  return c.length ? Math.max(...c.map((s) => s.maxRiseBytes!)) : null;
}

const fixedMetrics = {
  verdict: uploadVerdictText,
  version: (r: S3UploadRecord) => r.runtime.revision,
  ratio: (r: S3UploadRecord) => (r.verdict.ratio === null ? 'not measured' : `×${r.verdict.ratio.toFixed(2)}`),
  slope: (r: S3UploadRecord) =>
    r.verdict.slope === null ? 'not measured' : `${r.verdict.slope.toFixed(2)} MiB per MiB`,
  controlMaxRise: (r: S3UploadRecord) => {
    const b = controlMaxBytes(r);
    return b === null ? 'not measured' : signed(b);
  },
  uploads: (r: S3UploadRecord) => formatInt(r.uploads.length),
  repetitions: (r: S3UploadRecord) => formatInt(r.parameters.repetitions),
  payloads: (r: S3UploadRecord) => `${r.parameters.payloadMiB.map(formatInt).join(' and ')} MiB`,
  wallSeconds: (r: S3UploadRecord) => `${(r.verdict.wallMs / 1000).toFixed(1)} s`,
  memoryCap: (r: S3UploadRecord) => `${formatInt(r.parameters.memoryCapMiB)} MiB (${r.parameters.memoryCap.kind})`,
  // The verdict's thresholds, as the run applied them (parameters.thresholds).
  bufferRatio: (r: S3UploadRecord) => `${r.parameters.thresholds.bufferRatio.toFixed(1)} ×`,
  bufferSlope: (r: S3UploadRecord) => `${r.parameters.thresholds.bufferSlope.toFixed(2)} MiB`,
  ratioMinPayload: (r: S3UploadRecord) => `${formatInt(r.parameters.thresholds.ratioMinPayloadMiB)} MiB`,
  streamBound: (r: S3UploadRecord) => `${formatInt(r.parameters.thresholds.streamBoundMiB)} MiB`,
  streamSlope: (r: S3UploadRecord) => `${r.parameters.thresholds.streamSlope.toFixed(2)} MiB`,
} as const;

/** `rise<MiB>`: the median peak anon rise of the s3-write uploads at that payload, e.g. rise256. */
const SIZED = /^rise(\d+)$/;
const uploadMetricNames = [...Object.keys(fixedMetrics), 'rise<MiB>'];

export function uploadMetric(r: S3UploadRecord, metric: string): StatValue {
  const sized = SIZED.exec(metric);
  if (sized) {
    const s = writeAt(r, Number(sized[1]));
    // A reader's run with other --payload-mib sizes: the page says so, the build goes on.
    if (!s)
      return lacking(
        `needs a ${formatInt(Number(sized[1]))} MiB upload (this run uploaded ${r.parameters.payloadMiB.map(formatInt).join(' and ')} MiB)`,
      );
    return s.medianRiseBytes === null
      ? 'not measured'
      : `${signed(s.medianRiseBytes)} (×${(s.medianRiseBytes / MiB / s.payloadMiB).toFixed(2)} the payload)`;
  }
  const f = fixedMetrics[metric as keyof typeof fixedMetrics];
  if (!f) throw new Error(`<Stat> unknown s3-upload metric "${metric}"; known: ${uploadMetricNames.join(', ')}.`);
  return f(r);
}

/** One build's value from the latest run: the build named by version (trial), or by its line when only one build has it. */
export function uploadStat(all: readonly RunRecord[], q: StatQuery): StatValue {
  const run = latestRun(all, 's3-upload');
  if (run.length === 0) return null;
  let record: S3UploadRecord | undefined;
  if (q.trial !== undefined) record = run.find((r) => r.runtime.version === q.trial);
  else if (q.build === 'zig' || q.build === 'rust') {
    const of = run.filter((r) => r.runtime.line === q.build);
    // A reader's run with --bun flags may hold two builds of a line: which one is then not said.
    if (of.length > 1)
      return lacking(
        `${of.length} ${q.build === 'zig' ? 'Zig' : 'Rust'} builds in this run, and the text names none of them`,
      );
    record = of[0];
  } else throw new Error('<Stat> s3-upload needs trial="<version>" (e.g. "1.4.2") or build="zig".');
  return record ? uploadMetric(record, q.metric) : noBuild(q.trial ?? q.build!);
}
