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
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord, S3LeakRecord, SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { startPg15, type Pg15 } from './pg15.ts';
import { DEBIAN_PG15, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';
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

  /** Three reads of the Rust build from the external store. */
  const readFrom = (endpoint: string, out: string, flags: string[], env?: Record<string, string>) =>
    runCli(
      ['s3-leak', '--bun', BUN_RUST, '--max-iterations', '3', '--s3-endpoint', endpoint, ...flags, '--out', out],
      env ? { env } : {},
    );

  test('credentials as flags (and a password in the endpoint URL) are redacted from the record', {
    timeout: 120_000,
  }, async () => {
    const secret = `flag-secret-${randomBytes(12).toString('hex')}`;
    const urlPassword = `url-password-${randomBytes(12).toString('hex')}`;
    const out = freshOut();
    const r = await readFrom(`http://reader:${urlPassword}@127.0.0.1:${endpointPort}`, out, [
      '--s3-bucket',
      'repro',
      '--s3-access-key-id',
      'S3RVER',
      '--s3-secret-access-key',
      secret,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<S3LeakRecord>(out);
    // The credentials worked: three whole reads from the external store.
    expect(record.parameters.s3).toEqual({
      kind: 'external',
      endpoint: `http://127.0.0.1:${endpointPort}`,
      bucket: 'repro',
    });
    expect(record.verdict.kind).toBe('bounded');
    expect(record.checks[0]).toMatchObject({ name: 'every-read-verified', met: true });

    expectNoSecret(r, out, [secret, urlPassword, 'S3RVER']);
    expect(record.redacted).toEqual(['--s3-endpoint (userinfo)', '--s3-access-key-id', '--s3-secret-access-key']);
    expect(record.command).toContain(`--s3-endpoint 'http://<redacted>@127.0.0.1:${endpointPort}'`);
    expect(record.command).toContain(`--s3-access-key-id '<redacted>'`);
    expect(record.command).toContain(`--s3-secret-access-key '<redacted>'`);
  });

  test("an endpoint password holding '@', and one in ?password=, are redacted whole", {
    timeout: 120_000,
  }, async () => {
    // WHATWG URL (and so the harness and Bun) split the userinfo at the last '@': the password is
    // `ab@<tail>`, and a redaction up to the first '@' would have left the tail in the record.
    const tail = `at-tail-${randomBytes(12).toString('hex')}`;
    const queryPassword = `query-password-${randomBytes(12).toString('hex')}`;
    const out = freshOut();
    const r = await readFrom(
      `http://reader:ab@${tail}@127.0.0.1:${endpointPort}/?password=${queryPassword}`,
      out,
      ['--s3-bucket', 'repro'],
      {
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'not-checked-by-s3rver',
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<S3LeakRecord>(out);
    expect(record.parameters.s3.endpoint).toBe(`http://127.0.0.1:${endpointPort}`);
    expect(record.verdict.kind).toBe('bounded');

    expectNoSecret(r, out, [tail, queryPassword]);
    expect(record.redacted).toEqual([
      '--s3-endpoint (userinfo, password parameter)',
      '$AWS_ACCESS_KEY_ID',
      '$AWS_SECRET_ACCESS_KEY',
    ]);
    expect(record.command).toContain(
      `--s3-endpoint 'http://<redacted>@127.0.0.1:${endpointPort}/?password=<redacted>'`,
    );
  });

  test('a refused endpoint is named in its one-line error without its password', async () => {
    const password = `refused-password-${randomBytes(12).toString('hex')}`;
    for (const endpoint of [
      `http://reader:${password}@`,
      `ftp://reader:ab@${password}@127.0.0.1/?password=${password}`,
    ]) {
      const out = freshOut();
      const r = await runCli(['s3-leak', '--s3-endpoint', endpoint, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^repro: --s3-endpoint \w+:\/\/<redacted>@/)]);
      expect(`${r.stdout}${r.stderr}`).not.toContain(password);
      expect(existsSync(out)).toBe(false);
    }
  });

  test('credentials from AWS_* environment variables are recorded as NAME=<redacted>', {
    timeout: 120_000,
  }, async () => {
    const secret = `env-secret-${randomBytes(12).toString('hex')}`;
    const out = freshOut();
    const r = await readFrom(`http://127.0.0.1:${endpointPort}`, out, [], {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: secret,
      S3_BUCKET: 'repro',
    });
    expect(r.code, r.stderr).toBe(0);
    const record = onlyRecord<S3LeakRecord>(out);
    expect(record.verdict.kind).toBe('bounded');

    expectNoSecret(r, out, [secret, 'S3RVER']);
    expect(record.redacted).toEqual(['$AWS_ACCESS_KEY_ID', '$AWS_SECRET_ACCESS_KEY']);
    // The variables the run read are part of the command that reproduces it; the bucket is no secret.
    expect(record.command).toMatch(
      /^S3_BUCKET=repro AWS_ACCESS_KEY_ID='<redacted>' AWS_SECRET_ACCESS_KEY='<redacted>' npm run repro -- s3-leak /,
    );
  });
});

describe.skipIf(skipWithout(DEBIAN_PG15))(
  `sql-pool against Debian PostgreSQL 15 with a password${needs(DEBIAN_PG15)}`,
  () => {
    // An '@' in the password: the raw form `postgres://u:Super@Secret…@host` must be redacted whole.
    const secretTail = `Secret123-${randomBytes(6).toString('hex')}`;
    const password = `Super@${secretTail}`;
    let server: Pg15;
    beforeAll(async () => {
      requirePrerequisites(DEBIAN_PG15);
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

      expectNoSecret(r, out, [password, secretTail]);
      expect(record.redacted).toEqual(['--database-url (userinfo)']);
      expect(record.command).toContain(`--database-url 'postgres://<redacted>@127.0.0.1:${server.port}/postgres'`);
    });

    test('the password in $DATABASE_URL is redacted from the record', { timeout: 120_000 }, async () => {
      const out = freshOut();
      const r = await runCli(['sql-pool', ...trial, '--out', out], { env: { DATABASE_URL: server.url } });
      expect(r.code, r.stderr).toBe(0);
      const record = onlyRecord<SqlPoolRecord>(out);
      expect(record.parameters.postgres.kind).toBe('external');

      expectNoSecret(r, out, [password, secretTail]);
      expect(record.redacted).toEqual(['$DATABASE_URL (userinfo)']);
      expect(record.command).toMatch(
        new RegExp(
          `^DATABASE_URL='postgres://<redacted>@127\\.0\\.0\\.1:${server.port}/postgres' npm run repro -- sql-pool `,
        ),
      );
    });

    test("a password with a raw '@' in the userinfo is redacted whole, up to the last '@'", {
      timeout: 120_000,
    }, async () => {
      const out = freshOut();
      const r = await runCli([
        'sql-pool',
        '--database-url',
        `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`,
        ...trial,
        '--out',
        out,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const record = onlyRecord<SqlPoolRecord>(out);
      expect(record.parameters.postgres.kind).toBe('external');

      expectNoSecret(r, out, [password, secretTail]);
      expect(record.redacted).toEqual(['--database-url (userinfo)']);
      expect(record.command).toContain(`--database-url 'postgres://<redacted>@127.0.0.1:${server.port}/postgres'`);
    });

    test('a password in ?password= is redacted', { timeout: 120_000 }, async () => {
      const out = freshOut();
      const url = `postgres://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable&password=${encodeURIComponent(password)}`;
      const r = await runCli(['sql-pool', ...trial, '--out', out], { env: { DATABASE_URL: url } });
      expect(r.code, r.stderr).toBe(0);
      const record = onlyRecord<SqlPoolRecord>(out);
      expect(record.parameters.postgres.kind).toBe('external');

      expectNoSecret(r, out, [password, encodeURIComponent(password), secretTail]);
      expect(record.redacted).toEqual(['$DATABASE_URL (userinfo, password parameter)']);
      expect(record.command).toContain(
        `DATABASE_URL='postgres://<redacted>@127.0.0.1:${server.port}/postgres?sslmode=disable&password=<redacted>' npm run repro -- sql-pool `,
      );
    });

    test('a key=value connection string is refused (one line, exit 2) without echoing its password', async () => {
      const out = freshOut();
      const r = await runCli([
        'sql-pool',
        '--database-url',
        `host=127.0.0.1 port=${server.port} user=postgres password=${password}`,
        ...trial,
        '--out',
        out,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      for (const secret of [password, secretTail]) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
      expect(existsSync(out)).toBe(false);
    });
  },
);
