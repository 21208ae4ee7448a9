// `npm run repro -- <scenario> [flags]`: runs a scenario's probe under each Bun build and writes one
// run record per build. `npm run repro -- compare <records…>` compares records with the published run.
// Runs under Node (never under the Bun being measured).
//
// Flow: signal handlers → parse and validate every input (nothing is created before) → builds →
// sweep what killed runs left (sweep.ts) → run the scenario, journalling as it goes → write the records →
// print the table → compare, if asked. Every failure ends in the one catch at the bottom: one line
// on stderr, a non-zero exit code, and (through processes.ts and temp.ts) no child process or
// temporary folder left behind.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { affectedCommand, AFFECTED_HELP } from './affected.ts';
import { resolveBuilds, type Build } from './builds.ts';
import { COMPARE_HELP, compareCommand, publishedDir, reportAndExit } from './compare/command.ts';
import { EXIT, oneLine, usageError } from '../core/errors.ts';
import { liveChoice, loadReplay, openLiveSession, replay, type LiveSession } from './live/session.ts';
import { failureFolders } from './failures.ts';
import { fromRoot } from './paths.ts';
import { dropOutputOnceClosed, onInterrupt, stopAll, type Interrupt } from './processes.ts';
import { progressLine } from './progress.ts';
import { redactUrl } from './redact.ts';
import { collectProvenance } from './provenance.ts';
import { readRecords } from './record/read.ts';
import { recordFileName } from '../core/record/file-name.ts';
import { checkOutDir, createOutDir, writeRecord } from './record/write.ts';
import type { RunRecord } from '../core/record/schema.ts';
import type { Flag, FlagValues, Scenario } from './scenario.ts';
import { COMMON_FLAGS } from './common-flags.ts';
import { availableScenarios, loadScenario, scenarioNames } from './scenarios.ts';
import { sweepKilledRuns } from './sweep.ts';

async function main(argv: string[], interrupt: Interrupt): Promise<number> {
  const [name, ...rest] = withBundleScenario(argv);
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(generalHelp(await availableScenarios()));
    return EXIT.ok;
  }
  if (name === 'compare') return compareCommand(rest);
  if (name === 'affected') return affectedCommand(rest);
  const scenario = await loadScenario(name);

  const values = parseFlags(scenario, rest);
  if (values.help) {
    console.log(scenarioHelp(scenario));
    return EXIT.ok;
  }
  const choice = liveChoice(values, Object.keys(scenario.flags));
  if (choice.replay) return replayMain(scenario, choice.replay, choice.speed, interrupt);
  const options = scenario.parseOptions(values);
  const outDir = path.resolve((values.out as string | undefined) ?? fromRoot('runs', scenario.name));
  await checkOutDir((values.out as string | undefined) ?? outDir);
  const builds = await resolveBuilds((values.bun as string[] | undefined) ?? [...(scenario.defaultBuilds ?? [])]);
  const provenance = collectProvenance([scenario.name, ...rest], builds, scenario.envInputs);
  // Ctrl-C while the inputs were checked or the builds hashed: nothing has been created or started
  // yet, and nothing will be (no folder, no store or database started only to be stopped again).
  if (interrupt.signal.aborted) return EXIT.interrupted;

  // Every input is valid: now things may be created.
  await createOutDir(outDir);
  for (const line of await sweepKilledRuns()) console.log(line);
  const fileNames = recordFileNames(provenance.runId, builds, scenario.failureOf?.(options));
  const write = (records: RunRecord[]) => Promise.all(records.map((r, i) => writeRecord(outDir, fileNames[i]!, r)));

  // Notices are part of the run's story (which cap, which store): stdout. stderr is kept for errors.
  const notice = (line: string) => console.log(line);
  // --live: the page's server runs in this process, and is closed before it exits (live/server.ts).
  const live = choice.live
    ? await openLiveSession(scenario, provenance.runId, builds.map((b) => b.runtime.label).join(', '))
    : null;
  if (live) notice(`LIVE page: ${live.url} (closing the page does not stop the run; Ctrl-C stops both)`);
  let files: string[] = [];
  try {
    const records = await scenario.run({
      options,
      builds,
      provenance,
      signal: interrupt.signal,
      progress: (b) => progressLine(b),
      notice,
      journal: async (partial) => void (await interrupt.critical(() => write(partial))),
      ...(live ? { live: live.update } : {}),
    });
    files = await interrupt.critical(() => write(records));
    console.log(`\n${scenario.summaryTable(records)}\n`);
    for (const file of files) console.log(`record: ${displayPath(file)}`);

    // Interrupted before the first build started leaves no record, but is still an interruption.
    if (interrupt.signal.aborted || records.some((r) => r.status !== 'complete')) {
      await live?.finish(files, 'interrupted', 'the run was interrupted; the partial records are on disk');
      return EXIT.interrupted;
    }
    const failures = scenario.failures(records);
    for (const failure of failures) console.error(`repro: ${failure}`);
    await live?.finish(
      files,
      failures.length > 0 ? 'failed' : 'complete',
      failures.length > 0 ? failures.join('; ') : `the run is over: ${records.length} record(s) written`,
    );
    const code = failures.length > 0 ? EXIT.failed : values.compare ? await compareAfterRun(scenario, files) : EXIT.ok;
    if (live) await lingerLive(live, interrupt, code);
    return code;
  } catch (error) {
    await live?.finish(files, 'failed', oneLine(error));
    throw error;
  } finally {
    await live?.close();
  }
}

async function compareAfterRun(scenario: Scenario, files: string[]): Promise<number> {
  console.log('');
  const published = publishedDir(scenario.name);
  return reportAndExit(await readRecords(files), existsSync(published) ? await readRecords([published]) : []);
}

/** After a finished run, the live page (and its links to the records) stays up until Ctrl-C (or npm's end). */
async function lingerLive(live: Pick<LiveSession, 'url'>, interrupt: Interrupt, exitCode: number): Promise<void> {
  console.log(`the live page stays at ${live.url} until Ctrl-C`);
  await interrupt.untilStopped(exitCode);
}

/** `--replay <record.json…>`: nothing is run; the live page plays the records. */
async function replayMain(scenario: Scenario, files: string[], speed: number, interrupt: Interrupt): Promise<number> {
  replaying = true;
  const loaded = await loadReplay(scenario.name, files);
  if (interrupt.signal.aborted) return EXIT.interrupted;
  const { server, finished } = await replay(scenario, loaded, speed, interrupt.signal, (line) => console.log(line));
  try {
    if (!finished) return EXIT.interrupted;
    console.log('REPLAY: the page stays up until Ctrl-C');
    await interrupt.untilStopped(EXIT.ok);
    return EXIT.ok;
  } finally {
    await server.close();
  }
}

/**
 * A bundle carries one scenario and names it in its package.json (`casebook.scenario`): there,
 * `npm run repro`, `npm run repro -- --repetitions 3` and `npm run repro -- <scenario>` all run it.
 */
function withBundleScenario(argv: string[]): string[] {
  const [first] = argv;
  if (first !== undefined && (scenarioNames.includes(first as never) || first === 'compare' || first === 'affected'))
    return argv;
  // A failure of the catalogue by its own name: `npm run repro -- wasm-memory` is the catalogue's run of it.
  if (first !== undefined && failureFolders().includes(first))
    return ['catalogue', '--failure', first, ...argv.slice(1)];
  let own: string | undefined;
  try {
    own = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')).casebook?.scenario;
  } catch {
    own = undefined;
  }
  if (own === undefined || first === '-h' || (first === '--help' && argv.length === 1)) return argv;
  return [own, ...argv];
}

function parseFlags(scenario: Scenario, args: string[]): FlagValues {
  const flags = { ...COMMON_FLAGS, ...scenario.flags };
  const config: ParseArgsOptionsConfig = Object.fromEntries(
    Object.entries(flags).map(([flag, f]) => [flag, { type: f.type, multiple: f.multiple ?? false }]),
  );
  try {
    return parseArgs({
      args: attachNegativeValues(args, flags),
      options: config,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    // Node quotes the stray argument; a connection string with a password must not reach the terminal.
    const message = args.reduce((m, arg) => m.split(arg).join(redactUrl(arg).text), oneLine(error));
    throw usageError(`${message} (see: npm run repro -- ${scenario.name} --help)`);
  }
}

/**
 * `--pause-ms -5` would get Node's "argument is ambiguous"; joined as `--pause-ms=-5` it reaches the
 * flag's own check, which explains the bounds.
 */
function attachNegativeValues(args: string[], flags: Record<string, Flag>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = /^--([^=]+)$/.exec(args[i]!)?.[1];
    const next = args[i + 1];
    if (flag && flags[flag]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${flag}=${next}`);
      i++;
    } else out.push(args[i]!);
  }
  return out;
}

/** One file per build, decided up front so the journal and the final record share it. */
function recordFileNames(runId: string, builds: readonly Build[], failure?: string): string[] {
  const used = new Set<string>();
  return builds.map(({ runtime }) => {
    const stem = recordFileName({ runId, runtime, failure }).replace(/\.json$/, '');
    let fileName = `${stem}.json`;
    for (let n = 2; used.has(fileName); n++) fileName = `${stem}-${n}.json`;
    used.add(fileName);
    return fileName;
  });
}

/** Relative to the current directory when inside it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** One line per flag, generated from the flag definitions themselves, so help cannot leave one out. */
function flagRows(flags: Record<string, Flag>): string[] {
  return Object.entries(flags).map(([flag, f]) => {
    const left = `  --${flag}${f.placeholder ? ` <${f.placeholder}>` : ''}`;
    return `${left.padEnd(34)} ${f.help}`;
  });
}

/**
 * `npm run repro -- --help`: every command and every flag this copy accepts (a bundle's: its own
 * scenario's), then compare's and affected's own help in full.
 */
function generalHelp(scenarios: readonly Pick<Scenario, 'name' | 'summary' | 'flags'>[]): string {
  const list = scenarios.map((s) => `  ${s.name.padEnd(12)} ${s.summary}`);
  return [
    'usage: npm run repro -- <scenario> [flags]',
    '       npm run repro -- compare <records…> [flags]',
    '       npm run repro -- affected [<version> | --bun <path>] [flags]',
    '',
    'scenarios:',
    ...list,
    '',
    'flags of every scenario:',
    ...flagRows(COMMON_FLAGS),
    ...scenarios.flatMap((s) => ['', `flags of ${s.name}:`, ...flagRows(s.flags)]),
    '',
    COMPARE_HELP,
    '',
    AFFECTED_HELP,
  ].join('\n');
}

function scenarioHelp(scenario: Scenario): string {
  const builds = scenario.defaultBuilds
    ? ['', `default builds (without --bun): ${scenario.defaultBuilds.join(', ')}`]
    : [];
  return [
    `usage: npm run repro -- ${scenario.name} [flags]`,
    '',
    scenario.summary,
    ...builds,
    '',
    'flags:',
    ...flagRows({ ...scenario.flags, ...COMMON_FLAGS }),
  ].join('\n');
}

// The handlers come first: a Ctrl-C at any moment is ours to handle, never Node's default.
// A replay has no run to stop and no record to write: its Ctrl-C says so.
dropOutputOnceClosed();
let replaying = false;
const interrupt = onInterrupt((line) =>
  console.error(
    `repro: ${replaying ? line.replace(/: stopping the run .*$/, ': stopping the REPLAY (nothing was running, nothing is written)') : line}`,
  ),
);
main(process.argv.slice(2), interrupt)
  .catch((error: unknown) => {
    console.error(`repro: ${oneLine(error)}`);
    return (error as { exitCode?: number }).exitCode ?? EXIT.failed;
  })
  .then(async (code) => {
    await stopAll();
    // Exit here rather than when the event loop drains: as it drains, libuv gives SIGINT back to its
    // default action, and npm's copy of a Ctrl-C arriving in that moment (late, on a busy machine)
    // would kill the finished harness and make npm exit 130. process.exit keeps the handlers to the
    // end. (stdout and stderr are synchronous here: files, pipes and terminals on Linux.)
    process.exit(interrupt.signal.aborted && code === EXIT.ok ? EXIT.interrupted : code);
  });
