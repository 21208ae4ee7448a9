// The long soak: N runs of each scenario through the real CLI, each cut at a random moment (seeded)
// by SIGINT, SIGTERM or SIGKILL, then the figures — runs, signals by kind, descendants tracked,
// orphans, temporary folders left and leaked, records invalid or lost. Exit code 1 if anything was
// left behind or lost. A check of the harness, not a measurement for the site (see soak-run.ts).
//
//   npm run bench:soak -- [--runs 50] [--seed 1] [--scenarios a,b]   (default: every scenario)
//
// About 20 s a run on a busy two-core machine: the default (50 per scenario) takes about half an hour.
import { parseArgs } from 'node:util';
import { parseNumber } from '../flags.ts';
import { scenarioNames } from '../scenarios.ts';
import { runSoak, soakFigures } from './soak-run.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    scenarios: { type: 'string', default: scenarioNames.join(',') },
  },
});
const runs = parseNumber('--runs', values.runs!, { integer: true, min: 1, max: 10_000 });
const seed = parseNumber('--seed', values.seed!, { integer: true, min: 0, max: 2 ** 32 - 1 });
const scenarios = values.scenarios!.split(',').map((s) => {
  const name = scenarioNames.find((n) => n === s.trim());
  if (!name) {
    console.error(`soak: --scenarios: unknown scenario "${s.trim()}"; known: ${scenarioNames.join(', ')}`);
    process.exit(2);
  }
  return name;
});

console.log(`soak: ${runs} run(s) per scenario of ${scenarios.join(', ')}, seed ${seed}`);
const summary = await runSoak({
  scenarios,
  runs,
  seed,
  onRun: (r, done, total) => {
    const ending = r.index < 0 ? 'timed, left alone' : r.endedFirst ? 'ended first' : `${r.signal} at ${(r.delayMs / 1000).toFixed(1)} s`;
    const exit = r.exit.code ?? r.exit.signal;
    const statuses = r.records.map((x) => x.status ?? 'INVALID').join('/') || 'no record';
    const problems = [
      ...(r.exitAsExpected ? [] : [`unexpected exit ${exit}`]),
      ...(r.hung ? ['HUNG'] : []),
      ...r.orphans.map((p) => `orphan ${p.pid}`),
      ...(r.signal !== 'SIGKILL' && r.tempDirsAtExit.length ? [`temp left: ${r.tempDirsAtExit.join(', ')}`] : []),
      ...r.badStatus,
      ...r.lost.map((l) => `lost ${l}`),
    ];
    console.log(
      `[${r.index < 0 ? 'timing' : `${done}/${total}`}] ${r.scenario}${r.index < 0 ? '' : ` #${r.index}`}: ${ending}, exit ${exit}, ${r.tracked.length} descendant(s), records ${statuses}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
    );
  },
});
console.log('');
for (const line of soakFigures(summary)) console.log(line);

const { results } = summary;
const bad =
  results.some((r) => r.hung || !r.exitAsExpected || r.orphans.length || r.badStatus.length || r.lost.length || r.records.some((x) => x.invalid)) ||
  results.some((r) => r.signal !== 'SIGKILL' && r.tempDirsAtExit.length > 0) ||
  summary.leakedTempDirs.length > 0;
process.exitCode = bad ? 1 : 0;
