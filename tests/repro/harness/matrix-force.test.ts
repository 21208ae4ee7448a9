// `npm run matrix` on a build that already has a record: skipped, unless --force, which runs it again
// and adds a record beside the old one. Without --out the records go to runs/matrix/ (git ignores it),
// never into the published content/matrix/. One catalogue failure (wasm-memory, a few seconds) on the
// pinned Rust build, so nothing is downloaded.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';
import { NODE } from './run-cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'casebook-matrix-force-'));
const defaultOut = fromRoot('runs', 'matrix', 'catalogue');
const before = existsSync(defaultOut) ? new Set(readdirSync(defaultOut)) : new Set<string>();
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  // Only what this test added to the reader's own folder.
  if (existsSync(defaultOut))
    for (const f of readdirSync(defaultOut)) if (!before.has(f)) rmSync(path.join(defaultOut, f));
});

const JOB = ['--versions', '1.4.5', '--scenarios', 'catalogue', '--protocols', 'wasm-memory'];
const matrix = (...args: string[]) =>
  spawnSync(NODE, [fromRoot('repro', 'harness', 'matrix.ts'), ...JOB, ...args], { encoding: 'utf8', cwd: tmp });
const published = fromRoot('content', 'matrix', 'catalogue');
const jsonIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json'));

test(`a build already recorded is skipped; --force runs it again and adds a record${needs(NPM_REGISTRY)}`, {
  timeout: 120_000,
}, () => {
  const out = path.join(tmp, 'recorded');
  mkdirSync(path.join(out, 'catalogue'), { recursive: true });
  const record = jsonIn(published).find((f) => f.endsWith('_wasm-memory_1.4.5-rust.json'))!;
  cpSync(path.join(published, record), path.join(out, 'catalogue', record));

  const again = matrix('--out', out);
  expect(again.status, again.stderr).toBe(0);
  expect(again.stdout).toContain(`[1/1] catalogue wasm-memory 1.4.5: already recorded (${record}), skipped`);
  expect(jsonIn(path.join(out, 'catalogue'))).toEqual([record]);

  const forced = matrix('--force', '--out', out);
  expect(forced.status, forced.stderr).toBe(0);
  expect(forced.stdout).toContain('[1/1] catalogue wasm-memory 1.4.5: running');
  expect(jsonIn(path.join(out, 'catalogue'))).toHaveLength(2);
});

test(`without --out the records go to runs/matrix/, and the published matrix is left alone${needs(NPM_REGISTRY)}`, {
  timeout: 120_000,
}, () => {
  const publishedBefore = jsonIn(published);
  const run = matrix('--force');
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`records in ${fromRoot('runs', 'matrix').replaceAll('/', '\\/')}\\n`));
  expect(
    readdirSync(defaultOut).filter((f) => !before.has(f) && f.endsWith('_wasm-memory_1.4.5-rust.json')),
  ).toHaveLength(1);
  expect(jsonIn(published)).toEqual(publishedBefore);
});

test('--help names --force and the default folder', () => {
  const help = spawnSync(NODE, [fromRoot('repro', 'harness', 'matrix.ts'), '--help'], { encoding: 'utf8' }).stdout;
  expect(help).toMatch(/^ {2}--force {2,}run every job even where a record exists/m);
  expect(help).toMatch(/^ {2}--out <dir> {2,}default: runs\/matrix, untracked/m);
});
