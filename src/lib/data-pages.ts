// A figure's data page (/figures/<id>/data/) in pages of at most DATA_PAGE_ROWS rows: a run of 8,000
// reads as one table is 1.4 MB of HTML and 67,000 elements, which a phone takes seconds to lay out.
// Page 1 is /figures/<id>/data/, page n /figures/<id>/data/<n>/; the CSV beside them has every row.

/**
 * Rows per page: about 30 KB of HTML and 1,100 elements at the widest table. Lighthouse's mobile run
 * (median of 3) put 200 to 300 ms of blocking time on 5 of the 34 pages of /figures/s3-rss/data/ at
 * 250 rows (2,221 elements; scores 93 to 97 against the target of 98, the other pages 98 to 100),
 * and 18 to 30 ms on the same page cut to 125 rows: laying out the table is one task, and at 125 rows
 * it is done before the first paint.
 */
export const DATA_PAGE_ROWS = 125;

/** Pages the pager names on either side of the current one, besides the first and the last. */
const PAGER_REACH = 2;

/**
 * The pager's entries on page `n` of `pages`: the first and last pages, the current one and
 * PAGER_REACH on each side, and a gap where pages are left out. 67 pages would otherwise be 67 links
 * above the table and 67 below.
 */
export function pagerEntries(n: number, pages: number): (number | 'gap')[] {
  const shown = [...new Set([1, ...Array.from({ length: 2 * PAGER_REACH + 1 }, (_, i) => n - PAGER_REACH + i), pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  // A gap of one page is shown as that page: a link takes no more room than the gap would.
  return shown.flatMap((p, i) => {
    const before = shown[i - 1];
    if (before === undefined || p - before === 1) return [p];
    return p - before === 2 ? [before + 1, p] : (['gap', p] as const);
  });
}

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
