// Helpers shared by the e2e tests: the built site's page list and its run records.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { RunRecord } from '../../repro/core/record/schema.ts';

/** The repository the e2e build is given (REPOSITORY_URL); the site's own address is the test server's. */
export const E2E_REPOSITORY_URL = 'https://github.com/example/bun-rewrite-casebook';

export const root = path.resolve(import.meta.dirname, '../..');
export const dist = path.join(root, 'dist');

/** Every HTML page of the build, as a URL path ("/articles/the-case/"), the figures' data pages included. */
export function builtPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(dist, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? ['_astro', 'pagefind'].includes(e.name)
          ? []
          : walk(path.join(dir, e.name))
        : e.name.endsWith('.html')
          ? [path.join(dir, e.name)]
          : [],
    );
  return walk('')
    .map((f) => '/' + f.replace(/index\.html$/, '').replaceAll(path.sep, '/'))
    .sort();
}

/**
 * The pages a browser sweep visits (axe in each theme, widths, the phone chrome): every page but the
 * numbered data pages after the first of each figure (`/figures/<id>/data/3/` on). Those are one
 * template filled with the next DATA_PAGE_ROWS rows (src/lib/data-pages.ts); page 2 stands for them, and the size test still reads all.
 */
export function sweptPages(): string[] {
  return builtPages().filter((p) => {
    const n = /^\/figures\/[^/]+\/data\/(\d+)\/$/.exec(p)?.[1];
    return n === undefined || Number(n) === 2;
  });
}

/**
 * The kinds of element a built page holds, each under its parent's: "div.panel > span.verdict", with
 * what paints it inline (style, fill, stroke, color) and the attributes the site's CSS selects colours
 * by. Two pages with the same kinds are drawn by the same rules in the same colours. Read with parse5,
 * the HTML parser the build's CSP step uses (src/integrations/csp.ts).
 */
function elementKinds(html: string): Set<string> {
  const kinds = new Set<string>();
  const visit = (node: DefaultTreeAdapterTypes.ParentNode, parent: string) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      const classes =
        child.attrs
          .find((a) => a.name === 'class')
          ?.value.split(/\s+/)
          .filter(Boolean)
          .sort() ?? [];
      const paint = child.attrs
        .filter((a) => /^(style|fill|stroke|color|data-[\w-]+)$/.test(a.name))
        .map((a) => `[${a.name}=${a.value}]`);
      const kind = [child.tagName, ...classes].join('.') + paint.join('');
      kinds.add(`${parent} > ${kind}`);
      if (child.tagName !== 'script' && child.tagName !== 'style') visit(child, kind);
    }
  };
  visit(parse(html), 'root');
  return kinds;
}

/**
 * The fewest of `pages` (greedily) whose element kinds, between them, are every kind the pages hold:
 * what a check that depends only on kinds, such as a theme's colours, needs to visit. A page with a
 * kind no other page has is always among them.
 */
export function coveringPages(pages: string[]): string[] {
  const kindsOf = new Map(
    pages.map((page) => [
      page,
      elementKinds(readFileSync(path.join(dist, page.replace(/\/$/, '/index.html')), 'utf8')),
    ]),
  );
  const covered = new Set<string>();
  const chosen: string[] = [];
  for (;;) {
    let best: string | undefined;
    let gain = 0;
    for (const [page, kinds] of kindsOf) {
      const added = [...kinds].filter((k) => !covered.has(k)).length;
      if (added > gain) [best, gain] = [page, added];
    }
    if (best === undefined) return chosen;
    chosen.push(best);
    for (const kind of kindsOf.get(best)!) covered.add(kind);
  }
}

const parsed = new Map<'runs' | 'matrix', readonly RunRecord[]>();

/**
 * The committed run records the site is built from (content/runs, or the version matrix's
 * content/matrix), read once per worker: the matrix's 30 MB take about 1.8 s of CPU to parse, and
 * the figure tests ask for them once per figure. The same array each time: read it, never change it.
 */
export function committedRecords(folder: 'runs' | 'matrix' = 'runs'): readonly RunRecord[] {
  const known = parsed.get(folder);
  if (known) return known;
  const dir = path.join(root, 'content', folder);
  const records = existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        // content/matrix/published.json is the matrix's build list, not a record (repro/core/published.ts).
        .filter((f) => f.endsWith('.json') && f !== 'published.json')
        .map((f) => RunRecord.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))))
    : [];
  parsed.set(folder, Object.freeze(records));
  return records;
}
