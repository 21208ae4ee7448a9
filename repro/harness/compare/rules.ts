// The rules that decide whether a rerun reproduces the published run: one place, documented in the
// methodology article, used by `npm run repro -- compare`, `--compare` and the bundles' READMEs.
//
// Each rule compares one measurement of one build (matched by `bun --revision`) and says
//   reproduced     within the rule;
//   differs        outside it;
//   not-comparable the two cannot be compared: other parameters, an incomplete run, a build the
//                  reference lacks, or too few repetitions for the test to ever show a difference.
//
// S3 read leak (tolerances, since a leak's rate is a physical quantity of the build):
//   verdict        the same class: grows (threshold-crossed or oom-killed) or bounded;
//   threshold read a growing build reaches the target RSS within ±25 % of the reference's read;
//   growth         a growing build's growth per read within ±25 % of the reference's;
//   peak           a bounded build's peak RSS under 2× the reference's.
// SQL pool (counts, since a trial's outcome is a distribution):
//   per trial, Fisher's exact test on the outcome counts of the two runs; the p-values of one
//   comparison are Holm-adjusted together, and a trial differs when its adjusted p < 0.05. A trial
//   whose sample sizes could not reach that even with opposite outcomes in every repetition is
//   not comparable ("too few repetitions"), never "reproduced".
import { countVector, countedOf, distributionText } from '../record/sql-outcomes.ts';
import type { S3LeakRecord, SqlPoolRecord, SqlTrial } from '../record/schema.ts';
import { ALPHA, fisherExact, formatP, holm, smallestPossibleP } from '../stats.ts';
import type { CompareRow } from './report.ts';

export const S3_THRESHOLD_TOLERANCE = 0.25;
export const S3_GROWTH_TOLERANCE = 0.25;
export const S3_BOUNDED_PEAK_FACTOR = 2;

type Row = Omit<CompareRow, 'scenario'>;
export type { Row as RuleRow };

const MiB = 2 ** 20;
const formatMiB = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

const notComparable = (build: S3LeakRecord | SqlPoolRecord, item: string, published: string, yours: string, why: string): Row => ({
  build: build.runtime.label,
  revision: build.runtime.revision,
  item,
  published,
  yours,
  rule: why,
  verdict: 'not-comparable',
  counted: null,
  p: null,
  pAdjusted: null,
});

// ---------------------------------------------------------------- s3-leak

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

export function compareS3(yours: S3LeakRecord, reference: S3LeakRecord): Row[] {
  const build = { build: yours.runtime.label, revision: yours.runtime.revision };
  if (s3Parameters(yours) !== s3Parameters(reference)) {
    return [notComparable(yours, 'parameters', s3Parameters(reference), s3Parameters(yours), 'other parameters: rerun with the published ones')];
  }
  if (yours.status !== 'complete' || yours.verdict.kind === 'error' || yours.verdict.kind === 'interrupted') {
    return [notComparable(yours, 'verdict', reference.verdict.kind, `${yours.verdict.kind} (${yours.status})`, 'your run did not complete a measurement')];
  }
  const within = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance * Math.abs(b);
  const row = (item: string, published: string, mine: string, rule: string, ok: boolean): Row => ({
    ...build,
    item,
    published,
    yours: mine,
    rule,
    verdict: ok ? 'reproduced' : 'differs',
    counted: null,
    p: null,
    pAdjusted: null,
  });
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

// ---------------------------------------------------------------- sql-pool

/** What must be equal for two trials to be compared: everything that shapes a repetition. */
function sqlConditions(r: SqlPoolRecord, t: SqlTrial): string {
  const { pool, firstWatchdogMs, followUpWatchdogMs, afterDelayMs, timerDelayMs, timerBoundMs } = r.parameters;
  return JSON.stringify({ pool, firstWatchdogMs, followUpWatchdogMs, afterDelayMs, timerDelayMs, timerBoundMs, pauseMs: t.pauseMs });
}

/** One row per trial the two records share; p-values raw, adjusted later over the whole comparison. */
export function compareSqlTrials(yours: SqlPoolRecord, reference: SqlPoolRecord): Row[] {
  if (yours.status !== 'complete') {
    return [notComparable(yours, 'run', 'complete', yours.status, 'your run did not complete')];
  }
  return yours.trials.map((mine): Row => {
    const ref = reference.trials.find((t) => t.id === mine.id);
    const mineText = distributionText(mine.verdict.counts, mine.verdict.notMet);
    if (!ref) return notComparable(yours, mine.id, 'not run', mineText, 'the published run has no such trial');
    const refText = distributionText(ref.verdict.counts, ref.verdict.notMet);
    if (sqlConditions(yours, mine) !== sqlConditions(reference, ref)) {
      return notComparable(yours, mine.id, refText, mineText, 'other pause, pool options, watchdogs or timing: rerun with the published ones');
    }
    if (countedOf(mine.verdict.counts) === 0 || countedOf(ref.verdict.counts) === 0) {
      return notComparable(yours, mine.id, refText, mineText, 'no counted repetition on one side');
    }
    return {
      build: yours.runtime.label,
      revision: yours.runtime.revision,
      item: mine.id,
      published: refText,
      yours: mineText,
      rule: 'Fisher exact test on the outcome counts, Holm-adjusted; differs at p < 0.05',
      verdict: 'reproduced',
      counted: { published: countedOf(ref.verdict.counts), yours: countedOf(mine.verdict.counts) },
      p: fisherExact(countVector(ref.verdict.counts), countVector(mine.verdict.counts)),
      pAdjusted: null,
    };
  });
}

/**
 * Decides the SQL rows of one comparison together: Holm over every row with a p-value, and "too few
 * repetitions" where even the most extreme outcome could not survive that correction.
 */
export function decideSqlRows<R extends Row>(rows: R[]): R[] {
  const tested = rows.filter((r) => r.p !== null);
  const adjusted = holm(tested.map((r) => r.p!));
  const m = tested.length;
  return rows.map((r) => {
    const i = tested.indexOf(r);
    if (i < 0) return r;
    const { published: nRef, yours: nMine } = r.counted!;
    const best = Math.min(1, smallestPossibleP(nRef, nMine) * m);
    if (best >= ALPHA) {
      return {
        ...r,
        verdict: 'not-comparable',
        pAdjusted: adjusted[i]!,
        rule: `too few repetitions to tell (${nRef} published, ${nMine} yours): even opposite outcomes in every repetition would give ${formatP(best)} over ${m} trials; run more (--repetitions)`,
      };
    }
    return { ...r, pAdjusted: adjusted[i]!, verdict: adjusted[i]! < ALPHA ? 'differs' : 'reproduced' };
  });
}


