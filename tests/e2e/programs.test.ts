// What the built site offers programs: /api/builds.json is the committed repro/affected/builds.json
// byte for byte (the terminal and the site answer alike), the OSV records are what lib/osv.ts gives
// for this address, and the feed and every build's badge are served.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BuildsIndex } from '../../repro/core/builds-index.ts';
import { osvRecords, recordTimes } from '../../src/lib/osv.ts';
import { committedRecords, root } from './site.ts';

const committed = readFileSync(path.join(root, 'repro', 'affected', 'builds.json'), 'utf8');
const index = BuildsIndex.parse(JSON.parse(committed));

test('/api/builds.json is the committed builds index, byte for byte', async ({ request }) => {
  const response = await request.get('/api/builds.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/json');
  expect((await response.body()).toString('utf8')).toBe(committed);
});

test('/osv/all.json and each /osv/<id>.json are the OSV records of the index, with this site’s address', async ({
  request,
  baseURL,
}) => {
  const expected = JSON.parse(
    JSON.stringify(osvRecords(index, `${baseURL}/`, recordTimes(committedRecords('matrix')))),
  );
  const all = await (await request.get('/osv/all.json')).json();
  expect(all).toEqual(expected);
  for (const record of expected) expect(await (await request.get(`/osv/${record.id}.json`)).json()).toEqual(record);
});

test('the feed is served, and links to itself where it is served', async ({ request, baseURL }) => {
  const response = await request.get('/affected/feed.xml');
  expect(response.status()).toBe(200);
  const xml = await response.text();
  expect(xml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${baseURL}/affected/feed.xml"/>`);
});

test('every recorded build has its badge', async ({ request }) => {
  for (const build of index.builds) {
    const response = await request.get(`/badges/${build.npm}.svg`);
    expect(response.status(), build.npm).toBe(200);
    expect(response.headers()['content-type']).toContain('image/svg+xml');
    expect(await response.text()).toContain(`aria-label="bun ${build.npm}: `);
  }
});
