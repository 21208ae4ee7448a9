// The figures' data pages: every row on exactly one page, in order, none longer than DATA_PAGE_ROWS.
import { describe, expect, it } from 'vitest';
import { DATA_PAGE_ROWS, dataPageCount, dataPagePath, dataPageSlice } from '../../../src/lib/data-pages.ts';

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
});
