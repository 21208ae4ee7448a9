// The content collections: articles (MDX), the bibliography, and the run records.
// Run records are validated with the harness's own schema: one definition, imported, never copied.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { ArticleFrontmatter, Source } from './lib/content-schemas.ts';
import { runRecords } from './loaders/run-records.ts';
import { RunRecord } from '../repro/core/record/schema.ts';

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
// The schema here types the entries (the loader has already validated them with it), so pages read
// `entry.data` as a RunRecord without a cast.
const runs = defineCollection({
  loader: runRecords(process.env.CASEBOOK_RUNS_DIR ?? './content/runs'),
  schema: RunRecord,
});

// The version matrix (`npm run matrix`): every published build through each scenario's quick
// protocol. Apart from runs/, so that the articles' figures keep drawing the full reference runs.
const matrix = defineCollection({
  loader: runRecords(process.env.CASEBOOK_MATRIX_DIR ?? './content/matrix'),
  schema: RunRecord,
});

export const collections = { articles, sources, runs, matrix };
