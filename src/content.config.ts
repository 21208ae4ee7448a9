// Content collections per the site/articles contract (/tmp/casebook-contract.md).
// Run records are validated with the harness's own schema: one definition, imported, never copied.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { RunRecord } from '../repro/harness/record/schema.ts';
import { ArticleFrontmatter, Source } from './lib/content-schemas.ts';

const articles = defineCollection({
  loader: glob({ base: './content/articles', pattern: '*.mdx' }),
  schema: ArticleFrontmatter,
});

const sources = defineCollection({
  loader: file('./content/sources/sources.json'),
  schema: Source,
});

// CASEBOOK_RUNS_DIR previews records written elsewhere (`npm run repro -- <scenario> --out <dir>`)
// without touching content/runs, which only the harness writes and git tracks.
const runs = defineCollection({
  loader: glob({ base: process.env.CASEBOOK_RUNS_DIR ?? './content/runs', pattern: '**/*.json' }),
  schema: RunRecord,
});


export const collections = { articles, sources, runs };
