// The S3 read leak's compare rules (see repro/harness/compare/rules.ts). Tolerances, since a leak's
// rate is a physical quantity of the build:
//   verdict        the same class: grows (threshold-crossed or oom-killed) or bounded;
//   threshold read a growing build reaches the target RSS within ±25 % of the reference's read;
//   growth         a growing build's growth per read within ±25 % of the reference's;
//   peak           a bounded build's peak RSS under 2× the reference's.
import { notComparable, ruleRow, type CompareRules, type RuleRow } from '../../harness/compare/rules.ts';
import type { S3LeakRecord } from '../../harness/record/schema.ts';

export const S3_THRESHOLD_TOLERANCE = 0.25;
export const S3_GROWTH_TOLERANCE = 0.25;
export const S3_BOUNDED_PEAK_FACTOR = 2;

const MiB = 2 ** 20;
const formatMiB = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

const growsClass = (r: S3LeakRecord) => (r.verdict.kind === 'threshold-crossed' || r.verdict.kind === 'oom-killed' ? 'grows' : r.verdict.kind);

/** The read at which RSS first reached the target (the probe's own samples), else the last read. */
export function thresholdRead(r: S3LeakRecord): number {
  const target = r.parameters.targetRssMiB * MiB;
  return r.samples.find((s) => s.rss >= target)?.iteration ?? r.verdict.iteration;
}

function s3Parameters(r: S3LeakRecord) {
  const { payloadMiB, targetRssMiB, maxIterations } = r.parameters;
  return `payload ${payloadMiB} MiB, target ${targetRssMiB} MiB, at most ${maxIterations} reads`;
}

export function compareS3(yours: S3LeakRecord, reference: S3LeakRecord): RuleRow[] {
  if (s3Parameters(yours) !== s3Parameters(reference)) {
    return [notComparable(yours, 'parameters', s3Parameters(reference), s3Parameters(yours), 'other parameters: rerun with the published ones')];
  }
  if (yours.status !== 'complete' || yours.verdict.kind === 'error' || yours.verdict.kind === 'interrupted') {
    return [notComparable(yours, 'verdict', reference.verdict.kind, `${yours.verdict.kind} (${yours.status})`, 'your run did not complete a measurement')];
  }
  const within = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.abs(b);
  const row = (item: string, published: string, mine: string, rule: string, ok: boolean) => ruleRow(yours, item, published, mine, rule, ok);
  const [mineClass, refClass] = [growsClass(yours), growsClass(reference)];
  const rows = [row('verdict', reference.verdict.kind, yours.verdict.kind, 'the same class: grows (threshold-crossed, oom-killed) or bounded', mineClass === refClass)];
  if (mineClass !== refClass) return rows;
  if (refClass === 'grows') {
    const [mine, ref] = [thresholdRead(yours), thresholdRead(reference)];
    rows.push(row('threshold read', `read ${ref}`, `read ${mine}`, `within ±${S3_THRESHOLD_TOLERANCE * 100} % of the published read`, within(mine, ref, S3_THRESHOLD_TOLERANCE)));
    const [g, gRef] = [yours.verdict.growthMiBPerIteration, reference.verdict.growthMiBPerIteration];
    rows.push(row('growth per read', `${gRef.toFixed(2)} MiB`, `${g.toFixed(2)} MiB`, `within ±${S3_GROWTH_TOLERANCE * 100} % of the published growth`, within(g, gRef, S3_GROWTH_TOLERANCE)));
  } else {
    const [peak, peakRef] = [yours.verdict.peakRssBytes, reference.verdict.peakRssBytes];
    rows.push(row('peak RSS', formatMiB(peakRef), formatMiB(peak), `under ${S3_BOUNDED_PEAK_FACTOR}× the published peak`, peak < S3_BOUNDED_PEAK_FACTOR * peakRef));
  }
  return rows;
}

export const s3CompareRules: CompareRules<S3LeakRecord> = { compare: compareS3 };
