// `npm run repro -- <scenario> [flags]`: runs a scenario's probe under each Bun build and writes one
// run record per build. Runs under Node (never under the Bun being measured).
//
// Flow: parse arguments → resolve builds → run the scenario → write records → print the table.
// Every failure ends in the one catch at the bottom: one line on stderr, a non-zero exit code,
// and (through processes.ts) no child process left running.
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { resolveBuilds } from './builds.ts';
import { EXIT, oneLine, usageError } from './errors.ts';
import { fromRoot } from './paths.ts';
import { onInterrupt, stopAll } from './processes.ts';
import { progressLine } from './progress.ts';
import { collectProvenance } from './provenance.ts';
import { ensureWritableDir, writeRecord } from './record/write.ts';
import type { RunRecord } from './record/schema.ts';
import type { Flag, FlagValues, Scenario } from './scenario.ts';
import { availableScenarios, loadScenario } from './scenarios.ts';

/** Flags every scenario accepts. */
const COMMON_FLAGS: Record<string, Flag> = {
  bun: {
    type: 'string',
    multiple: true,
    placeholder: 'version|path',
    help: 'a Bun build to run instead of the pinned pair: an installed npm version or a path to a binary (repeatable)',
  },
  out: { type: 'string', placeholder: 'dir', help: 'where to write the run records (default content/runs/<scenario>/)' },
  help: { type: 'boolean', help: 'show this help' },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(generalHelp(await availableScenarios()));
    return EXIT.ok;
  }
  const scenario = await loadScenario(name);

  const values = parseFlags(scenario, rest);
  if (values.help) {
    console.log(scenarioHelp(scenario));
    return EXIT.ok;
  }
  const options = scenario.parseOptions(values);
  const outDir = path.resolve((values.out as string | undefined) ?? fromRoot('content', 'runs', scenario.name));
  await ensureWritableDir(outDir);

  const builds = await resolveBuilds((values.bun as string[] | undefined) ?? []);
  const provenance = collectProvenance(argv, builds);
  // Notices are part of the run's story (which cap, which store): stdout. stderr is kept for errors.
  const notice = (line: string) => console.log(line);
  const interrupt = onInterrupt((line) => console.error(`repro: ${line}`));
  let records: RunRecord[];
  try {
    records = await scenario.run({ options, builds, provenance, signal: interrupt.signal, progress: (b) => progressLine(b), notice });
  } finally {
    interrupt.dispose();
  }

  const files = await writeRecords(outDir, records);
  console.log(`\n${scenario.summaryTable(records)}\n`);
  for (const file of files) console.log(`record: ${displayPath(file)}`);

  // Interrupted before the first build started leaves no record, but is still an interruption.
  if (interrupt.signal.aborted || records.some((r) => r.interrupted)) return EXIT.interrupted;
  const failures = scenario.failures(records);
  for (const failure of failures) console.error(`repro: ${failure}`);
  return failures.length > 0 ? EXIT.failed : EXIT.ok;
}

function parseFlags(scenario: Scenario, args: string[]): FlagValues {
  const flags = { ...COMMON_FLAGS, ...scenario.flags };
  const config: ParseArgsOptionsConfig = Object.fromEntries(
    Object.entries(flags).map(([flag, f]) => [flag, { type: f.type, multiple: f.multiple ?? false }]),
  );
  try {
    return parseArgs({ args, options: config, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageError(`${oneLine(error)} (see: npm run repro -- ${scenario.name} --help)`);
  }
}

/** One file per build; names sort by time (the run id starts with a UTC timestamp) and name the build. */
async function writeRecords(outDir: string, records: RunRecord[]): Promise<string[]> {
  const used = new Set<string>();
  const files: string[] = [];
  for (const record of records) {
    const stem = `${record.runId}_${record.runtime.version}-${record.runtime.line}`;
    let fileName = `${stem}.json`;
    for (let n = 2; used.has(fileName); n++) fileName = `${stem}-${n}.json`;
    used.add(fileName);
    files.push(await writeRecord(outDir, fileName, record));
  }
  return files;
}

/** Relative to the current directory when inside it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

function generalHelp(scenarios: Scenario[]): string {
  const list = scenarios.map((s) => `  ${s.name.padEnd(12)} ${s.summary}`);
  return ['usage: npm run repro -- <scenario> [flags]', '', 'scenarios:', ...list, '', 'npm run repro -- <scenario> --help lists its flags.'].join('\n');
}

function scenarioHelp(scenario: Scenario): string {
  const rows = Object.entries({ ...scenario.flags, ...COMMON_FLAGS }).map(([flag, f]) => {
    const left = `  --${flag}${f.placeholder ? ` <${f.placeholder}>` : ''}`;
    return `${left.padEnd(34)} ${f.help}`;
  });
  return [`usage: npm run repro -- ${scenario.name} [flags]`, '', scenario.summary, '', 'flags:', ...rows].join('\n');
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    console.error(`repro: ${oneLine(error)}`);
    return (error as { exitCode?: number }).exitCode ?? EXIT.failed;
  })
  .then(async (code) => {
    await stopAll();
    process.exitCode = code;
  });
