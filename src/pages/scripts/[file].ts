// The "Compare with your run" chunk (src/figures/compare-script.ts), fetched by the figures' loader
// on first use.
import type { APIRoute, GetStaticPaths } from 'astro';
import { compareScript } from '../../figures/compare-script.ts';

export const getStaticPaths = (async () => [
  { params: { file: (await compareScript()).file } },
]) satisfies GetStaticPaths;

export const GET: APIRoute = async () =>
  new Response((await compareScript()).code, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
