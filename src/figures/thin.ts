// Evenly thins a long series for drawing and tabulating: a 4,096-read run drawn point by point
// weighs hundreds of kilobytes and looks the same at 720 px. Keeps the first and last point and
// the point where `peakOf` is highest, so the peak and the end of the line are never lost.
// The CSV and JSON downloads always carry every row.
export function thinSeries<R>(rows: readonly R[], max: number, peakOf: (r: R) => number): R[] {
  if (rows.length <= max) return [...rows];
  const stride = (rows.length - 1) / (max - 1);
  const keep = new Set<number>();
  for (let i = 0; i < max; i++) keep.add(Math.round(i * stride));
  let peak = 0;
  rows.forEach((r, i) => { if (peakOf(r) > peakOf(rows[peak])) peak = i; });
  keep.add(peak);
  return [...keep].sort((a, b) => a - b).map((i) => rows[i]);
}

/** Thins each group (e.g. each build) separately, keeping group order. */
export function thinBy<R>(rows: readonly R[], groupOf: (r: R) => string, max: number, peakOf: (r: R) => number): R[] {
  const groups = new Map<string, R[]>();
  for (const r of rows) groups.set(groupOf(r), [...(groups.get(groupOf(r)) ?? []), r]);
  return [...groups.values()].flatMap((g) => thinSeries(g, max, peakOf));
}
