// Thins a long series for drawing and tabulating. A 4,096-read run drawn point by point weighs
// hundreds of kilobytes and looks the same at 720 px; a run of half a million reads would weigh
// tens of megabytes. Thinning must not change what the chart says, so it is min–max decimation:
// the series is cut into buckets of consecutive rows and each bucket keeps its lowest and its
// highest row, in their order. So the line still spans, in each bucket, everything the data did
// there, and the series' peak is always kept (it is the highest row of its bucket); the first and
// last rows are kept too, so the line starts and ends where the data does. A series that already
// fits is returned whole, so short runs are drawn as recorded. Linear in the series' length, and
// nothing is spread as arguments, so any length is safe.
// The CSV and JSON downloads always carry every row.

/** The fewest rows a thinned series can have: its first and last row and one bucket's low and high. */
const MIN_THINNED = 4;

/** At most `max` rows of `rows`, in order: the first, the last, and each bucket's lowest and highest `valueOf`. */
export function thinSeries<R>(rows: readonly R[], max: number, valueOf: (r: R) => number): R[] {
  if (rows.length <= max) return rows.slice();
  if (max < MIN_THINNED)
    throw new RangeError(`thinSeries: max must be at least ${MIN_THINNED} to keep the peak, got ${max}`);
  const buckets = Math.floor((max - 2) / 2);
  // Rows 1 … length - 2, everything but the first and the last; more than 2 × buckets of them, so
  // every bucket holds at least two rows.
  const inner = rows.length - 2;
  const kept: R[] = [rows[0]];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    const { low, high } = lowAndHigh(rows, start, end, valueOf);
    kept.push(rows[Math.min(low, high)]);
    if (low !== high) kept.push(rows[Math.max(low, high)]);
  }
  kept.push(rows[rows.length - 1]);
  return kept;
}

/** Indices of the lowest and highest value in rows[start, end): the first of equal ones. */
function lowAndHigh<R>(
  rows: readonly R[],
  start: number,
  end: number,
  valueOf: (r: R) => number,
): { low: number; high: number } {
  let low = start;
  let high = start;
  let lowValue = valueOf(rows[start]);
  let highValue = lowValue;
  for (let i = start + 1; i < end; i++) {
    const v = valueOf(rows[i]);
    if (v < lowValue) {
      low = i;
      lowValue = v;
    }
    if (v > highValue) {
      high = i;
      highValue = v;
    }
  }
  return { low, high };
}

/** Thins each group (e.g. each build and sampler) separately, keeping the order groups first appear in. */
export function thinBy<R>(rows: readonly R[], groupOf: (r: R) => string, max: number, valueOf: (r: R) => number): R[] {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const key = groupOf(r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return Array.from(groups.values()).flatMap((g) => thinSeries(g, max, valueOf));
}
