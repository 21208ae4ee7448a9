// A reader's path through a bundle, for real: download it from the built site, unpack it, install it,
// run the commands its README gives, and read the compare table at the end. Each README's first
// command after npm install is its quick look, and it must reproduce the published run (exit 0,
// REPRODUCED) with a row for every build; the S3 bundle must accept its scenario named or not.
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompareReport } from '../../repro/core/compare/report.ts';
import { needs, NPM_REGISTRY } from '../prerequisites.ts';

// Installing a bundle (npm ci: the npm registry, or npm's cache) and running real trials takes
// minutes; nothing here is timed.
test.describe.configure({ timeout: 15 * 60_000 });

/**
 * A reader's shell: without the npm_* variables of the `npm test` that runs us. npm passes its own
 * config down (npm_config_local_prefix, npm_config_allow_scripts, …), which would make the bundle's
 * npm hold back the install scripts its package.json allows.
 */
const readerEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

/**
 * Unpacked into a private (0700) folder, as root: like a reader's home, out of reach of the
 * `postgres` user the embedded server runs as; the harness must cope.
 */
async function unpackedBundle(
  request: import('@playwright/test').APIRequestContext,
  scenario: string,
): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), `bundle-rerun-${scenario}-`));
  const file = path.join(dir, `${scenario}.tar.gz`);
  writeFileSync(file, await (await request.get(`/bundles/${scenario}.tar.gz`)).body());
  execFileSync('tar', ['-xzf', file, '-C', dir]);
  const top = path.join(dir, `bun-casebook-${scenario}`);
  // The registry or the local npm cache; install scripts as the bundle allows them.
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], {
    cwd: top,
    encoding: 'utf8',
    env: readerEnv,
  });
  expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
  return top;
}

/** The README's commands inside its first sh block, comments dropped. */
function readmeCommands(top: string): string[] {
  const readme = readFileSync(path.join(top, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

function npmRun(top: string, command: string) {
  const args = command.split(/\s+/).slice(1); // after "npm"
  return spawnSync('npm', args, { cwd: top, encoding: 'utf8', env: readerEnv });
}

test(`sql-pool bundle: the README quick look reproduces the published run${needs(NPM_REGISTRY)}`, async ({
  request,
}) => {
  const top = await unpackedBundle(request, 'sql-pool');
  try {
    const commands = readmeCommands(top);
    expect(commands[0]).toBe('npm install');
    const quick = commands[1]!;
    expect(quick).toMatch(/^npm run repro -- --faults \S+ --orderings after --repetitions \d+ --compare$/);
    const run = npmRun(top, quick);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^REPRODUCED: \d+ reproduced, 0 differ/m);
    // The report a reader can attach to an issue, in the harness's own schema.
    const reportFile = readdirSync(path.join(top, 'runs', 'sql-pool')).find((f) => f.endsWith('.compare.json'))!;
    const report = CompareReport.parse(
      JSON.parse(readFileSync(path.join(top, 'runs', 'sql-pool', reportFile), 'utf8')),
    );
    expect(report.verdict).toBe('reproduced');
    expect(report.rows.every((r) => r.verdict === 'reproduced')).toBe(true);
  } finally {
    rmSync(path.dirname(top), { recursive: true, force: true });
  }
});

test(`s3-leak bundle: npm run repro works with and without the scenario name, and compare says why a short run is not comparable${needs(NPM_REGISTRY)}`, async ({
  request,
}) => {
  const top = await unpackedBundle(request, 's3-leak');
  try {
    // The scenario named here; the quick look below names none.
    const short = npmRun(top, 'npm run repro -- s3-leak --max-iterations 20');
    expect(short.status, `${short.stdout}\n${short.stderr}`).toBe(0);
    expect(short.stdout).toMatch(/record: runs\/s3-leak\//);
    const compare = npmRun(top, 'npm run repro -- compare runs/s3-leak');
    expect(compare.status, compare.stdout + compare.stderr).toBe(4);
    expect(compare.stdout).toContain('other parameters');
    // The README's quick look: both builds decided, and compared with the published run.
    const commands = readmeCommands(top);
    expect(commands[1]).toBe('npm run repro -- --quick --compare');
    const quick = npmRun(top, commands[1]!);
    expect(quick.status, `${quick.stdout}\n${quick.stderr}`).toBe(0);
    expect(quick.stdout).toMatch(/^record: runs\/s3-leak\/.+_1\.4\.5-rust\.json$/m);
    expect(quick.stdout).toMatch(/^REPRODUCED: \d+ reproduced, 0 differ, 0 not comparable$/m);
    expect(quick.stdout).toMatch(/^1\.3\.14 \(Zig\) +verdict +threshold-crossed +threshold-crossed +reproduced/m);
    expect(quick.stdout).toMatch(/^1\.4\.5 \(Rust\) +verdict +bounded +bounded +reproduced/m);
  } finally {
    rmSync(path.dirname(top), { recursive: true, force: true });
  }
});

test(`s3-upload bundle: the README quick look fetches its Bun builds from the registry and reproduces the published run${needs(NPM_REGISTRY)}`, async ({
  request,
}) => {
  const top = await unpackedBundle(request, 's3-upload');
  try {
    const commands = readmeCommands(top);
    expect(commands).toEqual([
      'npm install',
      'npm run repro -- --repetitions 2 --control-payload-mib 64 --control-repetitions 1 --compare',
      'npm run repro -- --compare',
    ]);
    const run = npmRun(top, commands[1]!);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^REPRODUCED: \d+ reproduced, 0 differ/m);
    const reportFile = readdirSync(path.join(top, 'runs', 's3-upload')).find((f) => f.endsWith('.compare.json'))!;
    const report = CompareReport.parse(
      JSON.parse(readFileSync(path.join(top, 'runs', 's3-upload', reportFile), 'utf8')),
    );
    expect(report.verdict).toBe('reproduced');
    // Every build of the published run was compared: the one that buffers and the two that stream.
    expect(new Set(report.rows.map((r) => r.build)).size).toBe(3);
  } finally {
    rmSync(path.dirname(top), { recursive: true, force: true });
  }
});
