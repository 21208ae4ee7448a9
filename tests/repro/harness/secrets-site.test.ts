// Secrets never reach what the site publishes either: a real run given a secret key as a flag and a
// password in its endpoint URL, then the site built from that run's records (the records page, the
// figures' downloads, the provenance panels) and the reproduction bundle it packs, searched byte for
// byte. The record-level checks are in secrets.test.ts.
import { randomBytes } from 'node:crypto';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { BUN_RUST, privateTmp, removeDirs, runCli } from './run-cli.ts';
import { startS3rver, type Store } from './s3-store.ts';

const dirs: string[] = [];
let store: Store;
beforeAll(async () => {
  const data = privateTmp('secrets-site-s3-data');
  dirs.push(data);
  store = await startS3rver(data);
});
afterAll(async () => {
  await store?.close();
  removeDirs(dirs);
});

/** Every file under `dir`, as bytes: text and binary alike (a PNG or a gzip would hide nothing, but are searched too). */
function allBytes(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const bytes = readFileSync(path.join(e.parentPath, e.name));
      return e.name.endsWith('.gz') ? gunzipSync(bytes) : bytes;
    });
}

test('a secret given to the harness is in neither the built site nor its bundle', { timeout: 300_000 }, async () => {
  const secret = `site-secret-${randomBytes(12).toString('hex')}`;
  const urlPassword = `site-password-${randomBytes(12).toString('hex')}`;
  const work = mkdtempSync(path.join(os.tmpdir(), 'repro-secrets-site-'));
  dirs.push(work);
  const runs = path.join(work, 'runs');
  const run = await runCli([
    's3-leak',
    '--bun', BUN_RUST,
    '--max-iterations', '3',
    '--s3-endpoint', `http://reader:${urlPassword}@127.0.0.1:${store.port}`,
    '--s3-bucket', 'repro',
    '--s3-access-key-id', 'S3RVER',
    '--s3-secret-access-key', secret,
    '--out', path.join(runs, 's3-leak'),
  ]);
  expect(run.code, run.stderr).toBe(0);

  const dist = path.join(work, 'dist');
  const build = spawnSync('npx', ['astro', 'build', '--outDir', dist], { cwd: fromRoot(), encoding: 'utf8', env: { ...process.env, CASEBOOK_RUNS_DIR: runs, SITE_URL: 'https://casebook.example.org', REPOSITORY_URL: 'https://github.com/example/bun-rewrite-casebook' } });
  expect(build.status, build.stderr).toBe(0);
  // The run is what the site shows: its redacted command is on the page, so the search below is not vacuous.
  const article = readFileSync(path.join(dist, 'articles/s3-read-leak/index.html'), 'utf8');
  expect(article).toContain('--s3-secret-access-key');
  expect(article).toContain('&lt;redacted&gt;');

  const bundle = path.join(work, 'bundle');
  execFileSync('mkdir', ['-p', bundle]);
  execFileSync('tar', ['-xzf', path.join(dist, 'bundles/s3-leak.tar.gz'), '-C', bundle]);
  expect(readdirSync(path.join(bundle, 'bun-casebook-s3-leak/reference/s3-leak'))).toHaveLength(1);

  for (const [where, files] of [['the built site', allBytes(dist)], ['the bundle', allBytes(bundle)]] as const) {
    for (const value of [secret, urlPassword]) {
      expect(files.some((bytes) => bytes.includes(value)), `${where} contains ${value}`).toBe(false);
    }
  }
});
