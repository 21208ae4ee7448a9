// /badges/<npm label>.svg: each recorded build's badge (lib/badge.ts), from the builds index.
import type { APIRoute, GetStaticPaths } from 'astro';
import { badgeFile, badgeSvg, buildBadge } from '../../lib/badge.ts';
import { siteBuildsIndex } from '../../lib/content.ts';

export const getStaticPaths = (async () => {
  const index = await siteBuildsIndex();
  return index.builds.map((build) => ({
    params: { file: badgeFile(build.npm) },
    props: { svg: badgeSvg(buildBadge(index, build)) },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response((props as { svg: string }).svg, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } });
