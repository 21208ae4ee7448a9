// When npm published each build (content/matrix/published.json): the full packument's `time` field,
// read into the published.json schema. A packument is shaped here as the registry sends one; the last
// test reads the real registry and checks it against the abbreviated document the matrix runs from.
import { expect, test } from 'vitest';
import { PublishedBuilds } from '../../../repro/core/published.ts';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';
import { publishedBuilds, publishedBuildsOf, publishedVersions } from '../../../repro/harness/bun-registry.ts';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const REGISTRY = 'https://registry.npmjs.org/';
const sha512 = (c: string) => `sha512-${c.repeat(86)}==`;
const dist = (c: string) => ({ tarball: `https://registry.npmjs.org/x/-/x-${c}.tgz`, integrity: sha512(c) });

test('times become UTC instants, oldest first, and the registry keys that are not builds are left out', () => {
  const built = publishedBuildsOf(
    {
      versions: {
        '1.4.5': { dist: dist('a') },
        '1.4.5-canary.20261202.1': { dist: dist('b') },
        '1.3.0': { dist: dist('c') },
      },
      time: {
        created: '2024-01-01T00:00:00.000Z',
        modified: '2026-12-02T14:30:00.000Z',
        // An offset, as some registries write it: the same instant, in UTC.
        '1.4.5-canary.20261202.1': '2026-12-02T15:24:46+01:00',
        '1.4.5': '2026-11-19T08:53:36.123Z',
        '1.3.0': '2025-10-10T00:00:00Z',
      },
    },
    '@oven/bun-linux-x64',
    REGISTRY,
    NOW,
  );
  expect(built).toEqual({
    schema: 1,
    package: '@oven/bun-linux-x64',
    registry: REGISTRY,
    retrievedAt: '2026-12-06T12:00:00.000Z',
    versions: [
      { version: '1.3.0', published: '2025-10-10T00:00:00.000Z', integrity: sha512('c') },
      { version: '1.4.5', published: '2026-11-19T08:53:36.123Z', integrity: sha512('a') },
      { version: '1.4.5-canary.20261202.1', published: '2026-12-02T14:24:46.000Z', integrity: sha512('b') },
    ],
  });
  expect(PublishedBuilds.safeParse(built).success).toBe(true);
});

test('a version without a tarball, a sha512 integrity or a readable time is not listed; a second hash is dropped', () => {
  const built = publishedBuildsOf(
    {
      versions: {
        '1.0.0': { dist: { integrity: sha512('a') } },
        '1.0.1': { dist: { tarball: 'https://x/y.tgz', integrity: 'sha1-abc=' } },
        '1.0.2': { dist: dist('c') },
        '1.0.3': { dist: dist('d') },
        '1.0.4': { dist: { tarball: 'https://x/y.tgz', integrity: `sha1-abc= ${sha512('e')}` } },
      },
      time: {
        '1.0.0': '2025-01-01T00:00:00Z',
        '1.0.1': '2025-01-02T00:00:00Z',
        '1.0.2': 'not a time',
        '1.0.4': '2025-01-05T00:00:00Z',
      },
    },
    'p',
    REGISTRY,
    NOW,
  );
  expect(built.versions).toEqual([{ version: '1.0.4', published: '2025-01-05T00:00:00.000Z', integrity: sha512('e') }]);
});

test('a document the schema refuses (a version that is no version) is one error naming the field', () => {
  expect(() =>
    publishedBuildsOf(
      { versions: { 'latest/../x': { dist: dist('a') } }, time: { 'latest/../x': '2025-01-01T00:00:00Z' } },
      'p',
      REGISTRY,
      NOW,
    ),
  ).toThrow(/^the npm registry's list of p builds does not fit published\.json: versions\.0\.version: /);
  // An empty document lists nothing (and is still a valid file).
  expect(publishedBuildsOf({}, 'p', REGISTRY, NOW).versions).toEqual([]);
});

test(`the real registry: every build the matrix would run has a publication time and the same integrity${needs(NPM_REGISTRY)}`, {
  timeout: 60_000,
}, async () => {
  const [builds, versions] = await Promise.all([publishedBuilds(), publishedVersions()]);
  expect(builds.package).toBe('@oven/bun-linux-x64');
  const byVersion = new Map(builds.versions.map((b) => [b.version, b]));
  expect(versions.length).toBeGreaterThan(40);
  for (const v of versions) expect(byVersion.get(v.version)?.integrity, v.version).toBe(v.integrity);
  // Published before it was read. (Not by its label's date: the canary labelled 20260519 came out on npm later.)
  for (const b of builds.versions) expect(b.published < builds.retrievedAt, b.version).toBe(true);
});
