// The quick look a bundle's README offers: a short rerun chosen from the published records so that a
// correct machine reproduces it every time, compared with the published run by the harness's own
// rules. Each scenario chooses its own (src/scenarios/<scenario>/); this module holds what they share.
import { compareWith } from '../../repro/core/compare/compare.ts';
import type { CompareRow } from '../../repro/core/compare/report.ts';
import type { CompareRules } from '../../repro/core/compare/rules.ts';
import type { LoadedRecord } from '../../repro/core/record/parse.ts';
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import { recordFileName } from '../../repro/core/record/file-name.ts';
import { shellWords } from '../../repro/core/shell.ts';
import { latestRun, type RecordOf } from '../lib/runs.ts';

export interface QuickLook {
  /** Arguments after `npm run repro --` (the bundle names its scenario itself). */
  args: string[];
  /** The arguments of the published run itself, with --compare: the whole run, as we ran it. */
  publishedArgs: string[];
  /** Why the published run's recorded command is not repeated (publishedArgs is then only --compare); null when it is. */
  publishedRefused: string | null;
  /** What compare will check, from the published records: one row per measurement. */
  expected: CompareRow[];
  /** Published run id. */
  runId: string;
}

/** The latest run, when complete, as the bundle ships it (reference/<scenario>/), with its arguments. */
export function publishedRun<S extends ScenarioName>(scenario: S, all: readonly RunRecord[]) {
  const run = latestRun(all, scenario);
  if (run.length === 0 || run.some((r) => r.status !== 'complete')) return undefined;
  const published: LoadedRecord[] = run.map((record) => ({
    file: `reference/${scenario}/${recordFileName(record)}`,
    record,
  }));
  const recorded = argsOf(run[0]!.command, scenario);
  const publishedArgs = [...(recorded.ok ? recorded.args : []), '--compare'];
  return {
    run: run as RecordOf<S>[],
    published,
    publishedArgs,
    publishedRefused: recorded.ok ? null : recorded.why,
    runId: run[0]!.runId,
  };
}

/**
 * The quick look of a scenario whose rules compare what the quick protocol leaves unchanged (the
 * payloads and thresholds, not how many repetitions or reads): its quick protocol's flags (the
 * harness's `quick[0].flags`, which npm run matrix runs on every build), with --compare. What
 * compare checks is the published run against itself, row for row.
 */
export function quickProtocolQuickLook(
  scenario: ScenarioName,
  rules: CompareRules,
  all: readonly RunRecord[],
  quickFlags: readonly string[],
): QuickLook | undefined {
  const published = publishedRun(scenario, all);
  if (!published) return undefined;
  const expected = expectedRows(rules, published.published, published.published);
  const { publishedArgs, publishedRefused, runId } = published;
  return { args: [...quickFlags, '--compare'], publishedArgs, publishedRefused, expected, runId };
}

/** The rows `--compare` will print for these records, by the scenario's rules. */
export function expectedRows(
  rules: CompareRules,
  yours: readonly LoadedRecord[],
  reference: readonly LoadedRecord[],
): CompareRow[] {
  return compareWith(() => rules, { yours, reference, harness: { version: '', commit: null } }).rows;
}

/**
 * The flags of a recorded command (`npm run repro -- <scenario> --repetitions 10 --out content/runs/x`),
 * as a bundle takes them: without the scenario, which the bundle names itself, without --out, which
 * pointed into the project, and without the environment variables in front (their values are
 * redacted). Read word by word as a shell would (shell.ts), never split on white space: a command
 * that holds shell syntax, or is not `npm run repro -- …`, is refused with the reason.
 */
export function argsOf(command: string, scenario: string): { ok: true; args: string[] } | { ok: false; why: string } {
  const parsed = shellWords(command);
  if (!parsed.ok) return { ok: false, why: `it holds ${parsed.why}` };
  const words = parsed.words;
  let i = 0;
  while (i < words.length && /^[A-Za-z_]\w*=/.test(words[i]!)) i++;
  if (words.slice(i, i + 4).join(' ') !== 'npm run repro --')
    return { ok: false, why: 'it is not an `npm run repro -- …` command' };
  i += 4;
  if (words[i] === scenario) i++;
  const args: string[] = [];
  for (; i < words.length; i++) {
    if (words[i] === '--out') i++;
    else if (!words[i]!.startsWith('--out=')) args.push(words[i]!);
  }
  return { ok: true, args };
}
