// /affected/feed.xml: what changed in the version matrix, as Atom (lib/matrix-feed.ts), from every
// matrix record, superseded ones included.
import type { APIRoute } from 'astro';
import { matrixRecords } from '../../lib/content.ts';
import { atomFeed, matrixChanges } from '../../lib/matrix-feed.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(atomFeed(matrixChanges((await matrixRecords()).map((m) => m.record)), site!), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
  });
