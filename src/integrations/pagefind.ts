// Builds the Pagefind search index over the finished dist/ at the end of `astro build`, so the
// single build command yields a searchable site (dev mode has no index; use build + preview).
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';

/**
 * What search leaves out: tables, charts and the text generated from them (a figure's summary, its
 * downloads, provenance and citation, the version box's own answer). They are data, and as excerpts
 * they read as fragments ("%). cold-start/after. 1.4.5 (Rust). recovers 10/10"); the prose around
 * them, the figures' titles and captions and the tables' pages are what a result should quote.
 * Of a table only its row headers are indexed (a build's label, a failure's title), so that a
 * version number still finds its row on /affected/.
 */
const SEARCH_EXCLUDES = [
  'caption',
  'thead',
  'td',
  '.build-meta',
  '.figure-table',
  'svg',
  '.figure-chart',
  '.figure-summary',
  '.figure-downloads',
  '.provenance',
  '.cite-block',
  '.compare-run',
  '.ledger-summary',
  '[data-answer]',
];

export function pagefind(): AstroIntegration {
  return {
    name: 'casebook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { createIndex, close } = await import('pagefind');
        const { index, errors } = await createIndex({ excludeSelectors: SEARCH_EXCLUDES });
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        const site = fileURLToPath(dir);
        const added = await index.addDirectory({ path: site });
        if (added.errors.length > 0) throw new Error(`Pagefind indexing failed: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
        if (written.errors.length > 0)
          throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
        logger.info(`indexed ${added.page_count} pages`);
        await close();
      },
    },
  };
}
