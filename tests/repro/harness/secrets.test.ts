// Secrets never reach a record: real runs, given real credentials as flags, as environment variables
// and in URLs, against a store and a database that check them; then the record files are searched
// byte for byte. `redacted` must say what was removed, and `command` must show <redacted> in its place.
//
// The S3 store is the harness's own s3rver (s3rver-child.ts), started here as an *external* endpoint:
// s3rver knows one access key id, S3RVER, and (for SigV4, which Bun signs with) does not check the
// secret, so the secret can be a unique value the test then searches for. The database is Debian's
// PostgreSQL 15 with a password on the superuser and SCRAM over TCP: the run succeeds only if the
// password in the URL was used.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord, S3LeakRecord, SqlPoolRecord } from '../../../repro/harness/record/schema.ts';
import { canRunPg15, startPg15, type Pg15 } from './pg15.ts';
import { BUN_RUST, privateTmp, recordsIn, removeDirs, runCli, type CliResult } from './run-cli.ts';
import { startS3rver, type Store } from './s3-store.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

function freshOut(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-secrets-out-'));
  dirs.push(dir);
  return path.join(dir, 'out');
}

/** The raw text of every file the run wrote into `out` (records and anything else). */
function filesText(out: string): string {
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

/** The one record a one-build run wrote. */
function onlyRecord<R extends RunRecord>(out: string): R {
  const records = recordsIn(out);
  expect(records).toHaveLength(1);
  return records[0]!.record as R;
}

/** A URL with a password in it: `scheme://user:password@`. Only the redacted form may appear. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s"'/@<>]+:[^\s"'/@<>]+@/i;

function expectNoSecret(result: CliResult, out: string, secrets: string[]) {
  const text = filesText(out);
  expect(text.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(text.includes(secret), `record files contain ${secret}`).toBe(false);
    expect(result.stdout.includes(secret), `stdout contains ${secret}`).toBe(false);
    expect(result.stderr.includes(secret), `stderr contains ${secret}`).toBe(false);
  }
  expect(text).not.toMatch(URL_WITH_PASSWORD);
}

describe('s3-leak against an external endpoint', () => {
  let store: Store;
  let endpointPort: number;
  beforeAll(async () => {
    const data = privateTmp('secrets-s3-data');
    dirs.push(data);
    store = await startS3rver(data);
    endpointPort = store.port;
  });
  afterAll(() => store?.close());

  test('credentials as flags (and a password in the endpoint URL) are redacted from the record', { timeout: 120_000 }, async () => {
    const secret = `flag-secret-${randomBytes(12).toString('hex')}`;
    const urlPassword = `url-password-${randomBytes(12).toString('hex')}`;
    const out = freshOut();
    const r = await runCli([
      's3-leak',
      '--bun', BUN_RUST,
      '--max-iterations', '3',
      '--s3-endpoint', `http://reader:${urlPassword}@127.0.0.1:${endpointPort}`,
      '--s3-bucket', 'repro',
      '--s3-access-key-id', 'S3RVER',
      '--s3-secret-access-key', secret,
      '--out', out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<S3LeakRecord>(out);
    // The credentials worked: three whole reads from the external store.
    expect(record.parameters.s3).toEqual({ kind: 'external', endpoint: `http://127.0.0.1:${endpointPort}`, bucket: 'repro' });
    expect(record.verdict.kind).toBe('bounded');
    expect(record.checks[0]).toMatchObject({ name: 'every-read-verified', met: true });

    expectNoSecret(r, out, [secret, urlPassword, 'S3RVER']);
    expect(record.redacted).toEqual(['--s3-endpoint (userinfo)', '--s3-access-key-id', '--s3-secret-access-key']);
    expect(record.command).toContain(`--s3-endpoint 'http://<redacted>@127.0.0.1:${endpointPort}'`);
    expect(record.command).toContain(`--s3-access-key-id '<redacted>'`);
    expect(record.command).toContain(`--s3-secret-access-key '<redacted>'`);
  });

  test('credentials from AWS_* environment variables are recorded as NAME=<redacted>', { timeout: 120_000 }, async () => {
    const secret = `env-secret-${randomBytes(12).toString('hex')}`;
    const out = freshOut();
    const r = await runCli(['s3-leak', '--bun', BUN_RUST, '--max-iterations', '3', '--s3-endpoint', `http://127.0.0.1:${endpointPort}`, '--out', out], {
      env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: secret, S3_BUCKET: 'repro' },
    });
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<S3LeakRecord>(out);
    expect(record.verdict.kind).toBe('bounded');

    expectNoSecret(r, out, [secret, 'S3RVER']);
    expect(record.redacted).toEqual(['$AWS_ACCESS_KEY_ID', '$AWS_SECRET_ACCESS_KEY']);
    // The variables the run read are part of the command that reproduces it; the bucket is no secret.
    expect(record.command).toMatch(/^S3_BUCKET=repro AWS_ACCESS_KEY_ID='<redacted>' AWS_SECRET_ACCESS_KEY='<redacted>' npm run repro -- s3-leak /);
  });
});

describe.skipIf(!canRunPg15)('sql-pool against Debian PostgreSQL 15 with a password', () => {
  const password = `SuperSecret123-${randomBytes(6).toString('hex')}`;
  let server: Pg15;
  beforeAll(async () => {
    server = await startPg15({ password });
  });
  afterAll(() => server?.stop());

  const trial = ['--faults', 'terminate', '--orderings', 'after', '--repetitions', '1', '--bun', BUN_RUST];

  test('the password in --database-url is redacted from the record', { timeout: 120_000 }, async () => {
    const out = freshOut();
    const r = await runCli(['sql-pool', '--database-url', server.url, ...trial, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<SqlPoolRecord>(out);
    expect(record.parameters.postgres).toMatchObject({ kind: 'external', version: expect.stringMatching(/^15\./) });

    expectNoSecret(r, out, [password]);
    expect(record.redacted).toEqual(['--database-url (userinfo)']);
    expect(record.command).toContain(`--database-url 'postgres://<redacted>@127.0.0.1:${server.port}/postgres'`);
  });

  test('the password in $DATABASE_URL is redacted from the record', { timeout: 120_000 }, async () => {
    const out = freshOut();
    const r = await runCli(['sql-pool', ...trial, '--out', out], { env: { DATABASE_URL: server.url } });
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<SqlPoolRecord>(out);
    expect(record.parameters.postgres.kind).toBe('external');

    expectNoSecret(r, out, [password]);
    expect(record.redacted).toEqual(['$DATABASE_URL (userinfo)']);
    expect(record.command).toMatch(new RegExp(`^DATABASE_URL='postgres://<redacted>@127\\.0\\.0\\.1:${server.port}/postgres' npm run repro -- sql-pool `));
  });
});
