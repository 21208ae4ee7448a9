// The content collections: articles (MDX), the bibliography, and the run records.
// Run records are validated with the harness's own schema: one definition, imported, never copied.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { ArticleFrontmatter, Source } from './lib/content-schemas.ts';
import { runRecords } from './loaders/run-records.ts';

const articles = defineCollection({
  loader: glob({ base: './content/articles', pattern: '*.mdx' }),
  schema: ArticleFrontmatter,
});

const sources = defineCollection({
  loader: file('./content/sources/sources.json'),
  schema: Source,
});

// CASEBOOK_RUNS_DIR previews records written elsewhere (`npm run repro -- <scenario>` writes to
// runs/) without touching content/runs, which only the harness writes and git tracks. The records
// are validated by the harness's own schema in the loader: one definition, imported, never copied.
const runs = defineCollection({
  loader: runRecords(process.env.CASEBOOK_RUNS_DIR ?? './content/runs'),
});


// The version matrix (`npm run matrix`): every published build through each scenario's quick
// protocol. Apart from runs/, so that the articles' figures keep drawing the full reference runs.
const matrix = defineCollection({
  loader: runRecords(process.env.CASEBOOK_MATRIX_DIR ?? './content/matrix'),
});

export const collections = { articles, sources, runs, matrix };
