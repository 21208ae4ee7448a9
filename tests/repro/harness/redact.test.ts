// Every password form libpq, node-postgres and WHATWG URL accept is redacted from a recorded value;
// what is not a secret (hosts, paths, sslkey file names, database names) stays. The real runs that
// put these forms into records and the site are in secrets.test.ts and tests/catalogue/readers-copy.test.ts.
import { describe, expect, test } from 'vitest';
import { commandLine } from '../../../repro/harness/provenance.ts';
import { redactArgv, redactValue } from '../../../repro/harness/redact.ts';

const SECRET = 'hunter2-Secret';

describe('a database URL', () => {
  test.each([
    ['userinfo', `postgres://u:${SECRET}@db.example:5432/app`, 'postgres://<redacted>@db.example:5432/app', 'userinfo'],
    [
      "userinfo with '@' in the password (split at the last '@')",
      `postgres://u:ab@${SECRET}@db.example/app`,
      'postgres://<redacted>@db.example/app',
      'userinfo',
    ],
    [
      "userinfo with several '@'",
      `postgres://u:a@b@${SECRET}@db.example/app`,
      'postgres://<redacted>@db.example/app',
      'userinfo',
    ],
    [
      '?password=',
      `postgres://u@db.example/app?password=${SECRET}`,
      'postgres://<redacted>@db.example/app?password=<redacted>',
      'userinfo, password parameter',
    ],
    [
      '&password= after other parameters',
      `postgresql://db.example/app?sslmode=require&password=${SECRET}&connect_timeout=5`,
      'postgresql://db.example/app?sslmode=require&password=<redacted>&connect_timeout=5',
      'password parameter',
    ],
    [
      '?sslpassword= (the sslkey path is no secret)',
      `postgres://db.example/app?sslkey=/home/u/.pg/key.pem&sslpassword=${SECRET}`,
      'postgres://db.example/app?sslkey=/home/u/.pg/key.pem&sslpassword=<redacted>',
      'password parameter',
    ],
    [
      'an S3 endpoint with both',
      `http://reader:x@${SECRET}@127.0.0.1:9000/?password=${SECRET}#f`,
      'http://<redacted>@127.0.0.1:9000/?password=<redacted>#f',
      'userinfo, password parameter',
    ],
  ])('%s', (_, value, redacted, parts) => {
    const r = redactValue('--database-url', value);
    expect(r.text).toBe(redacted);
    expect(r.text).not.toContain(SECRET);
    expect(r.why).toBe(`--database-url (${parts})`);
  });

  test("an '@' in the path or query is no userinfo", () => {
    expect(redactValue('--s3-endpoint', 'http://127.0.0.1:9000/a@b?x=c@d')).toEqual({
      text: 'http://127.0.0.1:9000/a@b?x=c@d',
      why: null,
    });
  });
});

describe('a libpq key=value connection string', () => {
  test.each([
    ['bare', `host=db.example password=${SECRET} dbname=app`, 'host=db.example password=<redacted> dbname=app'],
    [
      'quoted, with a space and an escaped quote',
      `host=db.example password='a \\' ${SECRET}' dbname=app`,
      'host=db.example password=<redacted> dbname=app',
    ],
    [
      'spaces around =, password first',
      `password = ${SECRET} host=db.example sslkey=/k.pem`,
      'password = <redacted> host=db.example sslkey=/k.pem',
    ],
  ])('%s', (_, value, redacted) => {
    const r = redactValue('--database-url', value);
    expect(r).toEqual({ text: redacted, why: '--database-url (password parameter)' });
  });

  test('a value without a secret is left as it is', () => {
    expect(redactValue('--database-url', 'host=db.example dbname=app sslkey=/k.pem')).toEqual({
      text: 'host=db.example dbname=app sslkey=/k.pem',
      why: null,
    });
  });
});

test('the recorded command: every form, as a flag, as --flag=value and as a variable, holds no secret', () => {
  const argv = [
    'sql-pool',
    '--database-url',
    `postgres://u:ab@${SECRET}@h/db`,
    `--database-url=postgres://u@h/db?password=${SECRET}`,
  ];
  const { command, redacted } = commandLine(argv, ['DATABASE_URL'], { DATABASE_URL: `host=h password=${SECRET}` });
  expect(command).not.toContain(SECRET);
  expect(command).toBe(
    "DATABASE_URL='host=h password=<redacted>' npm run repro -- sql-pool --database-url 'postgres://<redacted>@h/db' '--database-url=postgres://<redacted>@h/db?password=<redacted>'",
  );
  expect(redacted).toEqual([
    '--database-url (userinfo)',
    '--database-url (userinfo, password parameter)',
    '$DATABASE_URL (password parameter)',
  ]);
  expect(redactArgv(['--s3-endpoint', 'http://127.0.0.1:9000']).redacted).toEqual([]);
});
