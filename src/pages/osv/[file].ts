// /osv/<id>.json and /osv/all.json: the version matrix's failures as OSV records (lib/osv.ts), one
// per failure some recorded build is affected by, with absolute links from the site's address.
import type { APIRoute, GetStaticPaths } from 'astro';
import { matrixRecords, siteBuildsIndex } from '../../lib/content.ts';
import { osvRecords, recordTimes } from '../../lib/osv.ts';

async function records(site: URL) {
  return osvRecords(await siteBuildsIndex(), site, recordTimes((await matrixRecords()).map((m) => m.record)));
}

export const getStaticPaths = (async () => {
  // Which records there are needs no address; their bodies are made in GET, with the site's own.
  const ids = (await records(new URL('http://localhost/'))).map((r) => r.id);
  return [
    ...ids.map((id) => ({ params: { file: `${id}.json` }, props: { id } })),
    { params: { file: 'all.json' }, props: { id: null } },
  ];
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props, site }) => {
  const all = await records(site!);
  const { id } = props as { id: string | null };
  const body = id === null ? all : all.find((r) => r.id === id)!;
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
