// `npm run matrix`: every published Bun build for this platform through each scenario's quick
// protocol, one ordinary run per build and scenario (the same CLI, `--bun <version>`), written as
// validated, atomically written records under <out>/<scenario>/: runs/matrix/ (untracked) unless
// `--out content/matrix`, the published matrix the site draws (the refresh workflow's choice).
//
//   npm run matrix -- --list                        the builds it would run, oldest first
//   npm run matrix -- --list-scenarios [--scenarios a,b] --json   the scenarios it would run (the registry's),
//                                                   with whether one of their protocols needs root
//   npm run matrix -- [--since 1.3.0] [--versions a,b] [--scenarios a,b] [--force] [--out dir]
//   npm run matrix -- ingest <dir…>                 merge records run elsewhere (CI artifacts)
//   npm run matrix -- --published                   write when each build came out (<out>/published.json)
//   npm run matrix -- --missing [--plan [--json]]   run (or list) only the jobs without a record
//
// A scenario may have several quick protocols (the SQL pool: its pool faults, and the 90 s silent
// loss), each an ordinary run with its own record. It resumes: a build already recorded by a
// protocol (complete, by this harness version, from a clean checkout, with the protocol's flags) is
// skipped, unless --force. Builds run one after another: the SQL trials are races, and two runs
// sharing two cores could change their outcome.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publishedBuilds, publishedVersions } from './bun-registry.ts';
import { terminalSafe } from '../core/control-characters.ts';
import { EXIT, HarnessError, oneLine, usageError } from '../core/errors.ts';
import { fromRoot } from './paths.ts';
import { ingest } from './matrix-ingest.ts';
import { whenParentGoes } from './parent.ts';
import { dropOutputOnceClosed } from './processes.ts';
import { harnessInfo } from './provenance.ts';
import { PUBLISHED_FILE, readRecords } from './record/read.ts';
import { checkOutDir, formatJson, writeJsonAtomically } from './record/write.ts';
import type { PublishedBuilds } from '../core/published.ts';
import type { RunRecord, ScenarioName } from '../core/record/schema.ts';
import type { QuickProtocol, Scenario } from './scenario.ts';
import { loadScenario, scenarioNames } from './scenarios.ts';
import { formatTable } from '../core/table.ts';
import { compareVersions, sortVersions } from '../core/versions.ts';

const HELP = `npm run matrix -- [flags]

Runs every published Bun build (npm: @oven/bun-linux-x64) through each scenario's quick protocol.

  --list                   print the builds that would run, and exit (--json: as a JSON array)
  --force                  run every job even where a record exists (a new record is added; none is
                           replaced); --rerun is the same flag
  --plan                   print every job (scenario, protocol, build) and whether it is recorded,
                           and exit without running (--json: as a JSON array)
  --missing                only the jobs that have no record yet (the --plan test: complete, this
                           harness version, clean checkout, the protocol's flags): prints them (or
                           "nothing to run: …"), runs them, and writes <out>/published.json
  --missing --plan         print those jobs and exit (--json: the fan-out of .github/workflows/refresh.yml,
                           [{version, scenario, protocols, root}], one entry per build and scenario)
  --published              write <out>/published.json (when npm published each build: the registry's
                           \`time\`), print one line, and exit
  --list-scenarios         print the scenarios that would run, and exit (--json: as a JSON array of
                           {name, root}, root: one of its quick protocols needs root)
  --since <version>        the oldest build (default 1.3.0)
  --versions <a,b,…>       exactly these npm versions
  --scenarios <a,b>        default: ${scenarioNames.join(',')}
  --protocols <a,b>        only these quick protocols of the scenarios (e.g. one catalogue failure); default: all
  --out <dir>              default: runs/matrix, untracked (records go to <dir>/<scenario>/);
                           --out content/matrix adds them to the matrix the site publishes

npm run matrix -- ingest <dir…> [--out <dir>]
  validates records run elsewhere (e.g. the artifacts of .github/workflows/matrix.yml) and copies
  them into the matrix (default runs/matrix; --out content/matrix: the published one); invalid or
  duplicate records are rejected with one line each (exit 1)`;

/**
 * Where records go without --out: a folder git ignores, so that a reader's run never changes the
 * published matrix by accident. The project's refresh names content/matrix (PUBLISHED_MATRIX) itself.
 */
const DEFAULT_OUT = fromRoot('runs', 'matrix');
const PUBLISHED_MATRIX = fromRoot('content', 'matrix');

interface Job {
  version: string;
  scenario: ScenarioName;
  protocol: QuickProtocol;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'ingest') return ingestCommand(argv.slice(1));
  const { values } = parseFlags(argv);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  // Before the registry is asked or anything is run: `--out ""` is no folder (not the current one).
  if (values.out !== undefined) await checkOutDir(values.out);
  const scenarios = chooseScenarios(values.scenarios);
  if (values['list-scenarios']) {
    if (!values.json) console.log(scenarios.join('\n'));
    else {
      const loaded = await Promise.all(scenarios.map((name) => loadScenario(name)));
      console.log(JSON.stringify(loaded.map((s) => ({ name: s.name, root: s.quick.some((p) => p.root) }))));
    }
    return EXIT.ok;
  }
  const out = path.resolve(values.out ?? DEFAULT_OUT);
  if (values.published) {
    const builds = await publishedBuilds();
    console.log(`matrix: ${summaryOf(builds)}; written to ${await writePublished(out, builds)}`);
    return EXIT.ok;
  }
  // --missing reads the full document once: its builds are the ones to run, its times go to published.json.
  const builds = values.missing ? await publishedBuilds() : null;
  const versions = await chooseVersions(
    values.since ?? '1.3.0',
    values.versions,
    builds ? builds.versions.map((b) => b.version) : null,
  );
  if (values.list) {
    console.log(values.json ? JSON.stringify(versions) : versions.join('\n'));
    return EXIT.ok;
  }
  const harness = harnessInfo();

  const loaded = await Promise.all(scenarios.map((name) => loadScenario(name)));
  const protocols = chooseProtocols(values.protocols, loaded);
  const every: Job[] = loaded.flatMap((scenario) =>
    scenario.quick
      .filter((p) => protocols === null || protocols.includes(p.name))
      .flatMap((protocol) => versions.map((version) => ({ version, scenario: scenario.name, protocol }))),
  );
  const plan = values.plan || values.missing ? await planOf(every, out, harness.version) : null;
  const jobs = values.missing ? plan!.filter((j) => !j.recorded).map((j) => j.job) : every;
  if (values.missing && values.plan) {
    if (values.json) console.log(JSON.stringify(fanOut(jobs)));
    else if (jobs.length === 0) console.log(NOTHING_TO_RUN);
    else
      console.log(
        formatTable(
          ['scenario', 'protocol', 'build'],
          jobs.map((j) => [j.scenario, j.protocol.name, j.version]),
        ),
      );
    return EXIT.ok;
  }
  if (plan && values.plan) {
    if (values.json)
      console.log(
        JSON.stringify(
          plan.map(({ job, recorded }) => ({
            scenario: job.scenario,
            protocol: job.protocol.name,
            build: job.version,
            recorded,
          })),
        ),
      );
    else
      console.log(
        formatTable(
          ['scenario', 'protocol', 'build', 'state'],
          plan.map(({ job, recorded }) => [
            job.scenario,
            job.protocol.name,
            job.version,
            recorded ? 'recorded' : 'to run',
          ]),
        ),
      );
    return EXIT.ok;
  }
  if (values.missing) {
    if (jobs.length === 0) {
      console.log(NOTHING_TO_RUN);
      console.log(`matrix: ${summaryOf(builds!)}; written to ${await writePublished(out, builds!)}`);
      return EXIT.ok;
    }
    console.log(
      `matrix: ${jobs.length} job${jobs.length === 1 ? '' : 's'} without a record:\n${formatTable(
        ['scenario', 'protocol', 'build'],
        jobs.map((j) => [j.scenario, j.protocol.name, j.version]),
      )}\n`,
    );
  }
  if (harness.dirty)
    console.log(
      'matrix: the harness has uncommitted changes; its records will say so and will not count as done on a later resume',
    );
  const results: { job: Job; outcome: string }[] = [];
  const started = Date.now();
  for (const [index, job] of jobs.entries()) {
    const scenario = loaded.find((s) => s.name === job.scenario)!;
    const dir = path.join(out, job.scenario);
    const { flags } = job.protocol;
    const done = values.force || values.rerun ? undefined : await recorded(dir, job.version, flags, harness.version);
    const tag = `[${index + 1}/${jobs.length}] ${job.scenario} ${job.protocol.name} ${job.version}`;
    if (done) {
      console.log(`${tag}: already recorded (${path.basename(done.file)}), skipped`);
      results.push({ job, outcome: outcomeOf(done.record, scenario) });
      continue;
    }
    console.log(`${tag}: running`);
    const t = Date.now();
    const code = await runChild([job.scenario, '--bun', job.version, ...flags, '--out', dir]);
    if (code === EXIT.interrupted) return EXIT.interrupted;
    const now = await recorded(dir, job.version, flags, harness.version, true);
    const outcome = now ? outcomeOf(now.record, scenario) : `no record (exit ${code})`;
    console.log(`${tag}: ${outcome} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    results.push({ job, outcome });
  }
  console.log(
    `\n${formatTable(
      ['scenario', 'protocol', 'build', 'outcome'],
      results.map((r) => [r.job.scenario, r.job.protocol.name, r.job.version, r.outcome]),
    )}`,
  );
  console.log(`\n${jobs.length} runs in ${((Date.now() - started) / 60_000).toFixed(1)} min; records in ${out}`);
  if (builds) console.log(`matrix: ${summaryOf(builds)}; written to ${await writePublished(out, builds)}`);
  if (values.missing && out === PUBLISHED_MATRIX) await refreshBuildsIndex();
  return results.some((r) => r.outcome.startsWith('no record')) ? EXIT.failed : EXIT.ok;
}

/**
 * After --missing has added records to the project's own matrix: the builds index the terminal lookup
 * reads (repro/affected/builds.json), by the project's own command, so `npm run repro -- affected`
 * answers from the new records. The index is the site's computation, so it runs as its script.
 */
async function refreshBuildsIndex(): Promise<void> {
  const script = fromRoot('src', 'checks', 'builds-index.ts');
  if (!existsSync(script)) return;
  const code = await new Promise<number>((resolve) =>
    spawn(process.execPath, [script], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)),
  );
  if (code !== 0) console.error('matrix: the builds index was not refreshed; run `npm run affected:index`');
}

async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, true);
  const stray = Object.keys(values).find((flag) => flag !== 'out' && flag !== 'help');
  if (stray) throw usageError(`ingest takes --out only, not --${stray} (see: npm run matrix -- --help)`);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (values.out !== undefined) await checkOutDir(values.out);
  const { ingested, rejected } = await ingest(positionals, path.resolve(values.out ?? DEFAULT_OUT));
  for (const line of rejected) console.error(`matrix: rejected ${terminalSafe(line)}`);
  console.log(
    `matrix: ingested ${ingested.length} record${ingested.length === 1 ? '' : 's'}, rejected ${rejected.length}`,
  );
  return rejected.length > 0 ? EXIT.failed : EXIT.ok;
}

function parseFlags(argv: string[], allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: {
        list: { type: 'boolean' },
        plan: { type: 'boolean' },
        force: { type: 'boolean' },
        // The flag's first name, kept so that commands written with it still work.
        rerun: { type: 'boolean' },
        missing: { type: 'boolean' },
        published: { type: 'boolean' },
        'list-scenarios': { type: 'boolean' },
        json: { type: 'boolean' },
        since: { type: 'string' },
        versions: { type: 'string' },
        scenarios: { type: 'string' },
        protocols: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    throw usageError(`${oneLine(error)} (see: npm run matrix -- --help)`);
  }
}

/** The scenarios of `--scenarios a,b` (blank: every scenario in the registry), each checked against it. */
function chooseScenarios(list: string | undefined): ScenarioName[] {
  if (list === undefined || list.trim() === '') return [...scenarioNames];
  return list.split(',').map((name) => {
    const known = scenarioNames.find((n) => n === name.trim());
    if (!known) throw usageError(`--scenarios: unknown scenario "${name.trim()}"; known: ${scenarioNames.join(', ')}`);
    return known;
  });
}

/** The protocols of `--protocols a,b` (null: every one), each checked against the chosen scenarios' own. */
function chooseProtocols(
  list: string | undefined,
  scenarios: readonly Scenario<unknown, RunRecord>[],
): string[] | null {
  if (list === undefined) return null;
  const known = scenarios.flatMap((s) => s.quick.map((p) => p.name));
  return list.split(',').map((name) => {
    const wanted = name.trim();
    if (!known.includes(wanted))
      throw usageError(`--protocols: unknown protocol "${wanted}"; known: ${known.join(', ')}`);
    return wanted;
  });
}

/** The builds of --since/--versions among the published ones (read from the registry unless given). */
async function chooseVersions(
  since: string,
  list: string | undefined,
  given: readonly string[] | null = null,
): Promise<string[]> {
  const published = given ?? (await publishedVersions()).map((p) => p.version);
  if (list !== undefined) {
    const wanted = list.split(',').map((v) => v.trim());
    const missing = wanted.filter((v) => !published.includes(v));
    if (missing.length > 0) throw usageError(`--versions: not published: ${missing.join(', ')}`);
    return sortVersions(wanted);
  }
  if (!published.includes(since)) throw usageError(`--since ${since}: not a published version`);
  return sortVersions(published.filter((v) => compareVersions(v, since) >= 0));
}

type LoadedRecord = Awaited<ReturnType<typeof readRecords>>[number];

const NOTHING_TO_RUN = 'nothing to run: every published build has a record of every failure';

/** Each job and whether it is recorded (newestDone). Each scenario's folder is read once, not once a job: 600 jobs reading 30 MB each ran out of descriptors. */
async function planOf(
  jobs: readonly Job[],
  out: string,
  harnessVersion: string,
): Promise<{ job: Job; recorded: boolean }[]> {
  const folders = new Map<string, Promise<LoadedRecord[]>>();
  const recordsOf = (scenario: string) =>
    folders.get(scenario) ?? folders.set(scenario, recordsIn(path.join(out, scenario))).get(scenario)!;
  const plan = [];
  for (const job of jobs)
    plan.push({
      job,
      recorded:
        newestDone(await recordsOf(job.scenario), job.version, job.protocol.flags, harnessVersion) !== undefined,
    });
  return plan;
}

/**
 * The jobs as the refresh workflow fans them out: one entry per build and scenario, naming the
 * protocols to run (so that a job records only what is missing) and whether one of them needs root.
 */
function fanOut(jobs: readonly Job[]): { version: string; scenario: string; protocols: string; root: boolean }[] {
  const groups = new Map<string, Job[]>();
  for (const job of jobs)
    groups.set(`${job.version}\0${job.scenario}`, [...(groups.get(`${job.version}\0${job.scenario}`) ?? []), job]);
  return [...groups.values()].map((group) => ({
    version: group[0]!.version,
    scenario: group[0]!.scenario,
    protocols: group.map((j) => j.protocol.name).join(','),
    root: group.some((j) => j.protocol.root),
  }));
}

/** Writes <out>/published.json atomically (validated by publishedBuilds); returns its path. */
async function writePublished(out: string, builds: PublishedBuilds): Promise<string> {
  await mkdir(out, { recursive: true });
  const file = path.join(out, PUBLISHED_FILE);
  await writeJsonAtomically(file, `${formatJson(builds)}\n`);
  return path.relative(process.cwd(), file) || file;
}

/** One line: how many builds, the newest and when it came out. */
function summaryOf(builds: PublishedBuilds): string {
  const newest = builds.versions.at(-1);
  return `${builds.versions.length} builds of ${builds.package} on ${builds.registry}${newest ? `, the newest ${newest.version} (published ${newest.published})` : ''}`;
}

/** The records in `dir`; none when the folder does not exist yet. */
async function recordsIn(dir: string): Promise<LoadedRecord[]> {
  return readRecords([dir]).catch((error: unknown) => {
    if (error instanceof HarnessError && /no such file or folder/.test(error.message)) return [];
    throw error;
  });
}

/**
 * The newest record of this build in `dir`, if it counts as done: complete, by this harness version,
 * from a committed harness, run with these quick flags. `any` accepts any state (to report a fresh run).
 */
async function recorded(dir: string, version: string, flags: readonly string[], harnessVersion: string, any = false) {
  return newestDone(await recordsIn(dir), version, flags, harnessVersion, any);
}

function newestDone(
  loaded: readonly LoadedRecord[],
  version: string,
  flags: readonly string[],
  harnessVersion: string,
  any = false,
) {
  const mine = loaded
    .filter(
      ({ record }) =>
        record.runtime.source.endsWith(`@${version}`) && ` ${record.command} `.includes(` ${flags.join(' ')} `),
    )
    .sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt));
  if (any) return mine[0];
  return mine.find(
    ({ record }) => record.status === 'complete' && record.harness.version === harnessVersion && !record.harness.dirty,
  );
}

/** The record in one line; what it found is the scenario's to say. */
function outcomeOf(record: RunRecord, scenario: Scenario<unknown, RunRecord>): string {
  const line = `${record.runtime.revision} (${record.runtime.line})`;
  return record.status === 'complete' ? `${line}: ${scenario.matrixLine(record)}` : `${line}: ${record.status}`;
}

/**
 * Stop requests to the matrix, for the whole of it. npm passes its SIGINT and SIGTERM on to the
 * matrix (the script `exec`s node), and to it alone: each one goes on to the harness run under way,
 * which stops as it would have alone — writes its records marked interrupted, exits 130 — and the
 * matrix stops after it. (A Ctrl-C in the terminal reaches the run directly too; the harness takes
 * the copies for one key press.) A SIGHUP goes on likewise, and the end of npm (killed, even with
 * SIGKILL: parent.ts) as a SIGTERM. With no run under way, the matrix ends at once.
 */
let running: ChildProcess | null = null;
let stopRequested = false;
function stopRequest(forward: NodeJS.Signals): void {
  stopRequested = true;
  if (running) running.kill(forward);
  else process.exit(EXIT.interrupted);
}
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, () => stopRequest(name));
whenParentGoes(() => stopRequest('SIGTERM'));
dropOutputOnceClosed();

/** One ordinary harness run, its output passed through; resolves with its exit code. */
function runChild(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    // The run follows the matrix as the matrix follows npm (parent.ts), from its first moment.
    const env = { ...process.env, CASEBOOK_PARENT_PID: String(process.pid) };
    const child = spawn(process.execPath, [fromRoot('repro', 'harness', 'cli.ts'), ...args], { stdio: 'inherit', env });
    running = child;
    child.on('exit', (code, signal) => {
      running = null;
      resolve(stopRequested ? EXIT.interrupted : (code ?? (signal ? EXIT.interrupted : EXIT.failed)));
    });
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`matrix: ${oneLine(error)}`);
    process.exit(error instanceof HarnessError ? error.exitCode : EXIT.failed);
  },
);
