// /matrix/<scenario>/<record>.json: each record of the version matrix, byte for byte as the harness
// wrote it, so every cell of "Is my Bun affected?" links to its evidence.
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { matrixRecords } from '../../../lib/content.ts';

// Where the matrix collection is read from (content.config.ts): the records are served from there as written.
const MATRIX_DIR = path.resolve(process.env.CASEBOOK_MATRIX_DIR ?? './content/matrix');

export const getStaticPaths = (async () =>
  (await matrixRecords()).map(({ id }) => {
    const [scenario, name] = id.split('/') as [string, string];
    return { params: { scenario, file: `${name}.json` }, props: { id } };
  })) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const body = await readFile(path.join(MATRIX_DIR, `${(props as { id: string }).id}.json`));
  return new Response(body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
