// What a SQL trial's counts say, as pure functions of the record: the distribution of outcomes over
// the counted repetitions, its most frequent outcome, a one-line description with a 95 % interval,
// and whether two builds differ by the exact test, adjusted over the trials compared. Shared by the
// harness's table, `compare` and the site.
import { formatInterval, formatP, fisherExact, holm, smallestPossibleP, ALPHA, wilson } from '../../core/stats.ts';
import type { SqlOutcome, SqlTrial } from '../../core/record/schema.ts';

export type OutcomeCounts = Partial<Record<SqlOutcome, number>>;

/** Worst first: ties in a trial's distribution go to the worse outcome. */
export const OUTCOME_SEVERITY: readonly SqlOutcome[] = ['hangs', 'corrupted', 'fails-fast', 'recovers'];

/** The counts as a vector over every outcome, in OUTCOME_SEVERITY order: what the exact test takes. */
export function countVector(counts: OutcomeCounts): number[] {
  return OUTCOME_SEVERITY.map((k) => counts[k] ?? 0);
}

/** How many repetitions were counted. */
export function countedOf(counts: OutcomeCounts): number {
  return OUTCOME_SEVERITY.reduce((s, k) => s + (counts[k] ?? 0), 0);
}

/** The most frequent outcome; a tie goes to the worse one. Undefined when nothing was counted. */
export function modalOutcome(counts: OutcomeCounts): SqlOutcome | undefined {
  let best: SqlOutcome | undefined;
  for (const k of OUTCOME_SEVERITY)
    if ((counts[k] ?? 0) > 0 && (best === undefined || counts[k]! > counts[best]!)) best = k;
  return best;
}

/**
 * "corrupted 9/10 (60–98 %), recovers 1 · 2 not met": the most frequent outcome with its count and
 * 95 % Wilson interval, the rest of the distribution, and the attempts that did not meet their condition.
 */
export function distributionText(counts: OutcomeCounts, notMet: number): string {
  const n = countedOf(counts);
  const kind = modalOutcome(counts);
  const notMetText = notMet > 0 ? ` · ${notMet} not met` : '';
  if (kind === undefined) return `none counted${notMetText}`;
  const others = OUTCOME_SEVERITY.filter((k) => k !== kind && counts[k]).map((k) => `${k} ${counts[k]}`);
  const interval = n > 1 ? ` (${formatInterval(wilson(counts[kind]!, n))})` : '';
  return `${kind} ${counts[kind]}/${n}${interval}${others.length ? `, ${others.join(', ')}` : ''}${notMetText}`;
}

export interface BuildDifference {
  /** Two-sided p of Fisher's exact test on the two builds' outcome counts; null when a side counted nothing. */
  p: number | null;
  /** p after Holm's adjustment over the family: every trial of the comparison with a p. */
  pAdjusted: number | null;
  /** How many trials the family holds. */
  family: number;
  /**
   * different: adjusted p < ALPHA. suggestive: raw p < ALPHA, but not after the adjustment.
   * cannot-tell: a side counted nothing, or even opposite outcomes in every repetition could not reach ALPHA.
   */
  verdict: 'different' | 'suggestive' | 'not-shown-different' | 'cannot-tell';
}

/**
 * Whether two builds' outcomes differ, trial by trial, over every trial both records hold: Fisher's
 * exact test on each, Holm-adjusted over the family of trials with counted repetitions on both sides,
 * since calling the builds different on any one of many trials would otherwise happen by chance.
 */
export function buildsDiffer(
  a: readonly Pick<SqlTrial, 'id' | 'verdict'>[],
  b: readonly Pick<SqlTrial, 'id' | 'verdict'>[],
): Map<string, BuildDifference> {
  const pairs = a.flatMap((ta) => {
    const tb = b.find((t) => t.id === ta.id);
    return tb ? [{ id: ta.id, na: countedOf(ta.verdict.counts), nb: countedOf(tb.verdict.counts), ta, tb }] : [];
  });
  const tested = pairs
    .filter((x) => x.na > 0 && x.nb > 0)
    .map((x) => ({ ...x, p: fisherExact(countVector(x.ta.verdict.counts), countVector(x.tb.verdict.counts)) }));
  const adjusted = holm(tested.map((x) => x.p));
  const family = tested.length;
  return new Map(
    pairs.map(({ id, na, nb }): [string, BuildDifference] => {
      const i = tested.findIndex((x) => x.id === id);
      if (i < 0) return [id, { p: null, pAdjusted: null, family, verdict: 'cannot-tell' }];
      const { p } = tested[i]!;
      const pAdjusted = adjusted[i]!;
      const verdict =
        smallestPossibleP(na, nb) >= ALPHA
          ? 'cannot-tell'
          : pAdjusted < ALPHA
            ? 'different'
            : p < ALPHA
              ? 'suggestive'
              : 'not-shown-different';
      return [id, { p, pAdjusted, family, verdict }];
    }),
  );
}

/** "different (Fisher's exact test, p = 0.0001; Holm-adjusted over 17 trials, p = 0.002)", and the other verdicts alike. */
export function differenceText(d: BuildDifference): string {
  if (d.verdict === 'cannot-tell') return 'too few repetitions to tell';
  const test = `Fisher's exact test, ${formatP(d.p!)}; Holm-adjusted over ${d.family} trial${d.family === 1 ? '' : 's'}, ${formatP(d.pAdjusted!)}`;
  if (d.verdict === 'different') return `different (${test})`;
  if (d.verdict === 'suggestive') return `suggestive, not significant after adjustment (${test})`;
  return `not shown to differ (${test})`;
}
