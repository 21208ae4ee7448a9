// `npm run bundles:measure [-- <scenario…>] [--quick-only <scenario…>]`: what a reader's first hour
// with each bundle costs, measured the reader's way. Packs each bundle as the site serves it, unpacks
// it into an empty temporary folder, runs `npm install`, then its quick look and its whole run (the
// README's commands, from the same quick-look definitions), each timed on the wall clock, with the
// load average before it, and writes content/bundles/measurements.json (schema: measurements.ts),
// which the site and the READMEs read. Each scenario's entry is written as soon as it is measured.
// `--quick-only <scenario>` leaves a whole run out (sql-pool's takes over an hour), and says so.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { shellLine } from '../../repro/core/shell.ts';
import { hostInfo } from '../../repro/harness/provenance.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import {
  BundleMeasurement,
  BundleMeasurements,
  MEASUREMENTS_FILE,
  readMeasurements,
  type TimedCommand,
} from './measurements.ts';
import { packBundle } from './pack.ts';
import { bundleScenario, bundleScenarios } from './scenarios.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A reader's shell: without the npm_* variables of the npm that runs this script (they would change
 * what the bundle's npm allows), and without this project's node_modules/.bin on PATH.
 */
const readerEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  PATH: (process.env.PATH ?? '')
    .split(':')
    .filter((p) => !p.startsWith(path.join(root, 'node_modules')))
    .join(':'),
};

/** Runs one command in the bundle, its output passed through, and times it. */
function timed(cwd: string, words: string[]): Promise<TimedCommand> {
  const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100) as [number, number, number];
  const startedAt = new Date();
  const t0 = performance.now();
  console.log(`\n$ ${shellLine(words)}   (in ${cwd}, load ${loadAverage.join(' ')})`);
  return new Promise((resolve, reject) => {
    const child = spawn(words[0]!, words.slice(1), { cwd, env: readerEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      process.stdout.write(text);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = Math.round(performance.now() - t0);
      const verdictLine = [...out.matchAll(/^([A-Z-]+: \d+ reproduced, .*)$/gm)].at(-1)?.[1] ?? null;
      resolve({
        command: shellLine(words),
        wallMs,
        exitCode: code ?? (signal ? 128 : 1),
        verdictLine,
        startedAt: startedAt.toISOString(),
        loadAverage,
      });
    });
  });
}

async function measure(name: string, quickOnly: boolean): Promise<BundleMeasurement> {
  const records = (await readRecords([path.join(root, 'content/runs')])).map((l) => l.record);
  const s = bundleScenario(name);
  const quick = s.quickLook(records);
  if (!quick) throw new Error(`${name}: no complete published run, so no quick look to measure`);
  // The commit the bundle is packed from, and whether what decides it (the harness, the bundle's
  // manifests, its README and quick look, the published records) differs from that commit.
  const commit = git(['rev-parse', 'HEAD']);
  const dirty =
    git([
      'status',
      '--porcelain',
      '--',
      'repro',
      'src/bundles',
      'src/scenarios',
      'content/runs',
      'package.json',
      'package-lock.json',
    ]) !== '';
  const bundle = packBundle(name, root, records, 'http://localhost:4321/');
  const dir = mkdtempSync(path.join(os.tmpdir(), `bundles-measure-${name}-`));
  try {
    writeFileSync(path.join(dir, bundle.tarGz.name), bundle.tarGz.bytes);
    execFileSync('tar', ['-xzf', bundle.tarGz.name], { cwd: dir });
    const top = path.join(dir, `bun-casebook-${name}`);
    const install = await timed(top, ['npm', 'install']);
    if (install.exitCode !== 0) throw new Error(`${name}: npm install exited ${install.exitCode}`);
    const bytesOnDisk = Number(execFileSync('du', ['-sk', top], { encoding: 'utf8' }).split('\t')[0]) * 1024;
    const repro = (args: string[]) => ['npm', 'run', 'repro', '--', ...args];
    const quickRun = await timed(top, repro(quick.args));
    const full = quickOnly ? null : await timed(top, repro(quick.publishedArgs));
    const host = hostInfo();
    return BundleMeasurement.parse({
      scenario: name,
      tarGzSha256: bundle.tarGz.sha256,
      install: { ...install, bytesOnDisk },
      quick: quickRun,
      full,
      fullNotMeasured: quickOnly ? 'the whole run was left out of this measurement (--quick-only)' : null,
      host: { os: host.os, cpuModel: host.cpuModel, cores: host.cores, totalMemoryBytes: host.totalMemoryBytes },
      npm: execFileSync('npm', ['--version'], { encoding: 'utf8', env: readerEnv }).trim(),
      node: process.version,
      commit,
      dirty,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function save(m: BundleMeasurement): void {
  const current = readMeasurements(root);
  const bundles = [...current.bundles.filter((b) => b.scenario !== m.scenario), m].sort((a, b) =>
    a.scenario.localeCompare(b.scenario),
  );
  const file = path.join(root, MEASUREMENTS_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(BundleMeasurements.parse({ schemaVersion: 1, bundles }), null, 2)}\n`);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { 'quick-only': { type: 'string', multiple: true } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`bundles:measure: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }
  const known = bundleScenarios.map((b) => b.name as string);
  const asked = parsed.positionals.length > 0 ? parsed.positionals : known;
  const quickOnly = parsed.values['quick-only'] ?? [];
  const unknown = [...asked, ...quickOnly].find((n) => !known.includes(n));
  if (unknown) {
    console.error(`bundles:measure: unknown bundle "${unknown}"; known: ${known.join(', ')}`);
    return 2;
  }
  for (const name of asked) {
    const m = await measure(name, quickOnly.includes(name));
    save(m);
    console.log(
      `\n${name}: install ${m.install.wallMs} ms, ${m.install.bytesOnDisk} bytes; quick look ${m.quick.wallMs} ms (exit ${m.quick.exitCode}); whole run ${m.full ? `${m.full.wallMs} ms (exit ${m.full.exitCode})` : 'not measured'}`,
    );
  }
  console.log(`written: ${MEASUREMENTS_FILE}`);
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`bundles:measure: ${(error as Error).message.split('\n')[0]}`);
  return 1;
});
