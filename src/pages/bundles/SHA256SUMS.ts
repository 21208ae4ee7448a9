// /bundles/SHA256SUMS: checksums of every bundle, for `sha256sum -c SHA256SUMS`.
import type { APIRoute } from 'astro';
import { sha256sums } from '../../bundles/pack.ts';
import { siteBundles } from '../../lib/bundles.ts';

export const GET: APIRoute = async ({ site }) =>
  new Response(sha256sums(await siteBundles(site)), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
