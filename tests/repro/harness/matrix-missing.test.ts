// `npm run matrix -- --missing`: with every job recorded it says so, exits 0 and writes published.json
// beside the records; with --plan it only lists what is missing (and writes nothing).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { PublishedBuilds } from '../../../repro/core/published.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { harnessInfo } from '../../../repro/harness/provenance.ts';
import { NODE } from './run-cli.ts';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'casebook-missing-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const matrix = (...args: string[]) =>
  spawnSync(NODE, [fromRoot('repro', 'harness', 'matrix.ts'), ...args], { encoding: 'utf8', cwd: tmp });
const newest = () => (JSON.parse(matrix('--list', '--json').stdout) as string[]).at(-1)!;

// A record made from uncommitted harness changes never counts as done, so a dirty checkout has work to do.
test.skipIf(harnessInfo().dirty)(
  `nothing missing: one line saying so, published.json written, exit 0${needs(NPM_REGISTRY)}`,
  { timeout: 60_000 },
  () => {
    const out = path.join(tmp, 'recorded');
    cpSync(fromRoot('content', 'matrix', 'catalogue'), path.join(out, 'catalogue'), { recursive: true });
    const build = newest();
    const run = matrix(
      '--missing',
      '--since',
      build,
      '--scenarios',
      'catalogue',
      '--protocols',
      'wasm-memory',
      '--out',
      out,
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('nothing to run: every published build has a record of every failure');
    expect(lines[1]).toMatch(
      /^matrix: \d+ builds of @oven\/bun-linux-x64 on \S+, the newest \S+ \(published \S+Z\); written to recorded\/published\.json$/,
    );
    expect(lines).toHaveLength(2);
    const published = PublishedBuilds.parse(JSON.parse(readFileSync(path.join(out, 'published.json'), 'utf8')));
    expect(published.versions.map((v) => v.version)).toContain(build);
  },
);

test(`--missing --plan lists the jobs without a record and writes nothing${needs(NPM_REGISTRY)}`, {
  timeout: 60_000,
}, () => {
  const out = path.join(tmp, 'empty');
  mkdirSync(out);
  const build = newest();
  const plan = matrix(
    '--missing',
    '--plan',
    '--since',
    build,
    '--scenarios',
    'catalogue,s3-leak',
    '--protocols',
    'wasm-memory,read-loop',
    '--out',
    out,
  );
  expect(plan.status, plan.stderr).toBe(0);
  const rows = plan.stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/));
  // In the order of --scenarios.
  expect(rows).toEqual([
    ['catalogue', 'wasm-memory', build],
    ['s3-leak', 'read-loop', build],
  ]);
  expect(existsSync(path.join(out, 'published.json'))).toBe(false);
  // --json: the refresh workflow's fan-out, one entry per build and scenario.
  const json = matrix('--missing', '--plan', '--json', '--since', build, '--scenarios', 'catalogue', '--out', out);
  expect(JSON.parse(json.stdout)).toEqual([
    { version: build, scenario: 'catalogue', protocols: expect.stringMatching(/^[\w-]+(,[\w-]+){7,}$/), root: false },
  ]);
});
