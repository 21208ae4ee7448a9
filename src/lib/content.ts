// The site's reads of the content collections, in one place so every page sorts and loads alike.
import path from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { BuildsIndex } from '../../repro/core/builds-index.ts';
import type { PublishedBuilds } from '../../repro/core/published.ts';
import { readPublished } from '../../repro/harness/record/read.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { buildsIndex } from './builds-index.ts';
import type { FigureSource } from '../figures/types.ts';
import { versionMatrix, type BuildRow } from './version-matrix.ts';

export type Article = CollectionEntry<'articles'>;

export async function articlesInOrder(): Promise<Article[]> {
  const all = await getCollection('articles');
  return all.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
}

export function articlePath(article: Article): string {
  return `/articles/${article.id}/`;
}

let runs: Promise<RunRecord[]> | undefined;

/** Every run record (already validated by the harness's schema in content.config.ts), read once per build. */
export function allRuns(): Promise<RunRecord[]> {
  runs ??= getCollection('runs').then((entries) => entries.map((e) => e.data));
  return runs;
}

/** Every record of the version matrix, as stored under content/matrix/<scenario>/<file>.json. */
export async function matrixRecords(): Promise<{ id: string; record: RunRecord }[]> {
  return (await getCollection('matrix')).map((e) => ({ id: e.id, record: e.data }));
}

/** Where the matrix collection is read from (content.config.ts). */
const MATRIX_DIR = path.resolve(process.env.CASEBOOK_MATRIX_DIR ?? './content/matrix');

/** npm's publication times for the matrix's builds (content/matrix/published.json); null while that file is absent. */
function matrixPublished(): Promise<PublishedBuilds | null> {
  return readPublished(MATRIX_DIR);
}

let index: Promise<BuildsIndex> | undefined;

/** The builds index (repro/core/builds-index.ts) of the site's matrix: /api/builds.json, the OSV records, the badges. */
export function siteBuildsIndex(): Promise<BuildsIndex> {
  index ??= Promise.all([matrixRecords(), matrixPublished()]).then(([stored, published]) =>
    BuildsIndex.parse(
      buildsIndex(
        stored.map((m) => m.record),
        published,
      ),
    ),
  );
  return index;
}

let rows: Promise<BuildRow[]> | undefined;

/** The version matrix's rows (versionMatrix), computed once per build. */
export function matrixRows(): Promise<BuildRow[]> {
  rows ??= matrixRecords().then((stored) => versionMatrix(stored.map((m) => m.record)));
  return rows;
}

/** Every record of a figure source's collection: run records, or the version matrix's. */
export async function sourceRecords(source: FigureSource): Promise<RunRecord[]> {
  return source === 'matrix' ? (await matrixRecords()).map((m) => m.record) : allRuns();
}

export async function sourcesById() {
  return new Map((await getCollection('sources')).map((e) => [e.data.id, e.data]));
}
