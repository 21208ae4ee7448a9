// The long soak: N runs of each variant through the real CLI, each cut at a random moment (seeded) by
// SIGINT, SIGTERM, SIGHUP or SIGKILL, to the harness or to the npm of `npm run repro` alone, then the
// figures — runs, signals by kind, exits, orphans, and what was left: temporary folders, PostgreSQL
// shared memory segments and /dev/shm files, network namespaces, database roles, records invalid or
// lost. Exit code 1 if anything was left behind or lost. A check of the harness, not a measurement for
// the site (see soak-run.ts).
//
//   npm run bench:soak -- [--runs 50] [--seed 1] [--scenarios a,b] [--variant "<scenario> <flags…>"]…
//
// Variants: each scenario's own soak run; each --variant adds one with those flags (e.g. the SQL
// scenario through its kernel blackhole, which makes a network namespace: root, ip, iptables); with
// DATABASE_URL set, every scenario that reads it is soaked against that server too, and its roles are
// counted. About 20 s a run on a busy two-core machine: 50 runs take about a quarter of an hour.
import { parseArgs } from 'node:util';
import { oneLine, usageError } from '../../core/errors.ts';
import { parseNumber } from '../flags.ts';
import { loadScenario, scenarioNames } from '../scenarios.ts';
import { runSoak, scenarioVariants, soakFigures, soakProblems, type SoakVariant } from './soak-run.ts';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '50' },
        seed: { type: 'string', default: '1' },
        scenarios: { type: 'string', default: scenarioNames.join(',') },
        variant: { type: 'string', multiple: true, default: [] },
      },
    }));
  } catch (error) {
    throw usageError(oneLine(error));
  }
  const runs = parseNumber('--runs', values.runs!, { integer: true, min: 1, max: 10_000 });
  const seed = parseNumber('--seed', values.seed!, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const scenarios = values.scenarios!.split(',').map((s) => {
    const name = scenarioNames.find((n) => n === s.trim());
    if (!name) throw usageError(`--scenarios: unknown scenario "${s.trim()}"; known: ${scenarioNames.join(', ')}`);
    return name;
  });
  const own = await scenarioVariants(scenarios);
  const variants: SoakVariant[] = [...own];
  for (const text of values.variant!) {
    const [name, ...flags] = text.trim().split(/\s+/);
    const scenario = scenarioNames.find((n) => n === name);
    if (!scenario)
      throw usageError(`--variant "${text}": expected a scenario (${scenarioNames.join(', ')}) and its flags`);
    variants.push({ name: text.trim(), scenario, flags });
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    for (const v of own) {
      if ((await loadScenario(v.scenario)).envInputs.includes('DATABASE_URL'))
        variants.push({ ...v, name: `${v.name} (DATABASE_URL)`, databaseUrl });
    }
  }

  console.log(`soak: ${runs} run(s) of each of ${variants.map((v) => v.name).join(', ')}, seed ${seed}`);
  const summary = await runSoak({
    variants,
    runs,
    seed,
    onRun: (r, done, total) => {
      const ending =
        r.index < 0
          ? 'timed, left alone'
          : r.endedFirst
            ? 'ended first'
            : `${r.ending} at ${(r.delayMs / 1000).toFixed(1)} s${r.overAtSignal ? ' (the run over, exiting)' : ''}`;
      const exit = r.exit.code ?? r.exit.signal;
      const statuses = r.records.map((x) => x.status ?? 'INVALID').join('/') || 'no record';
      const killed = r.ending === 'SIGKILL' && !r.endedFirst;
      const problems = [
        ...(r.exitAsExpected ? [] : [`unexpected exit ${exit}`]),
        ...(r.hung ? ['HUNG'] : []),
        ...r.orphans.map((p) => `orphan ${p.pid}`),
        ...(killed ? [] : r.leftAtExit.map((l) => `${l.kind} left: ${l.name}`)),
        ...r.badStatus,
        ...r.lost.map((l) => `lost ${l}`),
      ];
      const held = r.held.length ? `, held ${r.held.map((l) => l.kind).join('/')}` : '';
      console.log(
        `[${r.index < 0 ? 'timing' : `${done}/${total}`}] ${r.variant}${r.index < 0 ? '' : ` #${r.index}`}: ${ending}, exit ${exit}, ${r.tracked.length} descendant(s)${held}, records ${statuses}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      );
    },
  });
  console.log('');
  for (const line of soakFigures(summary)) console.log(line);
  const problems = soakProblems(summary);
  for (const problem of problems) console.error(`soak: ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`soak: ${oneLine(error)}`);
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  },
);
