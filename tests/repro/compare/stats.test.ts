// The exact statistics every count-based verdict rests on (repro/core/stats.ts), against values
// worked out by hand or by an independent implementation (scipy 1.17: binomtest(k, n)
// .proportion_ci(method='wilson'), fisher_exact), and against a brute-force Freeman–Halton test in
// exact rational arithmetic written here.
import { describe, expect, it } from 'vitest';
import {
  ALPHA,
  fisherExact,
  formatInterval,
  formatP,
  holm,
  smallestPossibleP,
  wilson,
} from '../../../repro/core/stats.ts';

describe('wilson: 95 % score interval', () => {
  // scipy.stats.binomtest(k, n).proportion_ci(method='wilson')
  const known: [number, number, number, number][] = [
    [6, 10, 0.3126737697336583, 0.8318196702937639],
    [9, 10, 0.5958499732047615, 0.9821237869049271],
    [5, 10, 0.236593090512564, 0.7634069094874361],
    [1, 10, 0.017876213095072896, 0.4041500267952385],
    [0, 10, 0, 0.27753279986288926],
    [10, 10, 0.7224672001371109, 1],
    [3, 3, 0.4385029682449546, 1],
    [2, 5, 0.11762077423264794, 0.769275718723987],
  ];
  for (const [k, n, low, high] of known) {
    it(`${k}/${n}: ${low.toFixed(4)}–${high.toFixed(4)}`, () => {
      const i = wilson(k, n);
      expect(i.low).toBeCloseTo(low, 9);
      expect(i.high).toBeCloseTo(high, 9);
    });
  }
  it('exact at the extremes, [0, 1] with no data, and symmetric', () => {
    expect(wilson(0, 7).low).toBe(0);
    expect(wilson(7, 7).high).toBe(1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    const a = wilson(3, 10);
    const b = wilson(7, 10);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });
  it('formats as whole percentages', () => {
    expect(formatInterval(wilson(6, 10))).toBe('31–83 %');
    expect(formatInterval(wilson(10, 10))).toBe('72–100 %');
  });
});

// ---------------------------------------------------------------- an independent Freeman–Halton test

const factorial = (n: number): bigint => (n <= 1 ? 1n : BigInt(n) * factorial(n - 1));
const choose = (n: number, k: number): bigint => factorial(n) / (factorial(k) * factorial(n - k));

/**
 * Brute force: every 2×k table with the observed margins, its hypergeometric probability as an exact
 * fraction (numerator over C(N, n1)), and the sum over tables no more likely than the observed one.
 */
function bruteForceP(a: number[], b: number[]): number {
  const columns = a.map((x, i) => x + b[i]!);
  const n1 = a.reduce((s, x) => s + x, 0);
  const total = columns.reduce((s, c) => s + c, 0);
  const weight = (row: number[]) => row.reduce((w, x, i) => w * choose(columns[i]!, x), 1n);
  const observed = weight(a);
  let sum = 0n;
  const rows: number[][] = [[]];
  for (const c of columns) {
    const next: number[][] = [];
    for (const r of rows) for (let x = 0; x <= c; x++) next.push([...r, x]);
    rows.splice(0, rows.length, ...next);
  }
  for (const row of rows) {
    if (row.reduce((s, x) => s + x, 0) !== n1) continue;
    const w = weight(row);
    if (w <= observed) sum += w;
  }
  return Number((sum * 10n ** 15n) / choose(total, n1)) / 1e15;
}

describe('fisherExact: two-sided, Freeman–Halton for more than two outcome kinds', () => {
  it('2×2 against known p-values', () => {
    expect(fisherExact([3, 0], [0, 3])).toBeCloseTo(0.1, 12); // 2 / C(6,3)
    expect(fisherExact([10, 0], [0, 10])).toBeCloseTo(2 / 184_756, 15); // ≈ 1.0825e-5, scipy: 1.082508822446903e-05
    expect(fisherExact([10, 0], [0, 10])).toBeCloseTo(1.082508822446903e-5, 15);
    expect(fisherExact([3, 1], [1, 3])).toBeCloseTo(0.48571428571428565, 12); // the tea-tasting table, 34/70
    expect(fisherExact([8, 2], [1, 5])).toBeCloseTo(0.034965034965034975, 12); // scipy
    expect(fisherExact([5, 5], [5, 5])).toBeCloseTo(1, 12);
  });

  it('2×3 worked by hand: [2,0,1] vs [0,2,1] gives 0.6', () => {
    // Columns 2,2,2; first-row total 3; C(6,3) = 20 tables' worth of probability.
    // Rows (2,1,0) in any order: C(2,2)·C(2,1)·C(2,0) = 2 → 2/20 each, six of them → 12/20.
    // Row (1,1,1): 2·2·2 = 8 → 8/20. Observed (2,0,1) is 2/20; as or less likely: the six → p = 0.6.
    // (scipy's Monte Carlo r×c fisher_exact gave 0.5961.)
    expect(fisherExact([2, 0, 1], [0, 2, 1])).toBeCloseTo(0.6, 12);
  });

  it('2×3 worked by hand: [4,0,0] vs [0,2,2] gives 2/70', () => {
    // Columns 4,2,2; first-row total 4; C(8,4) = 70. Only (4,0,0) and (0,2,2) have weight 1.
    expect(fisherExact([4, 0, 0], [0, 2, 2])).toBeCloseTo(2 / 70, 12);
  });

  it('agrees with the brute force on 2×2, 2×3 and 2×4 tables', () => {
    const tables: [number[], number[]][] = [
      [
        [7, 3],
        [2, 8],
      ],
      [
        [0, 4, 1],
        [3, 0, 2],
      ],
      [
        [5, 2, 3],
        [1, 6, 0],
      ],
      [
        [3, 3, 2, 2],
        [0, 1, 4, 5],
      ],
      [
        [10, 0, 0, 0],
        [0, 3, 3, 4],
      ],
      [
        [1, 2, 3, 4],
        [4, 3, 2, 1],
      ],
    ];
    for (const [a, b] of tables) expect(fisherExact(a, b), `${a} vs ${b}`).toBeCloseTo(bruteForceP(a, b), 10);
  });

  it('outcome kinds nobody ended in change nothing; an empty group gives 1; the groups can be swapped', () => {
    expect(fisherExact([2, 0, 1, 0], [0, 2, 1, 0])).toBeCloseTo(0.6, 12);
    expect(fisherExact([0, 3, 0, 0], [0, 0, 0, 3])).toBeCloseTo(0.1, 12);
    expect(fisherExact([0, 0], [4, 1])).toBe(1);
    expect(fisherExact([4, 0], [4, 0])).toBe(1);
    expect(fisherExact([0, 4, 1], [3, 0, 2])).toBeCloseTo(fisherExact([3, 0, 2], [0, 4, 1]), 12);
    expect(() => fisherExact([1, 2], [1, 2, 3])).toThrow(/same kinds/);
  });
});

describe('smallestPossibleP: what opposite outcomes in every repetition would give', () => {
  it('3 vs 3 cannot reach 0.05; 10 vs 3 can; 10 vs 10 easily', () => {
    expect(smallestPossibleP(3, 3)).toBeCloseTo(0.1, 12);
    expect(smallestPossibleP(3, 3)).toBeGreaterThanOrEqual(ALPHA);
    expect(smallestPossibleP(2, 2)).toBeCloseTo(1 / 3, 12);
    expect(smallestPossibleP(10, 3)).toBeCloseTo(1 / 286, 12); // 1 / C(13,3)
    expect(smallestPossibleP(4, 4)).toBeCloseTo(2 / 70, 12);
    expect(smallestPossibleP(10, 10)).toBeCloseTo(2 / 184_756, 15);
  });
});

describe('holm: step-down adjustment', () => {
  it('against a hand-worked example', () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max so far 0.06.
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    adjusted.forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 12));
  });
  it('never above 1, never below the raw p, monotone in the raw order; one test is left as is', () => {
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([0.02])).toEqual([0.02]);
    expect(holm([])).toEqual([]);
    const raw = [0.001, 0.2, 0.013, 0.04, 0.9];
    const adjusted = holm(raw);
    raw.forEach((p, i) => expect(adjusted[i]!).toBeGreaterThanOrEqual(p));
    const byRaw = raw.map((p, i) => [p, adjusted[i]!] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < byRaw.length; i++) expect(byRaw[i]![1]).toBeGreaterThanOrEqual(byRaw[i - 1]![1]);
  });
});

describe('formatP', () => {
  it('three decimals under 0.01, "p < 0.001" under that', () => {
    expect(formatP(0.0476)).toBe('p = 0.05');
    expect(formatP(0.0072)).toBe('p = 0.007');
    expect(formatP(0.35)).toBe('p = 0.35');
    expect(formatP(1.08e-5)).toBe('p < 0.001');
  });
});
