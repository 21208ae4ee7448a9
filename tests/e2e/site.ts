// Helpers shared by the e2e tests: the built site's page list and its run records.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
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

/** The committed run records the site is built from (content/runs, or the version matrix's content/matrix). */
export function committedRecords(folder: 'runs' | 'matrix' = 'runs'): RunRecord[] {
  const dir = path.join(root, 'content', folder);
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      // content/matrix/published.json is the matrix's build list, not a record (repro/core/published.ts).
      .filter((f) => f.endsWith('.json') && f !== 'published.json')
      .map((f) => RunRecord.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))))
  );
}
