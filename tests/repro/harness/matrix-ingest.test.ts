// `npm run matrix -- ingest`: real records from CI artifacts are merged byte for byte; a corrupt one,
// a schema-invalid one and a duplicate are each rejected with one line, and the command says so.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'casebook-ingest-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const published = fromRoot('content', 'runs', 's3-leak');
const [zig, rust] = readdirSync(published)
  .filter((f) => f.endsWith('.json'))
  .sort();

function matrix(...args: string[]) {
  return spawnSync(process.execPath, [fromRoot('repro', 'harness', 'matrix.ts'), 'ingest', ...args], {
    encoding: 'utf8',
  });
}

test('ingest validates, copies byte for byte, and rejects corrupt, invalid and duplicate records', () => {
  const artifacts = path.join(tmp, 'artifacts');
  const out = path.join(tmp, 'matrix');
  for (const job of ['job-a', 'job-b', 'job-c']) mkdirSync(path.join(artifacts, job), { recursive: true });
  copyFileSync(path.join(published, zig!), path.join(artifacts, 'job-a', zig!));
  copyFileSync(path.join(published, rust!), path.join(artifacts, 'job-b', rust!));
  // The same record again, as a second artifact would carry it.
  copyFileSync(path.join(published, rust!), path.join(artifacts, 'job-c', 'again.json'));
  // Truncated on download.
  writeFileSync(
    path.join(artifacts, 'job-c', 'truncated.json'),
    readFileSync(path.join(published, zig!), 'utf8').slice(0, 5000),
  );
  // Valid JSON, not a record: a negative RSS.
  const doctored = JSON.parse(readFileSync(path.join(published, zig!), 'utf8'));
  doctored.verdict.peakRssBytes = -1;
  writeFileSync(path.join(artifacts, 'job-c', 'doctored.json'), JSON.stringify(doctored));

  const first = matrix(artifacts, '--out', out);
  expect(first.status).toBe(1);
  expect(first.stdout.trim()).toBe('matrix: ingested 2 records, rejected 3');
  const rejected = first.stderr.trim().split('\n');
  expect(rejected).toHaveLength(3);
  expect(rejected.find((l) => l.includes('again.json'))).toMatch(/a duplicate of .*job-b/);
  expect(rejected.find((l) => l.includes('truncated.json'))).toMatch(/not JSON/);
  expect(rejected.find((l) => l.includes('doctored.json'))).toMatch(/not a run record: verdict\.peakRssBytes/);
  // Byte for byte: the evidence is never re-serialised.
  expect(readFileSync(path.join(out, 's3-leak', zig!))).toEqual(readFileSync(path.join(published, zig!)));
  expect(readFileSync(path.join(out, 's3-leak', rust!))).toEqual(readFileSync(path.join(published, rust!)));

  // A second ingest of the same artifacts adds nothing.
  const second = matrix(path.join(artifacts, 'job-a'), '--out', out);
  expect(second.status).toBe(1);
  expect(second.stderr).toMatch(/already in the matrix/);
  expect(readdirSync(path.join(out, 's3-leak')).sort()).toEqual([zig, rust].sort());
});

test('ingest without folders, or with a missing one, is a usage error', () => {
  expect(matrix().status).toBe(2);
  const missing = matrix(path.join(tmp, 'nope'));
  expect(missing.status).toBe(2);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
});

test('a record whose runtime.version climbs out of the matrix is rejected, and nothing is written outside it (issue 19, item 3)', () => {
  // Deep enough that the four ".." would land inside `root`, where the test can look.
  const root = path.join(tmp, 'escape');
  const artifacts = path.join(root, 'a', 'b', 'artifacts');
  const out = path.join(root, 'a', 'b', 'matrix');
  mkdirSync(artifacts, { recursive: true });
  const hostile = JSON.parse(readFileSync(path.join(published, zig!), 'utf8'));
  hostile.runtime.version = 'x/../../../../escaped';
  writeFileSync(path.join(artifacts, 'hostile.json'), JSON.stringify(hostile));

  const r = matrix(artifacts, '--out', out);
  expect(r.status).toBe(1);
  // Rejected by the file-name allow-list (or by the schema, should it come to refuse such a version).
  expect(r.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      /^matrix: rejected \S+hostile\.json: (runtime\.version is not a version|not a run record: runtime\.version)/,
    ),
  ]);
  expect(r.stdout.trim()).toBe('matrix: ingested 0 records, rejected 1');
  // On main this wrote root/a/escaped-zig.json.
  expect(readdirSync(root, { recursive: true }).map(String).sort()).toEqual([
    'a',
    'a/b',
    'a/b/artifacts',
    'a/b/artifacts/hostile.json',
  ]);
});

test('a symlink to a secret among the artifacts: rejected, and not a byte of the secret in the output (issue 19, item 11)', () => {
  const artifacts = path.join(tmp, 'secret-artifacts');
  mkdirSync(artifacts);
  // Stands for /etc/shadow: JSON.parse's own message quotes the first bytes of what it read.
  writeFileSync(path.join(tmp, 'shadow'), 'root:$y$j9T$not-for-any-log:19000:0:99999:7:::\n');
  symlinkSync(path.join(tmp, 'shadow'), path.join(artifacts, 'record.json'));
  const r = matrix(artifacts, '--out', path.join(tmp, 'secret-matrix'));
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(
    `matrix: rejected ${path.join(artifacts, 'record.json')}: not JSON (an unexpected character)`,
  );
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/root:|not-for-any-log/);
});

test('a record whose summary its own samples contradict is rejected as the site would reject it, and its label never reaches the terminal raw', () => {
  const artifacts = path.join(tmp, 'contradicted');
  const out = path.join(tmp, 'contradicted-matrix');
  mkdirSync(artifacts, { recursive: true });
  const doctored = JSON.parse(readFileSync(path.join(published, zig!), 'utf8'));
  // A summary that says the leaking build stayed small: the samples say otherwise.
  doctored.verdict.peakRssBytes = 10 * 2 ** 20;
  writeFileSync(path.join(artifacts, 'small-peak\u001b]52;c;aGk=\u0007.json'), JSON.stringify(doctored));
  const r = matrix(artifacts, '--out', out);
  expect(r.status).toBe(1);
  expect(r.stdout.trim()).toBe('matrix: ingested 0 records, rejected 1');
  const [line, ...more] = r.stderr.trim().split('\n');
  expect(more).toEqual([]);
  expect(line).toMatch(
    /^matrix: rejected \S+small-peak\\x1b\]52;c;aGk=\\x07\.json: the summary disagrees with the record's own evidence: verdict\.peakRssBytes is 10\.0 MiB, the samples give /,
  );
  expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  expect(() => readdirSync(out)).toThrow();
});
