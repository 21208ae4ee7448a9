// `npm run repro -- compare <record.json|folder…> [--reference <record.json|folder…>] [--report <file>]`:
// compares records with the published reference (by default the newest complete run shipped with
// this copy: reference/<scenario>/ in a bundle, content/runs/<scenario>/ in the project), prints the
// table and writes the JSON report. Exit 0 when everything compared reproduced, 3 when something
// differs, 4 when nothing could be compared, 2 for bad input.
import { existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { terminalSafe } from '../../core/control-characters.ts';
import { EXIT, oneLine, usageError } from '../../core/errors.ts';
import { fromRoot } from '../paths.ts';
import { harnessInfo } from '../provenance.ts';
import type { LoadedRecord } from '../../core/record/parse.ts';
import { kindOf, readRecords } from '../record/read.ts';
import { checkNewFile, formatJson, writeJsonAtomically } from '../record/write.ts';
import type { ScenarioName } from '../../core/record/schema.ts';
import { loadScenario } from '../scenarios.ts';
import { compareWith, formatReport, type CompareInput } from '../../core/compare/compare.ts';
import { CompareReport } from '../../core/compare/report.ts';
import type { CompareRules } from '../../core/compare/rules.ts';

export const COMPARE_HELP = [
  'usage: npm run repro -- compare <record.json|folder…> [--reference <record.json|folder…>] [--report <file>]',
  '',
  "Compares your run records with the published run, measurement by measurement, by each scenario's",
  'rules in repro/scenarios/<scenario>/compare.ts (also in the methodology article), and writes a JSON report.',
  '',
  'flags:',
  '  --reference <path>   records to compare with (repeatable; default: the published run shipped with this copy)',
  '  --report <file>      where to write the JSON report, a new file (default: <first record folder>/<runId>.compare.json)',
  '  --help               show this help',
  '',
  'exit codes: 0 reproduced, 3 differs, 4 nothing comparable, 2 bad input',
].join('\n');

/** Compares with each scenario's rules, loaded through the registry: only the scenarios compared are loaded. */
export async function compare(input: CompareInput): Promise<CompareReport> {
  const names = [...new Set(input.yours.map((l) => l.record.scenario))];
  const rules = new Map(
    await Promise.all(
      names.map(async (name) => [name, (await loadScenario(name)).compareRules as CompareRules] as const),
    ),
  );
  return compareWith((name) => rules.get(name)!, input);
}

/** Where the published records of a scenario live in this copy of the harness. */
export function publishedDir(scenario: ScenarioName): string {
  const bundled = fromRoot('reference', scenario);
  return existsSync(bundled) ? bundled : fromRoot('content', 'runs', scenario);
}

/** compare's flags, as parseArgs takes them; COMPARE_HELP describes each (tests/repro/harness/help.test.ts). */
export const COMPARE_OPTIONS = {
  reference: { type: 'string', multiple: true },
  report: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export async function compareCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: COMPARE_OPTIONS });
  } catch (error) {
    throw usageError(`${oneLine(error)} (see: npm run repro -- compare --help)`);
  }
  if (parsed.values.help) {
    console.log(COMPARE_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length === 0)
    throw usageError('compare: name at least one record or folder of records (see: npm run repro -- compare --help)');
  // Before anything is read: --report names a new file, never one to replace (a device node included).
  if (parsed.values.report !== undefined) await checkNewFile(parsed.values.report, '--report');
  const yours = await readRecords(parsed.positionals);
  if (yours.length === 0) throw usageError(`compare: no records in ${parsed.positionals.join(', ')}`);
  const referencePaths =
    parsed.values.reference ?? [...new Set(yours.map((l) => publishedDir(l.record.scenario)))].filter(existsSync);
  const reference = await readRecords(referencePaths);
  return reportAndExit(yours, reference, parsed.values.report);
}

/** Compares, prints, writes the report; returns the exit code. Shared with `--compare` after a run. */
export async function reportAndExit(
  yours: LoadedRecord[],
  reference: LoadedRecord[],
  reportFile?: string,
): Promise<number> {
  const harness = harnessInfo();
  const report = CompareReport.parse(
    await compare({
      yours,
      reference,
      leaveOutOwnRuns: true,
      harness: { version: harness.version, commit: harness.commit },
    }),
  );
  console.log(formatReport(report));
  // The default, beside your records, replaces the report an earlier compare of them wrote there,
  // and nothing else.
  const target = reportFile ?? path.join(path.dirname(yours[0]!.file), `${report.yours[0]!.runId}.compare.json`);
  const there = reportFile === undefined ? await lstat(target).catch(() => null) : null;
  if (there && !there.isFile())
    throw usageError(
      `${target}: is not an earlier report (${there.isSymbolicLink() ? 'a symbolic link' : kindOf(there)}); not replaced, pass --report <new file>`,
    );
  await writeJsonAtomically(target, `${formatJson(report)}\n`, { replace: reportFile === undefined });
  console.log(
    `report: ${terminalSafe(path.relative(process.cwd(), target).startsWith('..') ? target : path.relative(process.cwd(), target))}`,
  );
  return report.verdict === 'differs' ? EXIT.differs : report.verdict === 'reproduced' ? EXIT.ok : EXIT.notComparable;
}
