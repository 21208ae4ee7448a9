// Any published build, from the real npm registry: downloaded once, checked against npm's integrity
// hash, cached per version, re-downloaded when the cache no longer matches, identified from the binary.
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveBuilds } from '../../../repro/harness/builds.ts';
import { extractFile, matchesIntegrity, publishedVersions } from '../../../repro/harness/bun-registry.ts';
import { createHash } from 'node:crypto';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';

let cache: string;
const saved = process.env.CASEBOOK_CACHE_DIR;
beforeAll(() => {
  cache = mkdtempSync(path.join(os.tmpdir(), 'casebook-build-cache-test-'));
  process.env.CASEBOOK_CACHE_DIR = cache;
});
afterAll(() => {
  if (saved === undefined) delete process.env.CASEBOOK_CACHE_DIR;
  else process.env.CASEBOOK_CACHE_DIR = saved;
  rmSync(cache, { recursive: true, force: true });
});

// The canary of 2026-05-19 is published only as a platform package, under a label that is not its
// own version: the build says 1.4.0-canary.1, and it is the first published Rust build.
const CANARY = '1.3.14-canary.20260519.1';

test(`--bun <version> downloads a build the bun package does not list, and names both labels${needs(NPM_REGISTRY)}`, {
  timeout: 180_000,
}, async () => {
  const [build] = await resolveBuilds([CANARY]);
  expect(build!.runtime).toMatchObject({
    version: '1.4.0-canary.1',
    revision: '1.4.0-canary.1+184d0371a',
    line: 'rust',
    source: `npm:@oven/bun-linux-x64@${CANARY}`,
  });
  expect(build!.path.startsWith(cache)).toBe(true);

  // Second use: from the cache, same binary.
  const [again] = await resolveBuilds([CANARY]);
  expect(again!.runtime.sha256).toBe(build!.runtime.sha256);

  // A damaged cache is noticed and replaced by a verified download.
  writeFileSync(build!.path, 'not bun');
  const [repaired] = await resolveBuilds([CANARY]);
  expect(repaired!.runtime.sha256).toBe(build!.runtime.sha256);
  // No staging folder is left beside the versions.
  expect(
    readdirSync(path.dirname(path.dirname(path.dirname(build!.path)))).filter((n) => n.startsWith('.install-')),
  ).toEqual([]);
});

test(`the registry lists every build from 1.3.0 to 1.4.5, canaries included${needs(NPM_REGISTRY)}`, {
  timeout: 60_000,
}, async () => {
  const versions = (await publishedVersions()).map((v) => v.version);
  expect(versions).toContain('1.3.0');
  expect(versions).toContain('1.3.14-canary.20260513.1');
  expect(versions).toContain(CANARY);
  expect(versions).toContain('1.4.5');
});

test(`an unpublished version is one line and exit code 2${needs(NPM_REGISTRY)}`, { timeout: 60_000 }, async () => {
  await expect(resolveBuilds(['9.9.9'])).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(
      /^--bun 9\.9\.9: @oven\/bun-linux-x64@9\.9\.9 is not published \(the registry lists \d+ builds, the newest /,
    ),
  });
});

test('integrity: the strongest hash must match, one changed byte fails', () => {
  const bytes = Buffer.from('a tarball');
  const sri = `sha1-${createHash('sha1').update('other').digest('base64')} sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  expect(matchesIntegrity(bytes, sri)).toBe(true);
  expect(matchesIntegrity(Buffer.from('a tarbalL'), sri)).toBe(false);
  expect(matchesIntegrity(bytes, 'md5-abc')).toBe(false);
});

test('extractFile reads one file from a tar, including a GNU long name', () => {
  const entry = (name: string, body: Buffer, type = '0') => {
    const header = Buffer.alloc(512);
    header.write(name.slice(0, 100), 0);
    header.write(body.length.toString(8).padStart(11, '0'), 124);
    header.write(type, 156);
    return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  };
  const long = `package/${'x'.repeat(120)}`;
  const tar = Buffer.concat([
    entry('package/package.json', Buffer.from('{}')),
    entry('././@LongLink', Buffer.from(`${long}\0`), 'L'),
    entry(long.slice(0, 100), Buffer.from('long')),
    entry('package/bin/bun', Buffer.from('ELF...')),
    Buffer.alloc(1024),
  ]);
  expect(extractFile(tar, 'package/bin/bun')?.toString()).toBe('ELF...');
  expect(extractFile(tar, long)?.toString()).toBe('long');
  expect(extractFile(tar, 'package/missing')).toBeNull();
});
