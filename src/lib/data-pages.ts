// A figure's data page (/figures/<id>/data/) in pages of at most DATA_PAGE_ROWS rows: a run of 8,000
// reads as one table is 1.4 MB of HTML and 67,000 elements, which a phone takes seconds to lay out.
// Page 1 is /figures/<id>/data/, page n /figures/<id>/data/<n>/; the CSV beside them has every row.

/**
 * Rows per page: about 50 KB of HTML and 2,000 elements at the widest table. At 500 rows (4,100
 * elements) Lighthouse's mobile run measured 250 ms of blocking time on /figures/s3-rss/data/, a
 * performance score of 96 against the target of 98.
 */
export const DATA_PAGE_ROWS = 250;

/** How many pages `rowCount` rows take (one, even when empty: the page says there is no run yet). */
export function dataPageCount(rowCount: number, perPage = DATA_PAGE_ROWS): number {
  return Math.max(1, Math.ceil(rowCount / perPage));
}

/** The address of page `n` (1-based) of a figure's data. */
export function dataPagePath(figureId: string, n: number): string {
  return n === 1 ? `/figures/${figureId}/data/` : `/figures/${figureId}/data/${n}/`;
}

/** The rows of page `n`: [first, end) indices into the full table. */
export function dataPageSlice(rowCount: number, n: number, perPage = DATA_PAGE_ROWS): { first: number; end: number } {
  const first = (n - 1) * perPage;
  return { first, end: Math.min(rowCount, first + perPage) };
}
