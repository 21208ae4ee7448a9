// Writes each bundle's package.json and package-lock.json into repro/bundles/<scenario>/, ahead
// of time, so the site build packs them without touching the network. Rerun after changing the
// project's dependency versions:  npm run bundles:lock  (then npm run bundles:measure, which installs
// each bundle for real and measures its disk and times: measure.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundlePackageJson } from './package-json.ts';
import { bundleScenarios } from './scenarios.ts';

const root = path.resolve(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const project = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

for (const scenario of bundleScenarios) {
  const pkg = bundlePackageJson(scenario, project, lock);
  const dir = mkdtempSync(path.join(tmpdir(), `bundle-${scenario.name}-`));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
  });
  const out = path.join(root, 'repro/bundles', scenario.name);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeFileSync(path.join(out, 'package-lock.json'), readFileSync(path.join(dir, 'package-lock.json')));
  rmSync(dir, { recursive: true, force: true });
  console.log(`repro/bundles/${scenario.name}: package.json and package-lock.json written`);
}
