// The content schemas: the committed bibliography and article frontmatter validate, bad entries
// are rejected, and the committed run records (if any) and the fixtures pass the harness schema.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import { PublishedBuilds } from '../../../repro/core/published.ts';
import { ArticleFrontmatter, Source } from '../../../src/lib/content-schemas.ts';
import { figureIds } from '../../../src/figures/registry.ts';
import { citationOrder, figureOrder } from '../../../src/lib/references.ts';
import { fixtureRecords } from './fixtures.ts';

const root = new URL('../../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

test('the bibliography validates and its ids are unique', () => {
  const sources = Source.array().parse(JSON.parse(read('content/sources/sources.json')));
  expect(new Set(sources.map((s) => s.id)).size).toBe(sources.length);
});

test('a source with a bad id, date or URL is rejected', () => {
  const good = {
    id: 'prisma-blog',
    title: 't',
    author: 'a',
    publisher: 'p',
    date: '2026-05',
    url: 'https://example.org',
    kind: 'primary',
    supports: 's',
  };
  expect(Source.safeParse(good).success).toBe(true);
  expect(Source.safeParse({ ...good, id: 'Prisma Blog' }).success).toBe(false);
  expect(Source.safeParse({ ...good, date: 'May 2026' }).success).toBe(false);
  expect(Source.safeParse({ ...good, url: 'not a url' }).success).toBe(false);
  expect(Source.safeParse({ ...good, kind: 'tertiary' }).success).toBe(false);
});

/** Minimal frontmatter reader for the flat key: value pairs of ArticleFrontmatter. */
function frontmatter(mdx: string): Record<string, unknown> {
  const block = /^---\n([\s\S]*?)\n---/.exec(mdx)?.[1] ?? '';
  return Object.fromEntries(
    block
      .split('\n')
      .filter((l) => /^\w+:/.test(l))
      .map((l) => {
        const [key, ...rest] = l.split(':');
        const raw = rest
          .join(':')
          .trim()
          .replace(/^(['"])(.*)\1$/, '$2');
        return [key, /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw];
      }),
  );
}

test('every article has valid frontmatter, known sources and known figures', () => {
  const dir = new URL('content/articles/', root);
  const ids = new Set((JSON.parse(read('content/sources/sources.json')) as { id: string }[]).map((s) => s.id));
  const files = readdirSync(dir).filter((f) => f.endsWith('.mdx'));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    expect(ArticleFrontmatter.safeParse(frontmatter(text)).error, f).toBeUndefined();
    expect(() => citationOrder(text, ids, f)).not.toThrow();
    expect(() => figureOrder(text, figureIds, f)).not.toThrow();
  }
});

test('frontmatter rejects a missing title or an unknown scenario', () => {
  const good = { title: 'T', description: 'D.', order: 1, published: '2026-05-04' };
  expect(ArticleFrontmatter.safeParse(good).success).toBe(true);
  expect(ArticleFrontmatter.safeParse({ ...good, title: undefined }).success).toBe(false);
  expect(ArticleFrontmatter.safeParse({ ...good, scenario: 'redis' }).success).toBe(false);
});

test('committed run and matrix records pass the harness schema', () => {
  for (const folder of ['content/runs/', 'content/matrix/']) {
    const dir = new URL(folder, root);
    // The published records are part of the project: a clone without them is broken, not a pass.
    expect(existsSync(dir), folder).toBe(true);
    // published.json (the matrix's build list) is no record: its own schema, below.
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.json') && f !== 'published.json',
    );
    expect(files.length, folder).toBeGreaterThan(0);
    for (const f of files)
      expect(RunRecord.safeParse(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))).error, f).toBeUndefined();
  }
});

test("the matrix's list of published builds passes its schema and lists every build the matrix recorded", () => {
  const published = PublishedBuilds.parse(
    JSON.parse(readFileSync(new URL('content/matrix/published.json', root), 'utf8')),
  );
  const listed = new Set(published.versions.map((v) => v.version));
  const dir = new URL('content/matrix/', root);
  const recorded = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && f !== 'published.json')
    .map((f) => RunRecord.parse(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))).runtime.source.replace(/^.*@/, ''));
  expect(recorded.length).toBeGreaterThan(0);
  expect([...new Set(recorded)].filter((v) => !listed.has(v))).toEqual([]);
  // Oldest first, by publication time.
  expect(published.versions.map((v) => v.published)).toEqual(published.versions.map((v) => v.published).sort());
});

test('fixtures are valid records of every scenario', () => {
  expect(new Set(fixtureRecords.map((r) => r.scenario))).toEqual(new Set(['s3-leak', 'sql-pool', 's3-upload']));
});

test('references are numbered by first use, and unknown ids fail with the file name', () => {
  const body = 'a <Cite id="b" /> b <Cite id="a" loc="§2" /> c <Cite id="b" />';
  expect(citationOrder(body, new Set(['a', 'b']), 'x.mdx')).toEqual(['b', 'a']);
  expect(() => citationOrder(body, new Set(['a']), 'x.mdx')).toThrowErrorMatchingInlineSnapshot(
    `[Error: x.mdx: <Cite> names unknown source id(s) "b"; add them to content/sources/sources.json or fix the id.]`,
  );
  expect(() => figureOrder('<Figure id="s3-rs" />', ['s3-rss'], 'y.mdx')).toThrow(
    /unknown figure id\(s\) "s3-rs"; known: s3-rss/,
  );
});
