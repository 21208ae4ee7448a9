// Serves the repository's CITATION.cff at /CITATION.cff, so the site and the repo cite alike.
import { readFileSync } from 'node:fs';
import type { APIRoute } from 'astro';

export const GET: APIRoute = () =>
  new Response(readFileSync('CITATION.cff', 'utf8'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
