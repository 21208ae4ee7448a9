// What running a bundle takes, from measurements only: the install size that `npm run bundles:lock`
// measured with a real `npm ci` of the bundle, and the wall time and memory of the latest recorded run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { shellLine, shellWords } from '../../repro/core/shell.ts';
import { markdownCode } from '../lib/code-spans.ts';
import { formatMiB } from '../lib/format.ts';
import { latestRun } from '../lib/runs.ts';
import type { BundleScenario } from './scenarios.ts';

/** Written by lock.ts next to the bundle's lockfile. */
export interface InstallSize {
  nodeModulesBytes: number;
  measuredAt: string;
  platform: string;
}

export interface BundleNeeds {
  time: string;
  disk: string;
  ram: string;
  os: string;
}

export function installSizePath(root: string, scenario: string): string {
  return path.join(root, 'repro/bundles', scenario, 'install-size.json');
}

export function readInstallSize(root: string, scenario: string): InstallSize | undefined {
  const file = installSizePath(root, scenario);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InstallSize) : undefined;
}

/** Whole minutes, rounded up: a reader plans with it. */
function minutes(ms: number): string {
  const m = Math.max(1, Math.ceil(ms / 60_000));
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * A run's wall time, from the first build's start to the last build's end: builds may run one after
 * another or interleaved trial by trial, so the records' own spans are not added up.
 */
export function runWallMs(run: readonly RunRecord[]): number {
  return run.length > 0 ? Math.max(...run.map((r) => Date.parse(r.endedAt))) - Math.min(...run.map((r) => Date.parse(r.startedAt))) : 0;
}

export function bundleNeeds(s: BundleScenario, records: readonly RunRecord[], install: InstallSize | undefined): BundleNeeds {
  const run = latestRun(records, s.name);
  const wallMs = runWallMs(run);
  // The command as a shell reads it, each word quoted; one holding shell syntax is not shown at all.
  const words = run.length > 0 ? shellWords(run[0].command) : undefined;
  const recorded = words?.ok ? `the recorded run (${markdownCode(shellLine(words.words))})` : 'the recorded run';
  const time = run.length > 0 ? `${recorded} took ${minutes(wallMs)} on the project machine (${run[0].host.cores} cores), after install` : 'no run recorded yet';
  const disk = install
    ? `${formatMiB(install.nodeModulesBytes, 0)} for node_modules (measured by a clean npm ci on ${install.platform})`
    : 'not measured yet';
  const ram = s.ram && run.length > 0 ? s.ram(run) : s.ramNote;
  return { time, disk, ram, os: s.os };
}
