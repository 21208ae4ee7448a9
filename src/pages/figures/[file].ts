// /figures/<id>.svg|png|csv|json: one static file per figure and format.
import type { APIRoute, GetStaticPaths } from 'astro';
import { DOWNLOAD_TYPES, figureDownload, type DownloadExt } from '../../figures/downloads.ts';
import { figureIds } from '../../figures/registry.ts';
import { allRuns } from '../../lib/content.ts';

export const getStaticPaths = (() =>
  figureIds.flatMap((id) => Object.keys(DOWNLOAD_TYPES).map((ext) => ({ params: { file: `${id}.${ext}` }, props: { id, ext } })))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const { id, ext } = props as { id: string; ext: DownloadExt };
  const body = figureDownload(id, ext, await allRuns());
  return new Response(body as BodyInit, { headers: { 'Content-Type': DOWNLOAD_TYPES[ext] } });
};
