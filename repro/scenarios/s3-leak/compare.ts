// The S3 read leak's compare rules (see repro/core/compare/rules.ts). Tolerances, since a leak's
// rate is a physical quantity of the build:
//   verdict        the same class: grows (threshold-crossed or oom-killed) or bounded;
//   threshold read a growing build reaches the target RSS within ±25 % of the reference's read;
//   growth         a growing build's growth per read within ±25 % of the reference's;
//   peak           a bounded build's peak RSS under 2× the reference's.
// Every figure is recomputed from the record's samples (verdict.ts measuredFigures); a record whose
// verdict says otherwise, or whose samples are empty or zeroed, is rejected (evidenceMismatch).
import { disagreement, notComparable, ruleRow, type CompareRules, type RuleRow } from '../../core/compare/rules.ts';
import type { S3LeakRecord } from '../../core/record/schema.ts';
import { measuredFigures } from './verdict.ts';

const S3_THRESHOLD_TOLERANCE = 0.25;
const S3_GROWTH_TOLERANCE = 0.25;
const S3_BOUNDED_PEAK_FACTOR = 2;

const MiB = 2 ** 20;
const formatMiB = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

const growsClass = (r: S3LeakRecord) =>
  r.verdict.kind === 'threshold-crossed' || r.verdict.kind === 'oom-killed' ? 'grows' : r.verdict.kind;

/** The read at which RSS first reached the target (the probe's own samples), else the last read sampled. */
export function thresholdRead(r: S3LeakRecord): number {
  const target = r.parameters.targetRssMiB * MiB;
  return r.samples.find((s) => s.rss >= target)?.iteration ?? r.samples.at(-1)?.iteration ?? 0;
}

/** What the record's samples say, whatever its verdict says. */
function s3Evidence(r: S3LeakRecord) {
  const target = r.parameters.targetRssMiB * MiB;
  return {
    ...measuredFigures(r.samples, r.outsideSamples, r.baselineAtOutsideMs),
    thresholdRead: thresholdRead(r),
    crossed: r.samples.some((s) => s.rss >= target),
    reads: r.samples.filter((s) => s.iteration > 0).length,
  };
}

/** Floats recomputed from the same samples are equal; the margin only absorbs a last-bit difference. */
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function s3EvidenceMismatch(r: S3LeakRecord): string | null {
  // A running probe always has a resident set: a zero is not a reading, whatever the summary says.
  const zero = r.samples.findIndex((s) => s.rss === 0);
  if (zero >= 0) return `samples.${zero}.rss is 0, which no running probe reports`;
  const zeroOutside = r.outsideSamples.findIndex((s) => s.vmRss === 0);
  if (zeroOutside >= 0) return `outsideSamples.${zeroOutside}.vmRss is 0, which no running probe shows`;
  const e = s3Evidence(r);
  const v = r.verdict;
  const from = 'the samples';
  if (v.iteration !== e.iteration) return disagreement('verdict.iteration', v.iteration, e.iteration, from);
  if (v.baselineRssBytes !== e.baselineRssBytes)
    return disagreement('verdict.baselineRssBytes', formatMiB(v.baselineRssBytes), formatMiB(e.baselineRssBytes), from);
  if (v.peakRssBytes !== e.peakRssBytes)
    return disagreement('verdict.peakRssBytes', formatMiB(v.peakRssBytes), formatMiB(e.peakRssBytes), from);
  if (!same(v.growthMiBPerIteration, e.growthMiBPerIteration)) {
    return disagreement(
      'verdict.growthMiBPerIteration',
      `${v.growthMiBPerIteration} MiB`,
      `${e.growthMiBPerIteration} MiB`,
      from,
    );
  }
  if (v.kind === 'threshold-crossed' && !e.crossed)
    return disagreement('verdict.kind', v.kind, `no sample at the ${r.parameters.targetRssMiB} MiB target`, from);
  if (v.kind === 'bounded' && e.crossed)
    return disagreement('verdict.kind', v.kind, `a sample at the ${r.parameters.targetRssMiB} MiB target`, from);
  // Bounded means all the reads asked for, or the quick protocol's projection after the reads it names.
  const readsNeeded = v.projection?.reads ?? r.parameters.maxIterations;
  if (v.kind === 'bounded' && e.iteration < readsNeeded)
    return disagreement('verdict.kind', `${v.kind} (after ${readsNeeded} reads)`, `${e.iteration} reads`, from);
  return null;
}

function s3Parameters(r: S3LeakRecord) {
  const { payloadMiB, targetRssMiB, maxIterations } = r.parameters;
  return `payload ${payloadMiB} MiB, target ${targetRssMiB} MiB, at most ${maxIterations} reads`;
}

function compareS3(yours: S3LeakRecord, reference: S3LeakRecord): RuleRow[] {
  if (s3Parameters(yours) !== s3Parameters(reference)) {
    return [
      notComparable(
        yours,
        'parameters',
        s3Parameters(reference),
        s3Parameters(yours),
        'other parameters: rerun with the published ones',
      ),
    ];
  }
  if (yours.status !== 'complete' || yours.verdict.kind === 'error' || yours.verdict.kind === 'interrupted') {
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
  const within = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.abs(b);
  const row = (item: string, published: string, mine: string, rule: string, ok: boolean) =>
    ruleRow(yours, item, published, mine, rule, ok);
  const [mine, ref] = [s3Evidence(yours), s3Evidence(reference)];
  if (mine.reads === 0 || ref.reads === 0) {
    return [
      notComparable(
        yours,
        'reads',
        `${ref.reads} sampled`,
        `${mine.reads} sampled`,
        'no read was sampled: nothing was measured',
      ),
    ];
  }
  const [mineClass, refClass] = [growsClass(yours), growsClass(reference)];
  const rows = [
    row(
      'verdict',
      reference.verdict.kind,
      yours.verdict.kind,
      'the same class: grows (threshold-crossed, oom-killed) or bounded',
      mineClass === refClass,
    ),
  ];
  if (mineClass !== refClass) return rows;
  if (refClass === 'grows') {
    rows.push(
      row(
        'threshold read',
        `read ${ref.thresholdRead}`,
        `read ${mine.thresholdRead}`,
        `within ±${S3_THRESHOLD_TOLERANCE * 100} % of the published read`,
        within(mine.thresholdRead, ref.thresholdRead, S3_THRESHOLD_TOLERANCE),
      ),
    );
    const [g, gRef] = [mine.growthMiBPerIteration, ref.growthMiBPerIteration];
    rows.push(
      row(
        'growth per read',
        `${gRef.toFixed(2)} MiB`,
        `${g.toFixed(2)} MiB`,
        `within ±${S3_GROWTH_TOLERANCE * 100} % of the published growth`,
        within(g, gRef, S3_GROWTH_TOLERANCE),
      ),
    );
  } else {
    const [peak, peakRef] = [mine.peakRssBytes, ref.peakRssBytes];
    rows.push(
      row(
        'peak RSS',
        formatMiB(peakRef),
        formatMiB(peak),
        `under ${S3_BOUNDED_PEAK_FACTOR}× the published peak`,
        peak < S3_BOUNDED_PEAK_FACTOR * peakRef,
      ),
    );
  }
  return rows;
}

export const s3CompareRules: CompareRules<S3LeakRecord> = { compare: compareS3, evidenceMismatch: s3EvidenceMismatch };
