import { expect, test } from 'vitest';
import { citationMeta, citeArticle, citeFigure, escapeBibtex } from '../../../src/lib/citation.ts';
import { formatCsl, withRetrieved } from '../../../src/lib/retrieved.ts';
import { referenceText } from '../../../src/lib/references.ts';

const input = {
  author: 'Bun Rewrite Casebook contributors',
  site: 'Bun Rewrite Casebook',
  figureId: 's3-rss',
  number: 1,
  title: 'Resident memory per S3 read, by Bun build',
  articleTitle: 'The S3 read leak',
  dataDate: '2026-05-04T10:05:00.000Z',
  url: 'https://example.org/articles/s3-read-leak/#fig-s3-rss',
  retrieved: new Date('2026-06-01T12:00:00Z'),
};

test('plain citation names title, article, site, figure id, data date, URL and retrieval date', () => {
  expect(citeFigure(input).plain).toMatchInlineSnapshot(
    `"Bun Rewrite Casebook contributors. "Figure 1 (s3-rss): Resident memory per S3 read, by Bun build." In "The S3 read leak", Bun Rewrite Casebook, data recorded 2026-05-04. https://example.org/articles/s3-read-leak/#fig-s3-rss. Retrieved 1 June 2026."`,
  );
});

test('BibTeX entry', () => {
  expect(citeFigure(input).bibtex).toMatchInlineSnapshot(`
    "@misc{casebook-fig-s3-rss,
      author = {{Bun Rewrite Casebook contributors}},
      title = {{Figure 1 (s3-rss): Resident memory per S3 read, by Bun build}},
      howpublished = {In "The S3 read leak", Bun Rewrite Casebook},
      year = {2026},
      url = {https://example.org/articles/s3-read-leak/#fig-s3-rss},
      urldate = {2026-06-01},
      note = {Figure s3-rss; data recorded 2026-05-04}
    }"
  `);
});

test('CSL-JSON item', () => {
  const { csl } = citeFigure(input);
  expect(csl).toMatchObject({
    type: 'figure',
    number: 's3-rss',
    'container-title': 'The S3 read leak',
    publisher: 'Bun Rewrite Casebook',
    URL: input.url,
    issued: { 'date-parts': [[2026, 5, 4]] },
    accessed: { 'date-parts': [[2026, 6, 1]] },
  });
  expect(JSON.parse(formatCsl(csl))).toEqual([csl]);
});

test('a figure without data says so rather than inventing a date', () => {
  const c = citeFigure({ ...input, dataDate: undefined });
  expect(c.plain).toContain('no recorded data');
  expect(c.bibtex).not.toContain('year');
  expect(c.csl.issued).toBeUndefined();
});

test('BibTeX special characters are escaped', () => {
  expect(escapeBibtex('50% of R&D_costs {x} #1 ~ ^')).toBe(
    '50\\% of R\\&D\\_costs \\{x\\} \\#1 \\textasciitilde{} \\textasciicircum{}',
  );
});

test("the retrieval date is replaced with the reader's day in every format", () => {
  const c = citeFigure(input);
  const today = new Date('2027-01-02T00:00:00Z');
  expect(withRetrieved('plain', c.plain, today)).toMatch(/Retrieved 2 January 2027\.$/);
  expect(withRetrieved('bibtex', c.bibtex, today)).toContain('urldate = {2027-01-02}');
  expect(JSON.parse(withRetrieved('csl', formatCsl(c.csl), today))[0].accessed).toEqual({
    'date-parts': [[2027, 1, 2]],
  });
  // the data date is untouched
  expect(withRetrieved('bibtex', c.bibtex, today)).toContain('data recorded 2026-05-04');
});

const article = {
  author: 'Bun Rewrite Casebook contributors',
  site: 'Bun Rewrite Casebook',
  id: 's3-read-leak',
  title: 'The S3 read leak',
  published: new Date('2026-05-04'),
  url: 'https://example.org/articles/s3-read-leak/',
  retrieved: new Date('2026-06-01T12:00:00Z'),
};

test('"Cite this article": APA-like text, BibTeX and CSL-JSON', () => {
  const c = citeArticle(article);
  expect(c.plain).toMatchInlineSnapshot(
    `"Bun Rewrite Casebook contributors. (2026, May 4). The S3 read leak. Bun Rewrite Casebook. Retrieved 1 June 2026, from https://example.org/articles/s3-read-leak/"`,
  );
  expect(c.bibtex).toMatchInlineSnapshot(`
    "@misc{casebook-s3-read-leak,
      author = {{Bun Rewrite Casebook contributors}},
      title = {{The S3 read leak}},
      howpublished = {Bun Rewrite Casebook},
      year = {2026},
      month = {5},
      url = {https://example.org/articles/s3-read-leak/},
      urldate = {2026-06-01}
    }"
  `);
  expect(c.csl).toMatchObject({
    type: 'webpage',
    title: 'The S3 read leak',
    'container-title': 'Bun Rewrite Casebook',
    URL: article.url,
    issued: { 'date-parts': [[2026, 5, 4]] },
  });
  const updated = citeArticle({ ...article, updated: new Date('2026-11-26') });
  expect(updated.plain).toContain('(updated 26 November 2026; first published 4 May 2026)');
  expect(updated.csl.note).toBe('Updated 2026-11-26');
});

test("an article citation's retrieval date is replaced with the reader's day", () => {
  const c = citeArticle(article);
  const today = new Date('2027-01-02T00:00:00Z');
  expect(withRetrieved('plain', c.plain, today)).toBe(
    c.plain.replace('Retrieved 1 June 2026', 'Retrieved 2 January 2027'),
  );
  expect(withRetrieved('bibtex', c.bibtex, today)).toContain('urldate = {2027-01-02}');
});

test('citation_* meta tags', () => {
  expect(
    citationMeta({
      title: 'The S3 read leak',
      author: 'Bun Rewrite Casebook contributors',
      site: 'Bun Rewrite Casebook',
      published: new Date('2026-05-04'),
      url: 'https://example.org/articles/s3-read-leak/',
      scenario: 's3-leak',
      bundleUrl: 'https://example.org/bundles/s3-leak.tar.gz',
    }),
  ).toEqual([
    { name: 'citation_title', content: 'The S3 read leak' },
    { name: 'citation_author', content: 'Bun Rewrite Casebook contributors' },
    { name: 'citation_publication_date', content: '2026/05/04' },
    { name: 'citation_publisher', content: 'Bun Rewrite Casebook' },
    { name: 'citation_fulltext_html_url', content: 'https://example.org/articles/s3-read-leak/' },
    { name: 'citation_language', content: 'en' },
    { name: 'citation_keywords', content: 'Bun; Zig; Rust; s3-leak' },
    { name: 'citation_supplementary_material', content: 'https://example.org/bundles/s3-leak.tar.gz' },
  ]);
});

test('a reference entry ends each part with exactly one full stop', () => {
  const base = { author: 'The Rust Project', publisher: 'rust-lang.org', date: '2026-11' };
  expect(referenceText({ ...base, title: 'What Is Ownership?' })).toBe(
    'The Rust Project. “What Is Ownership?” rust-lang.org, 2026-11.',
  );
  expect(referenceText({ ...base, author: 'A. N. Other Jr.', title: 'Plain title' })).toBe(
    'A. N. Other Jr. “Plain title.” rust-lang.org, 2026-11.',
  );
});
