// The figures' data pages: every row on exactly one page, in order, none longer than DATA_PAGE_ROWS.
import { describe, expect, it } from 'vitest';
import {
  DATA_PAGE_ROWS,
  dataPageCount,
  dataPagePath,
  dataPageSlice,
  pagerEntries,
} from '../../../src/lib/data-pages.ts';

describe('data pages', () => {
  it('cover every row once, in order, in pages of at most DATA_PAGE_ROWS', () => {
    for (const rows of [0, 1, DATA_PAGE_ROWS - 1, DATA_PAGE_ROWS, DATA_PAGE_ROWS + 1, 8_192]) {
      const pages = dataPageCount(rows);
      let next = 0;
      for (let n = 1; n <= pages; n++) {
        const { first, end } = dataPageSlice(rows, n);
        expect(first).toBe(next);
        expect(end - first).toBeLessThanOrEqual(DATA_PAGE_ROWS);
        if (rows > 0) expect(end).toBeGreaterThan(first);
        next = end;
      }
      expect(next).toBe(rows);
    }
  });

  it("have one page even with no rows, and page 1 at the figure's data address", () => {
    expect(dataPageCount(0)).toBe(1);
    expect(dataPagePath('s3-rss', 1)).toBe('/figures/s3-rss/data/');
    expect(dataPagePath('s3-rss', 3)).toBe('/figures/s3-rss/data/3/');
  });

  it('name the first, the last and the pages around the current one in the pager, a gap for the rest', () => {
    expect(pagerEntries(1, 1)).toEqual([1]);
    expect(pagerEntries(2, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pagerEntries(1, 67)).toEqual([1, 2, 3, 'gap', 67]);
    expect(pagerEntries(34, 67)).toEqual([1, 'gap', 32, 33, 34, 35, 36, 'gap', 67]);
    expect(pagerEntries(67, 67)).toEqual([1, 'gap', 65, 66, 67]);
    // A gap of one page is that page.
    expect(pagerEntries(5, 67)).toEqual([1, 2, 3, 4, 5, 6, 7, 'gap', 67]);
    for (const pages of [1, 2, 7, 8, 67]) {
      for (let n = 1; n <= pages; n++) {
        const entries = pagerEntries(n, pages);
        const numbers = entries.filter((e) => e !== 'gap');
        expect(numbers).toContain(n);
        expect(numbers[0]).toBe(1);
        expect(numbers.at(-1)).toBe(pages);
        // In order, and a gap only where pages were left out.
        entries.forEach((e, i) => {
          if (e === 'gap') expect((entries[i + 1] as number) - (entries[i - 1] as number)).toBeGreaterThan(2);
          else if (i > 0 && entries[i - 1] !== 'gap') expect(e).toBe((entries[i - 1] as number) + 1);
        });
      }
    }
  });
});
