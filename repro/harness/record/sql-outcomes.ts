// What a SQL trial's counts say, as pure functions of the record: the distribution of outcomes over
// the counted repetitions, its most frequent outcome, a one-line description with a 95 % interval,
// and whether two builds differ by the exact test. Shared by the harness's table, `compare` and the site.
import { formatInterval, fisherExact, smallestPossibleP, ALPHA, wilson } from '../stats.ts';
import type { SqlOutcome, SqlTrial } from './schema.ts';

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
  for (const k of OUTCOME_SEVERITY) if ((counts[k] ?? 0) > 0 && (best === undefined || counts[k]! > counts[best]!)) best = k;
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
  /** Two-sided p of Fisher's exact test on the two builds' outcome counts; null when not comparable. */
  p: number | null;
  /** 'different' when p < ALPHA; 'cannot-tell' when even opposite outcomes in every repetition could not reach it. */
  verdict: 'different' | 'not-shown-different' | 'cannot-tell';
}

/** Whether two builds' outcomes on one trial differ, by Fisher's exact test at ALPHA. */
export function buildsDiffer(a: Pick<SqlTrial, 'verdict'>, b: Pick<SqlTrial, 'verdict'>): BuildDifference {
  const [na, nb] = [countedOf(a.verdict.counts), countedOf(b.verdict.counts)];
  if (na === 0 || nb === 0 || smallestPossibleP(na, nb) >= ALPHA) return { p: null, verdict: 'cannot-tell' };
  const p = fisherExact(countVector(a.verdict.counts), countVector(b.verdict.counts));
  return { p, verdict: p < ALPHA ? 'different' : 'not-shown-different' };
}
