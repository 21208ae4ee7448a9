// /bundles/<scenario>.tar.gz and .zip: the reproduction bundles, packed at build time.
import type { APIRoute, GetStaticPaths } from 'astro';
import { bundleScenarios } from '../../bundles/scenarios.ts';
import { siteBundles } from '../../lib/bundles.ts';

export const getStaticPaths = (() =>
  bundleScenarios.flatMap((s) =>
    ['tar.gz', 'zip'].map((ext) => ({ params: { file: `${s.name}.${ext}` } })),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, site }) => {
  const file = (await siteBundles(site)).flatMap((b) => [b.tarGz, b.zip]).find((f) => f.name === params.file)!;
  const type = file.name.endsWith('.zip') ? 'application/zip' : 'application/gzip';
  return new Response(file.bytes as BodyInit, { headers: { 'Content-Type': type } });
};
