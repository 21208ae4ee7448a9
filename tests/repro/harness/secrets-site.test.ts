// Secrets never reach what the site publishes either: real runs given a secret key as a flag and
// passwords in every URL form (userinfo with an '@' inside the password, ?password=), then the site
// built from those runs' records (the articles, the figures' downloads, the provenance panels) and the
// reproduction bundles it packs (README, .tar.gz and .zip), searched byte for byte, decompressed.
// The record-level checks are in secrets.test.ts.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSite, copyProject, EXAMPLE_ADDRESSES } from '../../project-copy.ts';
import { startPg15, type Pg15 } from './pg15.ts';
import { DEBIAN_PG15, IN_CI, requirePrerequisites } from '../../prerequisites.ts';
import { BUN_RUST, privateTmp, removeDirs, runCli } from './run-cli.ts';
import { startS3rver, type Store } from './s3-store.ts';

const dirs: string[] = [];
let store: Store;
/**
 * Someone else's PostgreSQL with a password, where the machine can run one (root, Debian's PostgreSQL
 * 15); elsewhere the test checks the S3 secrets alone, and says so in its title. In CI it must.
 */
let server: Pg15 | undefined;
const dbPassword = `Db@site-password-${randomBytes(12).toString('hex')}`;
beforeAll(async () => {
  const data = privateTmp('secrets-site-s3-data');
  dirs.push(data);
  store = await startS3rver(data);
  if (IN_CI) requirePrerequisites(DEBIAN_PG15);
  if (DEBIAN_PG15.met) server = await startPg15({ password: dbPassword });
});
afterAll(async () => {
  await store?.close();
  server?.stop();
  removeDirs(dirs);
});

/** Every file under `dir`, as bytes: text and binary alike, a gzip unzipped and a zip's every entry unpacked. */
function allBytes(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      if (e.name.endsWith('.gz')) return gunzipSync(readFileSync(file));
      if (e.name.endsWith('.zip')) return execFileSync('unzip', ['-p', file], { maxBuffer: 256 * 2 ** 20 });
      return readFileSync(file);
    });
}

test(`a secret given to the harness is in neither the built site nor its bundles (its database half needs ${DEBIAN_PG15.name})`, {
  timeout: 600_000,
}, async () => {
  const secret = `site-secret-${randomBytes(12).toString('hex')}`;
  // The password `ab@<tail>`: a redaction up to the first '@' would leave the tail.
  const atTail = `site-at-tail-${randomBytes(12).toString('hex')}`;
  const queryPassword = `site-query-password-${randomBytes(12).toString('hex')}`;
  const work = mkdtempSync(path.join(os.tmpdir(), 'repro-secrets-site-'));
  dirs.push(work);
  const runs = path.join(work, 'runs');
  const run = await runCli([
    's3-leak',
    '--bun',
    BUN_RUST,
    '--max-iterations',
    '3',
    '--s3-endpoint',
    `http://reader:ab@${atTail}@127.0.0.1:${store.port}/?password=${queryPassword}`,
    '--s3-bucket',
    'repro',
    '--s3-access-key-id',
    'S3RVER',
    '--s3-secret-access-key',
    secret,
    '--out',
    path.join(runs, 's3-leak'),
  ]);
  expect(run.code, run.stderr).toBe(0);
  const secrets = [secret, atTail, queryPassword];
  if (server) {
    // The form of the issue: `postgres://u@host/db?password=…`, which was kept verbatim.
    const sql = await runCli([
      'sql-pool',
      '--database-url',
      `postgres://postgres@127.0.0.1:${server.port}/postgres?password=${encodeURIComponent(dbPassword)}`,
      '--faults',
      'terminate',
      '--orderings',
      'after',
      '--repetitions',
      '1',
      '--bun',
      BUN_RUST,
      '--out',
      path.join(runs, 'sql-pool'),
    ]);
    expect(sql.code, sql.stderr).toBe(0);
    secrets.push(dbPassword, encodeURIComponent(dbPassword), dbPassword.split('@')[1]!);
  }

  const dist = path.join(work, 'dist');
  const build = buildSite(copyProject(path.join(work, 'project')), dist, {
    ...process.env,
    CASEBOOK_RUNS_DIR: runs,
    ...EXAMPLE_ADDRESSES,
  });
  expect(build.status, build.stderr).toBe(0);
  // The runs are what the site shows: their redacted commands are on the pages, so the search below is not vacuous.
  const article = readFileSync(path.join(dist, 'articles/s3-read-leak/index.html'), 'utf8');
  expect(article).toContain('--s3-secret-access-key');
  expect(article).toContain(`http://&lt;redacted&gt;@127.0.0.1:${store.port}/?password=&lt;redacted&gt;`);
  if (server)
    expect(readFileSync(path.join(dist, 'articles/sql-pool-after-scale-to-zero/index.html'), 'utf8')).toContain(
      `postgres://&lt;redacted&gt;@127.0.0.1:${server.port}/postgres?password=&lt;redacted&gt;`,
    );

  const unpacked = path.join(work, 'bundles');
  execFileSync('mkdir', ['-p', unpacked]);
  execFileSync('tar', ['-xzf', path.join(dist, 'bundles/s3-leak.tar.gz'), '-C', unpacked]);
  expect(readdirSync(path.join(unpacked, 'bun-casebook-s3-leak/reference/s3-leak'))).toHaveLength(1);
  expect(readFileSync(path.join(unpacked, 'bun-casebook-s3-leak/README.md'), 'utf8')).toContain('--s3-endpoint');
  if (server) execFileSync('unzip', ['-q', path.join(dist, 'bundles/sql-pool.zip'), '-d', unpacked]);

  for (const [where, files] of [
    ['the built site', allBytes(dist)],
    ['the bundles', allBytes(unpacked)],
  ] as const) {
    for (const value of secrets) {
      expect(
        files.some((bytes) => bytes.includes(value)),
        `${where} contains ${value}`,
      ).toBe(false);
    }
  }
});
