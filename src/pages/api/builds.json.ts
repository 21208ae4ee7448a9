// /api/builds.json: the builds index (repro/core/builds-index.ts) for programs: every recorded build
// with its state on every failure of the version matrix, and each failure's class and where it entered
// and left. From the site's own matrix records and npm's publication times, serialized as
// `npm run affected:index` writes repro/affected/builds.json, so the two are the same bytes.
import type { APIRoute } from 'astro';
import { indexText } from '../../checks/builds-index.ts';
import { siteBuildsIndex } from '../../lib/content.ts';

export const GET: APIRoute = async () =>
  new Response(indexText(await siteBuildsIndex()), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
