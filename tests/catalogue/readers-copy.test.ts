// A reader's copy of the project, from a new failure folder and their own runs to `npm start`, with
// one site build: a build is the costliest step of the suite (about 50 core-seconds here), and this
// file once was three files that built the site three times.
//
// 1. "A failure is one folder", enforced: one new folder under repro/failures/ (a probe that
//    allocates 32 MiB and frees it), and nothing else, must put the failure in the harness's
//    registry, in the matrix's build plan, in a record written by a real Bun, on the site's pages and
//    in ledger.json; and git must see no other file changed.
// 2. The reader's own runs, previewed through CASEBOOK_RUNS_DIR as the docs suggest: real short runs
//    of each scenario with flags other than the published ones (sizes without the 256 MiB one the
//    article quotes, fewer reads, one trial), a secret key as a flag and passwords in every URL form
//    (userinfo with an '@' inside the password, ?password=). The pages say what each run lacks
//    instead of a number it does not hold, and no secret reaches what the site publishes (the
//    articles, the figures' downloads, the provenance panels, the bundles: README, .tar.gz and .zip),
//    searched byte for byte, decompressed. The record-level secret checks are in secrets.test.ts.
// 3. `npm start -- --port N` builds that copy for the port and serves it there, and says what a reader
//    needs: the build under way, the address, and warnings only when they are the reader's.
// How `npm start` is stopped, and its port-in-use error, are npm-start.test.ts's.
import { randomBytes } from 'node:crypto';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../repro/harness/net.ts';
import { copyProject } from '../project-copy.ts';
import { DEBIAN_PG15, IN_CI, needs, NPM_REGISTRY, requirePrerequisites } from '../prerequisites.ts';
import { startPg15, type Pg15 } from '../repro/harness/pg15.ts';
import { BUN_RUST, NODE, privateTmp, recordsIn, removeDirs, runCli, waitFor } from '../repro/harness/run-cli.ts';
import { startS3rver, type Store } from '../repro/harness/s3-store.ts';

const ID = 'throwaway-alloc';

const FAILURE_TS = `// A throwaway failure for the catalogue's own test: allocate and free, which no build leaks.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

export const failure = defineFailure({
  id: '${ID}',
  title: 'A 32 MiB buffer is not returned',
  heading: { wide: 'Throwaway\\nallocation', narrow: 'Throw-\\naway' },
  kind: 'leak',
  summary: 'A probe that allocates a buffer and drops it; any build returns the memory.',
  issue: { number: 1, title: 'not a real issue', reported: 'never' },
  fix: null,
  services: [],
  parameters: { mib: 32 },
  timeoutMs: 30_000,
  repetitions: 1,
  measurement: z.object({ riseBytes: z.number() }),
  keyFigure: { label: 'RssAnon rise after the buffer, collected', unit: 'MiB', threshold: 24, of: (m) => m.riseBytes / 2 ** 20 },
  verdict: {
    rule: 'affected when anonymous resident memory rises by 24 MiB or more after one 32 MiB buffer is dropped and collected',
    reason: 'The buffer is 32 MiB; a build that frees it ends within a few MiB of where it began.',
    decide: (m) => (m.riseBytes >= 24 * 2 ** 20 ? 'affected' : 'not-affected'),
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
`;

const PROBE_TS = `import { readFileSync } from 'node:fs';
declare const Bun: { gc(force: boolean): void };
const anon = () => Number(/RssAnon:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
Bun.gc(true);
const before = anon();
let buffer: Uint8Array | null = new Uint8Array(Number(process.env.CASEBOOK_MIB) * 2 ** 20).fill(1);
buffer = null;
Bun.gc(true);
console.log(JSON.stringify({ ev: 'result', riseBytes: anon() - before }));
`;

const dirs: string[] = [];
const work = mkdtempSync(path.join(os.tmpdir(), 'casebook-readers-copy-'));
dirs.push(work);
const copy = path.join(work, 'project');
const dist = path.join(copy, 'dist');
const runs = path.join(work, 'runs');

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

const runIds: Record<string, string> = {};
/** Each reader run's record files: one per build. */
const recordFiles: Record<string, string[]> = {};
/** The throwaway failure's record, as the matrix keeps it in the copy. */
let throwawayRecord: string;
/** Whatever `npm start` printed, and the port it was asked for. */
let started: { port: number; stdout: string; stderr: string; home: Response; homeText: string };

/** Runs a command in the copy and returns its stdout; a failure shows its stderr. */
function inCopy(command: string, args: string[]): string {
  const run = spawnSync(command, args, { cwd: copy, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  expect(run.status, `${command} ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

const git = (...args: string[]) =>
  inCopy('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args]);

/** The reader's three runs, one per scenario, with their own flags and secrets, into `runs/<scenario>`. */
async function readerRuns(): Promise<void> {
  const data = privateTmp('readers-copy-s3-data');
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
  // The runs share nothing but the machine (each its own --out, temporary folders, store or server,
  // and port), and nothing here reads a measurement: they run at the same time.
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
}

/** The throwaway failure's probe, run by a real Bun through the copy's own harness, into the matrix's records. */
async function throwawayRun(): Promise<void> {
  const records = path.join(copy, 'content', 'matrix', 'catalogue');
  await promisify(execFile)(NODE, ['repro/harness/cli.ts', ID, '--bun', BUN_RUST, '--out', records], { cwd: copy });
  const written = readdirSync(records).filter((f) => f.includes(`_${ID}_`));
  expect(written).toHaveLength(1);
  throwawayRecord = written[0]!;
}

/** `npm start -- --port N` in the copy, with the reader's runs: until it serves; then the home page, and stop. */
async function npmStart(): Promise<void> {
  const port = await freePort();
  const npm = spawn('npm', ['start', '--', '--port', String(port)], {
    cwd: copy,
    env: { ...process.env, CASEBOOK_RUNS_DIR: runs },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  npm.stdout!.on('data', (chunk) => (stdout += chunk));
  npm.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise((resolve) => npm.on('exit', resolve));
  try {
    await waitFor('the server to listen', () => servedAt(port).test(stdout) || npm.exitCode !== null, 540_000);
    expect(npm.exitCode, stderr).toBeNull();
    const home = await fetch(`http://127.0.0.1:${port}/`);
    started = { port, stdout, stderr, home, homeText: await home.text() };
  } finally {
    npm.kill('SIGTERM');
    await exit;
  }
}

// The server's own line: the build also names the address (the local preview's notice).
const servedAt = (port: number) => new RegExp(`^Serving \\S+ on http://localhost:${port}/`, 'm');

beforeAll(async () => {
  // The copy (every file git would commit, and node_modules of links), as a repository of its own.
  copyProject(copy);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'the project as it is');
  mkdirSync(path.join(copy, 'repro', 'failures', ID));
  writeFileSync(path.join(copy, 'repro', 'failures', ID, 'failure.ts'), FAILURE_TS);
  writeFileSync(path.join(copy, 'repro', 'failures', ID, 'probe.ts'), PROBE_TS);
  await Promise.all([readerRuns(), throwawayRun()]);
  await npmStart();
}, 600_000);

afterAll(async () => {
  await store?.close();
  server?.stop();
  removeDirs(dirs);
});

const article = (name: string) => readFileSync(path.join(dist, 'articles', name, 'index.html'), 'utf8');

test(`a new folder under repro/failures/ is the whole of adding a failure${needs(NPM_REGISTRY)}`, () => {
  // The harness's registry: the CLI knows the id, as a scenario alias and in its help.
  expect(inCopy(NODE, ['repro/harness/cli.ts', ID, '--help'])).toContain(ID);
  // The matrix's build plan has a job for it, still to run: a run given its own --bun (as below) is
  // not the matrix's record of the published 1.4.5.
  const plan = JSON.parse(
    inCopy(NODE, ['repro/harness/matrix.ts', '--scenarios', 'catalogue', '--versions', '1.4.5', '--plan', '--json']),
  ) as { protocol: string; build: string; recorded: boolean }[];
  expect(plan).toContainEqual({ scenario: 'catalogue', protocol: ID, build: '1.4.5', recorded: false });

  // The real run of its probe by a real Bun (beforeAll), written where the matrix keeps its records.
  const record = JSON.parse(readFileSync(path.join(copy, 'content', 'matrix', 'catalogue', throwawayRecord), 'utf8'));
  expect(record.status).toBe('complete');
  expect(record.verdict.status).toBe('not-affected');

  // The site: the failure's page, its row in the ledger, its place in the catalogue.
  const page = readFileSync(path.join(dist, 'failures', ID, 'index.html'), 'utf8');
  expect(page).toContain('A 32 MiB buffer is not returned');
  expect(page).toContain('CASEBOOK_MIB'); // the probe's source, shown
  expect(page).toContain(`npm run repro -- ${ID}`);
  expect(readFileSync(path.join(dist, 'failures', 'index.html'), 'utf8')).toContain(`/failures/${ID}/`);
  const ledger = JSON.parse(readFileSync(path.join(dist, 'ledger.json'), 'utf8')) as {
    failure: string;
    class: string;
    states: Record<string, string>;
  }[];
  const row = ledger.find((r) => r.failure === ID);
  expect(row?.class).toBe('not-seen');
  expect(Object.values(row!.states)).toContain('not-affected');

  // And nothing else was edited: git sees the folder and the record (the build's output is ignored).
  const changes = git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort();
  expect(changes).toEqual(
    [
      `?? content/matrix/catalogue/${throwawayRecord}`,
      `?? repro/failures/${ID}/failure.ts`,
      `?? repro/failures/${ID}/probe.ts`,
    ].sort(),
  );
});

test('npm start -- --port N builds the copy for that port and serves it there, and says only what the reader needs', () => {
  const { port, stdout, stderr, home, homeText } = started;
  // The build under way, then the address: npm's own banner (`> …`) aside, no page list.
  const own = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('> '));
  expect(own(stdout)).toEqual([
    `npm start: building the site for http://localhost:${port}/ (a minute or more; its warnings are shown, its page list is not)`,
    expect.stringMatching(servedAt(port)),
  ]);
  // No warning that is not the reader's: this copy's sources have none.
  expect(own(stderr)).toEqual([]);
  expect(home.status).toBe(200);
  expect(homeText).toBe(readFileSync(path.join(dist, 'index.html'), 'utf8'));
  expect(homeText).toContain(`http://localhost:${port}/`);
});

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
