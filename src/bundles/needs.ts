// What running a bundle takes, from measurements only: its commands (the README's and the site's,
// from one definition), each with the wall time `npm run bundles:measure` measured for it in a
// freshly unpacked bundle (measurements.ts), the disk the installed bundle took, and the memory the
// latest recorded run says it needs. A command that was not measured says so, never an estimate.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { shellLine } from '../../repro/core/shell.ts';
import { formatMiB } from '../lib/format.ts';
import { latestRun } from '../lib/runs.ts';
import { formatWall, measuredWhere, type BundleMeasurement, type TimedCommand } from './measurements.ts';
import type { BundleScenario } from './scenarios.ts';

/** One command a reader runs in the unpacked bundle, and what it took when measured. */
interface BundleStep {
  command: string;
  /** "16.5 s", or null when this command was not measured. */
  wall: string | null;
  /** "took 16.5 s on a 2-core host (load average 3.1) on 2026-12-06", or why there is no figure (the file says why a run was left out). */
  took: string;
}

export interface BundleNeeds {
  install: BundleStep;
  /** The quick look, a verdict for every build; null when there is no published run to compare with. */
  quick: BundleStep | null;
  /** The whole run, as published. */
  full: BundleStep;
  /** Why the published run's recorded command is not repeated (full is then the scenario's defaults), or null. */
  fullRefused: string | null;
  disk: string;
  ram: string;
  os: string;
  /** Where the figures come from, one sentence; empty when nothing was measured. */
  provenance: string;
}

/**
 * A run's wall time, from the first build's start to the last build's end: builds may run one after
 * another or interleaved trial by trial, so the records' own spans are not added up.
 */
export function runWallMs(run: readonly RunRecord[]): number {
  return run.length > 0
    ? Math.max(...run.map((r) => Date.parse(r.endedAt))) - Math.min(...run.map((r) => Date.parse(r.startedAt)))
    : 0;
}

const repro = (args: readonly string[]) => shellLine(['npm', 'run', 'repro', ...(args.length ? ['--', ...args] : [])]);

function step(command: string, m: BundleMeasurement | undefined, timed: TimedCommand | null | undefined): BundleStep {
  // Only a figure measured for this very command: a changed quick look is not timed by an old one.
  if (m && timed && timed.command === command) {
    const wall = formatWall(timed.wallMs);
    const ending = timed.verdictLine ? `, ending \`${timed.verdictLine}\`` : '';
    const exit = timed.exitCode !== 0 ? ` (exit code ${timed.exitCode})` : '';
    return { command, wall, took: `took ${wall} ${measuredWhere(m, timed)}${ending}${exit}` };
  }
  return { command, wall: null, took: 'has not been measured yet (`npm run bundles:measure`)' };
}

export function bundleNeeds(
  s: BundleScenario,
  records: readonly RunRecord[],
  m: BundleMeasurement | undefined,
): BundleNeeds {
  const quickLook = s.quickLook(records);
  const run = latestRun(records, s.name);
  const install = step('npm install', m, m?.install);
  const quick = quickLook ? step(repro(quickLook.args), m, m?.quick) : null;
  let full = step(repro(quickLook?.publishedArgs ?? ['--compare']), m, m?.full);
  if (full.wall === null && run.length > 0 && run.every((r) => r.status === 'complete')) {
    // Not timed in a bundle (sql-pool's whole run takes over an hour): the published run's own span,
    // from its records, which say where it ran.
    const wall = formatWall(runWallMs(run));
    full = {
      ...full,
      wall,
      took: `was not timed in a bundle; the published run took ${wall} on a ${run[0]!.host.cores}-core host on ${run[0]!.startedAt.slice(0, 10)}`,
    };
  }
  const disk = m
    ? `${formatMiB(m.install.bytesOnDisk, 0)} on disk once installed (\`du\` of the unpacked bundle after \`npm install\`, on ${m.host.os})`
    : 'not measured yet';
  const ram = s.ram && run.length > 0 ? s.ram(run) : s.ramNote;
  const provenance = m
    ? `Timed by \`npm run bundles:measure\` in a freshly unpacked bundle (npm ${m.npm}, ${m.host.cores} cores, ${formatMiB(m.host.totalMemoryBytes, 0)} RAM, a machine shared with other work, its load average given with each time) at commit ${m.commit?.slice(0, 12) ?? 'unknown'}${m.dirty ? ' with uncommitted changes' : ''}; \`npm install\` ran with this machine's npm cache; a first install downloads more.`
    : '';
  return { install, quick, full, fullRefused: quickLook?.publishedRefused ?? null, disk, ram, os: s.os, provenance };
}
