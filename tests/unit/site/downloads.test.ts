// Figure downloads stand alone: the SVG/PNG frame carries title, subtitle, builds, source, URL and
// licence; CSV columns name their units and match their CSV-W dictionary; the JSON has its URL and
// article and keeps every record intact. Also the addresses a build is given, and CITATION.cff.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { csvColumns, csvRows } from '../../../src/figures/csv-columns.ts';
import { csvMetadata, figureDownload } from '../../../src/figures/downloads.ts';
import { exportFrame, frameText, wrapText } from '../../../src/figures/export-frame.ts';
import { textWidth } from '../../../src/figures/text-width.ts';
import { figureData, figureHeadline, figureIds, figures, getFigure } from '../../../src/figures/registry.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { resolveAddresses, repositoryFromRemote } from '../../../src/lib/addresses.ts';
import { citationCff, newestDay } from '../../../src/lib/cff.ts';
import { parseCsv } from '../../../src/lib/csv.ts';
import { figureHome, type ArticleSource } from '../../../src/lib/figure-home.ts';
import { MiB } from '../../../src/lib/format.ts';
import { SITE_LICENSE, SITE_TITLE } from '../../../src/lib/site.ts';
import { fixtureFor, fixtureRecords } from './fixtures.ts';

const root = new URL('../../../', import.meta.url);

/** The site's articles as the download endpoint sees them, read from content/articles. */
const articles: ArticleSource[] = readdirSync(new URL('content/articles/', root))
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => {
    const text = readFileSync(new URL(`content/articles/${f}`, root), 'utf8');
    const id = f.replace(/\.mdx$/, '');
    return {
      id,
      title: /^title:\s*["']?(.+?)["']?\s*$/m.exec(text)![1],
      path: `/articles/${id}/`,
      body: text,
      order: Number(/^order:\s*(\d+)/m.exec(text)?.[1] ?? 0),
    };
  })
  .sort((a, b) => a.order - b.order);

const SITE = 'https://casebook.example.org/';

/** PNG width and height from the IHDR chunk, which the format puts first. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe.each(figures.map((f) => [f.id, f] as const))('figure %s downloads', (id, figure) => {
  const home = figureHome(articles, id, figureIds, SITE);
  const all = fixtureFor(figure);
  const { records, rows } = figureData(figure, all);
  const matrix = figure.source === 'matrix';

  test('the figure has a home: a page, its number there and a permalink', () => {
    expect(home).toBeDefined();
    expect(home!.url).toBe(`${home!.page.url}#fig-${id}`);
    expect(home!.path).toBe(`${new URL(home!.page.url).pathname}#fig-${id}`);
    expect(home!.url.startsWith(SITE)).toBe(true);
    expect(home!.number).toBeGreaterThan(0);
  });

  /** The text of an SVG text node as a reader sees it (the frame escapes what XML needs, an apostrophe included). */
  const unescapeXml = (text: string) =>
    text.replace(
      /&(#39|apos|quot|lt|gt|amp);/g,
      (_, e: string) => ({ '#39': "'", apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' })[e]!,
    );

  test('the SVG is the export frame: headline, one-line subtitle, builds, chart, source, URL, licence', () => {
    const svg = figureDownload(id, 'svg', all, home) as string;
    const frameLines = (role: string) =>
      [
        ...(new RegExp(`<g data-frame="${role}">(.*?)</g>`).exec(svg)?.[1] ?? '').matchAll(
          /<text [^>]*>([^<]*)<\/text>/g,
        ),
      ].map((m) => unescapeXml(m[1]!));
    // The headline the page's caption carries, generated from the same rows.
    expect(frameLines('title').join(' ')).toBe(figureHeadline(figure, rows));
    expect(frameLines('subtitle')).toEqual([getFigure(id).exportSubtitle]);
    const day = records
      .map((r) => r.endedAt)
      .sort()
      .at(-1)!
      .slice(0, 10);
    if (matrix) {
      // Many runs: how many records, and the builds as a range, not 47 revisions.
      expect(frameLines('builds').join(' ')).toMatch(/^Builds: \d+ published builds, 1\.3\.0 to 1\.4\.5$/);
      expect(frameLines('source')).toEqual([`Source: ${SITE_TITLE}, ${records.length} version-matrix records, ${day}`]);
    } else {
      expect(frameLines('builds').join(' ')).toContain(`revision ${records[0].runtime.revision}`);
      expect(frameLines('source')).toEqual([`Source: ${SITE_TITLE}, run ${records[0].runId}, ${day}`]);
    }
    expect(frameLines('url').join('')).toBe(home!.url);
    expect(frameLines('licence').join(' ')).toContain(SITE_LICENSE.spdx);
    // Standalone: a white background, explicit ink for the chart's currentColor, no theme variables.
    expect(svg).toMatch(/<rect x="0" y="0" width="\d+" height="\d+" fill="#ffffff"\/>/);
    expect(svg).toContain('color="#1c1e21"');
    expect(svg).not.toMatch(/var\(--/);
  });

  test('the PNG is the framed SVG at twice its size', () => {
    const framed = exportFrame(
      renderFigure(figure, rows),
      frameText(figure, records, rows, home?.url),
      figure.summary(rows),
    );
    expect(pngSize(figureDownload(id, 'png', all, home) as Uint8Array)).toEqual({
      width: framed.width * 2,
      height: framed.height * 2,
    });
    expect(framed.height).toBeGreaterThan(renderFigure(figure, rows).height + 120);
  });

  test('CSV header: every column has a unit in its name or is a label, count or id; values in MiB are the bytes', () => {
    const csv = parseCsv(figureDownload(id, 'csv', all) as string);
    const columns = csvColumns(figure);
    expect(csv[0]).toEqual(columns.map((c) => c.name));
    for (const c of columns) {
      expect(c.name, c.name).toMatch(/^[a-z][a-z0-9_]*$/);
      if (c.unit === 'MiB') expect(c.name).toMatch(/_mib$/);
      if (c.unit === 'ms') expect(c.name).toMatch(/_ms$/);
      if (c.unit === 'repetitions') expect(c.name).toMatch(/_count$/);
      if (c.datatype === 'number' && !c.unit)
        expect(c.name, 'a unitless number must be a position, explained').toBe('read');
      // Any other unit ends the name too: a failure's key figure in %, or a ratio (×).
      if (c.unit === '%') expect(c.name).toMatch(/_percent$/);
      if (c.unit === '×') expect(c.name).toMatch(/_ratio$/);
    }
    expect(csv[0].some((h) => /bytes|rss$|heapused|elapsedms/i.test(h))).toBe(false);
    // Every row field has a column, and every column a field: one definition, nothing left out.
    expect(new Set(columns.map((c) => c.field))).toEqual(new Set(Object.keys(rows[0])));
    // A row that holds bytes is converted (csv-columns.ts memory()); a figure already in MiB is not.
    for (const c of columns.filter((c) => c.unit === 'MiB' && c.convert)) {
      const i = csv[0].indexOf(c.name);
      const raw = rows[1][c.field];
      expect(csv[2][i]).toBe(raw === null ? '' : String(Math.round(((raw as number) / MiB) * 1e4) / 1e4));
    }
  });

  test('the CSV-W dictionary describes exactly the CSV columns, with units', () => {
    const meta = JSON.parse(figureDownload(id, 'csv-metadata.json', all, home) as string);
    expect(meta).toEqual(JSON.parse(JSON.stringify(csvMetadata(figure, records, home))));
    expect(meta['@context']).toBe('http://www.w3.org/ns/csvw');
    expect(meta.url).toBe(`${id}.csv`);
    expect(meta['dc:source']['@id']).toBe(home!.url);
    const header = parseCsv(figureDownload(id, 'csv', all) as string)[0];
    expect(meta.tableSchema.columns.map((c: { name: string }) => c.name)).toEqual(header);
    for (const c of meta.tableSchema.columns) {
      expect(c['dc:description'].length, c.name).toBeGreaterThan(20);
      if (/_(mib|ms)$/.test(c.name)) expect(c['schema:unitText']).toBe(c.name.endsWith('_mib') ? 'MiB' : 'ms');
    }
  });

  test('the JSON has its URL and article, and every record intact', () => {
    const text = figureDownload(id, 'json', all, home) as string;
    const json = JSON.parse(text);
    expect(json.figure.url).toBe(home!.url);
    expect(json.figure.page).toEqual(home!.page);
    expect(json.figure.source).toBe(matrix ? 'matrix' : 'runs');
    expect(json.figure.number).toBe(home!.number);
    expect(json.licence.spdx).toBe(SITE_LICENSE.spdx);
    expect(json.records).toEqual(JSON.parse(JSON.stringify(records)));
    // One compact line per record, not one line per value.
    expect(text.slice(text.lastIndexOf('"records": [')).split('\n').length).toBe(records.length + 4);
  });
});

test('fractional reads occur only on outside samples, and the dictionary says why', () => {
  const figure = figures.find((f) => f.id === 's3-rss')!;
  const csv = csvRows(figure, figureData(figure, fixtureRecords).rows);
  const fractional = csv.filter((r) => !Number.isInteger(r.read));
  expect(fractional.length).toBeGreaterThan(0);
  expect(new Set(fractional.map((r) => r.source))).toEqual(new Set(['outside']));
  expect(getFigure('s3-rss').csvColumns.find((c) => c.name === 'read')!.description).toMatch(/fractional/);
});

test('a row field without a described column stops the CSV, naming the field', () => {
  expect(() => csvRows(getFigure('sql-timeline'), [{ build: 'x', novel: 1 }])).toThrow(
    /sql-timeline: row field\(s\) novel have no CSV column/,
  );
});

test('every figure has a CSV definition and a subtitle that fits one line', () => {
  for (const f of figures) {
    expect(f.csvColumns.length, f.id).toBeGreaterThan(0);
    const chart = renderFigure(f, figureData(f, fixtureFor(f)).rows);
    expect(wrapText(f.exportSubtitle, 14, chart.width), f.id).toHaveLength(1);
  }
});

test('frame text wraps within the width, breaking a long URL', () => {
  const long =
    'https://casebook.example.org/articles/a-very-long-article-slug-that-goes-on-and-on/#fig-a-very-long-figure-identifier';
  const lines = wrapText(long, 12, 300);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.join('')).toBe(long);
  for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(300);
  for (const l of wrapText(
    'Resident memory per S3 read, by Bun build, drawn from a long title that must wrap',
    20,
    400,
    true,
  )) {
    expect(textWidth(l, 20, true)).toBeLessThanOrEqual(400);
  }
});

test('a frame with no recorded run says so instead of a run id', () => {
  const figure = figures[0];
  expect(frameText(figure, [], [], undefined).source).toBe(`Source: ${SITE_TITLE}, no recorded run yet`);
  expect(figureDownload(figure.id, 'svg', [])).toContain('no recorded run yet');
});

describe('addresses', () => {
  const noRemote = () => undefined;
  test('a production build without SITE_URL stops with one line naming the variable', () => {
    expect(() => resolveAddresses({}, noRemote)).toThrow(
      /^SITE_URL is not set: a production build needs the public address/,
    );
    expect(() => resolveAddresses({ SITE_URL: 'https://x.org' }, noRemote)).toThrow(/^REPOSITORY_URL is not set/);
    expect(() => resolveAddresses({ SITE_URL: 'casebook.org', REPOSITORY_URL: 'https://x.org/r' }, noRemote)).toThrow(
      /not an absolute URL/,
    );
  });

  test('production: the given addresses, normalised', () => {
    expect(
      resolveAddresses(
        { SITE_URL: 'https://casebook.example.org', REPOSITORY_URL: 'https://github.com/o/r/' },
        noRemote,
      ),
    ).toEqual({
      site: 'https://casebook.example.org/',
      repository: 'https://github.com/o/r',
      notices: [],
    });
  });

  test('local preview: localhost on PORT (default 4321) and the git remote, each with a notice', () => {
    const a = resolveAddresses({ CASEBOOK_LOCAL_PREVIEW: '1', PORT: '5050' }, () => 'git@github.com:owner/repo.git\n');
    expect(a.site).toBe('http://localhost:5050/');
    expect(a.repository).toBe('https://github.com/owner/repo');
    expect(a.notices).toHaveLength(2);
    const none = resolveAddresses({ CASEBOOK_LOCAL_PREVIEW: '1' }, noRemote);
    expect(none.site).toBe('http://localhost:4321/');
    expect(none.repository).toBeUndefined();
    expect(none.notices[1]).toMatch(/repository link is left out/);
  });

  test('git remotes become https URLs without credentials; other remotes are not guessed', () => {
    expect(repositoryFromRemote('https://user:token@github.com/o/r.git')).toBe('https://github.com/o/r');
    expect(repositoryFromRemote('/srv/git/repo')).toBeUndefined();
    expect(repositoryFromRemote('')).toBeUndefined();
  });
});

describe('CITATION.cff', () => {
  const template = readFileSync(new URL('CITATION.cff', root), 'utf8');

  test('the repository file has no typed date; the served one is dated, addressed and keeps the licence', () => {
    expect(template).not.toMatch(/^date-released:/m);
    expect(template).toMatch(new RegExp(`^license: ${SITE_LICENSE.spdx}$`, 'm'));
    const served = citationCff(template, {
      dateReleased: '2026-11-26',
      url: SITE,
      repository: 'https://github.com/o/r',
    });
    expect(served).toMatch(/^date-released: "2026-11-26"$/m);
    expect(served).toMatch(/^url: "https:\/\/casebook\.example\.org\/"$/m);
    expect(served).toMatch(/^repository-code: "https:\/\/github\.com\/o\/r"$/m);
    expect(served).not.toMatch(/^#/m);
    expect(citationCff(served, { dateReleased: '2027-01-01', url: SITE, repository: undefined })).not.toMatch(
      /2026-11-26|repository-code/,
    );
  });

  test('the release date is the newest of the dates given', () => {
    expect(newestDay(['2026-11-26T14:07:39.107Z', new Date('2026-05-04'), undefined, '2026-11-26T23:59:59Z'])).toBe(
      '2026-11-26',
    );
    expect(newestDay([])).toBeUndefined();
  });

  test('LICENSE and package.json name the same licence as the site', () => {
    expect(readFileSync(new URL('LICENSE', root), 'utf8').split('\n')[0]).toBe(SITE_LICENSE.name);
    expect(JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).license).toBe(SITE_LICENSE.spdx);
  });
});
