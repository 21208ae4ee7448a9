// /figures/<id>.svg|png|csv|csv-metadata.json|json: one static file per figure and format, each
// naming the page the figure appears in (its permalink is in the frame, the JSON and the CSV-W).
import type { APIRoute, GetStaticPaths } from 'astro';
import { DOWNLOAD_TYPES, figureDownload, type DownloadExt } from '../../figures/downloads.ts';
import { figureIds, figureSource, getFigure } from '../../figures/registry.ts';
import { articlePath, articlesInOrder, sourceRecords } from '../../lib/content.ts';
import { figureHome } from '../../lib/figure-home.ts';

export const getStaticPaths = (() =>
  figureIds.flatMap((id) =>
    Object.keys(DOWNLOAD_TYPES).map((ext) => ({ params: { file: `${id}.${ext}` }, props: { id, ext } })),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props, site }) => {
  const { id, ext } = props as { id: string; ext: DownloadExt };
  const articles = (await articlesInOrder()).map((a) => ({
    id: a.id,
    title: a.data.title,
    path: articlePath(a),
    body: a.body ?? '',
  }));
  const body = figureDownload(
    id,
    ext,
    await sourceRecords(figureSource(getFigure(id))),
    figureHome(articles, id, figureIds, site!),
  );
  return new Response(body as BodyInit, { headers: { 'Content-Type': DOWNLOAD_TYPES[ext] } });
};
