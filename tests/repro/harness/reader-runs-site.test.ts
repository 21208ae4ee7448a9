// A reader's own runs, previewed through CASEBOOK_RUNS_DIR as the README suggests: real short runs of
// each scenario with flags other than the published ones (sizes without the 256 MiB one the article
// quotes, fewer reads, one trial), given a secret key as a flag and passwords in every URL form
// (userinfo with an '@' inside the password, ?password=). The site built from them must pass; its pages
// say what each run lacks instead of a number it does not hold; and no secret reaches what it
// publishes (the articles, the figures' downloads, the provenance panels, the reproduction bundles:
// README, .tar.gz and .zip), searched byte for byte, decompressed. One build serves both checks: a
// build is the costliest step here. The record-level secret checks are in secrets.test.ts.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSite, copyProject, EXAMPLE_ADDRESSES } from '../../project-copy.ts';
import { DEBIAN_PG15, IN_CI, requirePrerequisites } from '../../prerequisites.ts';
import { startPg15, type Pg15 } from './pg15.ts';
import { BUN_RUST, privateTmp, recordsIn, removeDirs, runCli } from './run-cli.ts';
import { startS3rver, type Store } from './s3-store.ts';

const dirs: string[] = [];
let store: Store | undefined;
/**
 * Someone else's PostgreSQL with a password, where the machine can run one (root, Debian's PostgreSQL
 * 15); elsewhere the sql-pool run uses the embedded server and the secret test checks the S3 secrets
 * alone, and says so in its title. In CI it must.
 */
let server: Pg15 | undefined;

const secret = `site-secret-${randomBytes(12).toString('hex')}`;
// The password `ab@<tail>`: a redaction up to the first '@' would leave the tail.
const atTail = `site-at-tail-${randomBytes(12).toString('hex')}`;
const queryPassword = `site-query-password-${randomBytes(12).toString('hex')}`;
const dbPassword = `Db@site-password-${randomBytes(12).toString('hex')}`;

const work = mkdtempSync(path.join(os.tmpdir(), 'repro-reader-runs-'));
dirs.push(work);
const dist = path.join(work, 'dist');
const runIds: Record<string, string> = {};
/** Each run's record files: one per build. */
const recordFiles: Record<string, string[]> = {};

beforeAll(async () => {
  const data = privateTmp('reader-runs-s3-data');
  dirs.push(data);
  store = await startS3rver(data);
  if (IN_CI) requirePrerequisites(DEBIAN_PG15);
  if (DEBIAN_PG15.met) server = await startPg15({ password: dbPassword });

  const database = server
    ? // The form of the issue: `postgres://u@host/db?password=…`, which was kept verbatim.
      [
        '--database-url',
        `postgres://postgres@127.0.0.1:${server.port}/postgres?password=${encodeURIComponent(dbPassword)}`,
      ]
    : [];
  const flags = {
    's3-upload': ['--payload-mib', '8,16', '--repetitions', '1', '--control-payload-mib', 'none', '--bun', BUN_RUST],
    's3-leak': [
      '--max-iterations',
      '300',
      '--s3-endpoint',
      `http://reader:ab@${atTail}@127.0.0.1:${store.port}/?password=${queryPassword}`,
      '--s3-bucket',
      'repro',
      '--s3-access-key-id',
      'S3RVER',
      '--s3-secret-access-key',
      secret,
    ],
    'sql-pool': ['--faults', 'terminate', '--orderings', 'after', '--repetitions', '1', ...database],
  };
  // The three runs share nothing but the machine (each its own --out, temporary folders, store or
  // server, and port), and nothing here reads a measurement: they run at the same time.
  const runs = path.join(work, 'runs');
  await Promise.all(
    Object.entries(flags).map(async ([scenario, args]) => {
      const out = path.join(runs, scenario);
      const run = await runCli([scenario, ...args, '--out', out]);
      expect(run.code, `${scenario}: ${run.stderr}`).toBe(0);
      const records = recordsIn(out);
      runIds[scenario] = records[0]!.record.runId;
      recordFiles[scenario] = records.map((r) => r.file);
    }),
  );

  const build = buildSite(copyProject(path.join(work, 'project')), dist, {
    ...process.env,
    CASEBOOK_RUNS_DIR: runs,
    ...EXAMPLE_ADDRESSES,
  });
  expect(build.status, `${build.stdout.slice(-2000)}\n${build.stderr.slice(-2000)}`).toBe(0);
}, 600_000);

afterAll(async () => {
  await store?.close();
  server?.stop();
  removeDirs(dirs);
});

const article = (name: string) => readFileSync(path.join(dist, 'articles', name, 'index.html'), 'utf8');

test("a reader's own runs with other flags, one per scenario, build the site; its pages say what each run lacks", () => {
  const upload = article('s3-upload-regression');
  expect(upload).toContain(runIds['s3-upload']);
  // The <Stat> that threw: the published run's 256 MiB rise, which this run did not measure.
  expect(upload).toContain('[not measured in this run: needs a 256 MiB upload (this run uploaded 8 and 16 MiB)]');
  // The affected 1.4.2 build the article quotes is not among this run's builds (one --bun).
  expect(upload).toContain('[not measured in this run: no 1.4.2 build in this run]');

  const leak = article('s3-read-leak');
  expect(leak).toContain(runIds['s3-leak']);
  expect(leak).not.toContain('[no recorded run yet]');

  const sql = article('sql-pool-after-scale-to-zero');
  expect(sql).toContain(runIds['sql-pool']);
  expect(sql).toContain('[not measured in this run: needs the cold-start/after trial]');
  expect(sql).toContain('[not measured in this run: needs the lazy-rst/after trial of both a Zig and a Rust build]');
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

test(`a secret given to the harness is in neither the built site nor its bundles (its database half needs ${DEBIAN_PG15.name})`, () => {
  // The runs are what the site shows: their redacted commands are on the pages, so the search below is not vacuous.
  const leak = article('s3-read-leak');
  expect(leak).toContain('--s3-secret-access-key');
  expect(leak).toContain(`http://&lt;redacted&gt;@127.0.0.1:${store!.port}/?password=&lt;redacted&gt;`);
  const secrets = [secret, atTail, queryPassword];
  if (server) {
    expect(article('sql-pool-after-scale-to-zero')).toContain(
      `postgres://&lt;redacted&gt;@127.0.0.1:${server.port}/postgres?password=&lt;redacted&gt;`,
    );
    secrets.push(dbPassword, encodeURIComponent(dbPassword), dbPassword.split('@')[1]!);
  }

  const unpacked = path.join(work, 'bundles');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', path.join(dist, 'bundles/s3-leak.tar.gz'), '-C', unpacked]);
  // The bundle's reference is the reader's run, as the site shows it.
  expect(readdirSync(path.join(unpacked, 'bun-casebook-s3-leak/reference/s3-leak')).sort()).toEqual(
    recordFiles['s3-leak'],
  );
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
