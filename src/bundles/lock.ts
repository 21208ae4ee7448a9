// Writes each bundle's package.json and package-lock.json into repro/bundles/<scenario>/, ahead
// of time, so the site build packs them without touching the network, then installs the bundle for
// real (npm ci, install scripts allowed as the bundle allows them) and records the size of its
// node_modules in install-size.json, the disk figure its README states. Rerun after changing the
// project's dependency versions:  npm run bundles:lock
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installSizePath, type InstallSize } from './needs.ts';
import { bundlePackageJson } from './package-json.ts';
import { bundleScenarios } from './scenarios.ts';

const root = path.resolve(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const project = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

for (const scenario of bundleScenarios) {
  const pkg = bundlePackageJson(scenario, project, lock);
  const dir = mkdtempSync(path.join(tmpdir(), `bundle-${scenario.name}-`));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  const out = path.join(root, 'repro/bundles', scenario.name);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeFileSync(path.join(out, 'package-lock.json'), readFileSync(path.join(dir, 'package-lock.json')));
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  const bytes = Number(execFileSync('du', ['-sb', 'node_modules'], { cwd: dir, encoding: 'utf8' }).split('\t')[0]);
  const size: InstallSize = { nodeModulesBytes: bytes, measuredAt: new Date().toISOString(), platform: `${process.platform}-${process.arch}` };
  writeFileSync(installSizePath(root, scenario.name), JSON.stringify(size, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  console.log(`repro/bundles/${scenario.name}: package.json and package-lock.json written`);
}
