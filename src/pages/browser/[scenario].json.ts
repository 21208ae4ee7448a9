// /browser/<scenario>.json: the files the WebContainer page mounts (src/bundles/browser.ts), as the
// FileSystemTree WebContainer's mount() takes. Fetched only after the reader clicks to start.
import type { APIRoute, GetStaticPaths } from 'astro';
import { bundleScenarios } from '../../bundles/scenarios.ts';
import { siteBrowserBundle } from '../../lib/bundles.ts';

export const getStaticPaths = (() =>
  bundleScenarios.map((s) => ({ params: { scenario: s.name } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params, site }) =>
  new Response(JSON.stringify((await siteBrowserBundle(site, params.scenario!)).tree), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
