// The statistics every verdict on counts rests on, written once: the harness's tables, `compare` and
// the site all call these. Outcomes of repeated trials are counts, so the tests are exact ones.
//
// - Wilson score interval: a 95 % interval for a proportion that behaves at 0/n and n/n.
// - Fisher's exact test, in the Freeman–Halton form for two groups and any number of outcome kinds:
//   the probability, under "both groups have the same distribution", of a table at least as unlikely
//   as the one observed, given the margins. Two groups differ when p < ALPHA.
// - Holm's step-down adjustment, for a family of tests that together answer one question.

/** The significance level of every test on this site. */
export const ALPHA = 0.05;
const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** 95 % Wilson score interval for `successes` out of `n`; [0, 1] when n is 0. */
export function wilson(successes: number, n: number): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // Exact bounds at the extremes (floating point leaves 1e-17 otherwise).
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/** "31–83 %": an interval as whole percentages. */
export function formatInterval({ low, high }: Interval): string {
  return `${Math.round(low * 100)}–${Math.round(high * 100)} %`;
}

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}
const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/**
 * Fisher's exact test (Freeman–Halton) for two groups of counts over the same kinds, e.g. verdict
 * counts of two builds: `a[k]` and `b[k]` are how many repetitions of each group ended in kind k.
 * Returns the two-sided p-value; 1 when either group is empty.
 */
export function fisherExact(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error('fisherExact: both groups need the same kinds');
  const columns = a.map((x, k) => x + b[k]!).filter((c) => c > 0);
  const observed = a.filter((_, k) => a[k]! + b[k]! > 0);
  const n1 = observed.reduce((s, x) => s + x, 0);
  const total = columns.reduce((s, c) => s + c, 0);
  if (n1 === 0 || n1 === total || columns.length < 2) return 1;
  const logDenominator = logChoose(total, n1);
  const logP = (row: readonly number[]) => row.reduce((s, x, k) => s + logChoose(columns[k]!, x), 0) - logDenominator;
  const cutoff = logP(observed) + 1e-7; // tables as unlikely as the observed one, up to rounding
  // Every first row with these column totals and row total n1: enumerate, sum the unlikely ones.
  let p = 0;
  const row: number[] = [];
  const remainingCapacity = columns.map((_, k) => columns.slice(k).reduce((s, c) => s + c, 0));
  const visit = (k: number, left: number) => {
    if (k === columns.length - 1) {
      if (left > columns[k]!) return;
      row[k] = left;
      const lp = logP(row);
      if (lp <= cutoff) p += Math.exp(lp);
      return;
    }
    const from = Math.max(0, left - remainingCapacity[k + 1]!);
    for (let x = from; x <= Math.min(columns[k]!, left); x++) {
      row[k] = x;
      visit(k + 1, left - x);
    }
  };
  visit(0, n1);
  return Math.min(1, p);
}

/**
 * The smallest p-value two groups of these sizes can ever give: every repetition of one group one
 * way, every one of the other another. At or above ALPHA, no outcome could show a difference, so
 * comparing them says nothing.
 */
export function smallestPossibleP(n1: number, n2: number): number {
  return fisherExact([n1, 0], [0, n2]);
}

/** Holm's step-down adjustment: adjusted p-values, in the input's order, for a family of tests. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/** "p = 0.012", "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}
