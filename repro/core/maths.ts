// The descriptive maths every scenario shares: one median (d3-array's), one least-squares line. The
// statistics of a verdict (intervals, exact tests, corrections) are in stats.ts.
export { median } from 'd3-array';

/** The least-squares line through (x, y) points: its slope, and the means and spread it was fitted from. */
export function linearFit(points: ReadonlyArray<readonly [number, number]>): {
  slope: number;
  meanX: number;
  meanY: number;
  sxx: number;
} {
  const n = points.length;
  const meanX = n === 0 ? 0 : points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = n === 0 ? 0 : points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
  }
  return { slope: n < 2 || sxx === 0 ? 0 : sxy / sxx, meanX, meanY, sxx };
}

/** The least-squares slope of y over x; 0 with fewer than two distinct x. */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
  return linearFit(points).slope;
}
