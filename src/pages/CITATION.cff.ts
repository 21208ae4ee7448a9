// /CITATION.cff: the repository's file with the release date (the newest run record or article
// date), the site's URL and the repository filled in at build time (src/lib/cff.ts).
import { readFileSync } from 'node:fs';
import type { APIRoute } from 'astro';
import { repositoryUrl } from '../lib/addresses.ts';
import { citationCff, newestDay } from '../lib/cff.ts';
import { allRuns, articlesInOrder } from '../lib/content.ts';

export const GET: APIRoute = async ({ site }) => {
  const runs = await allRuns();
  const articles = await articlesInOrder();
  const dateReleased = newestDay([
    ...runs.map((r) => r.endedAt),
    ...articles.flatMap((a) => [a.data.published, a.data.updated]),
  ]);
  if (!dateReleased) throw new Error('CITATION.cff: no run record or article date to date the release by.');
  const body = citationCff(readFileSync('CITATION.cff', 'utf8'), {
    dateReleased,
    url: new URL('/', site).href,
    repository: repositoryUrl(),
  });
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
