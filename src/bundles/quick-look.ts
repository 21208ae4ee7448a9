// The quick look a bundle's README offers: a short rerun chosen from the published records so that a
// correct machine reproduces it every time, compared with the published run by the harness's own
// rules. For SQL: `after` trials whose published outcome was the same in every repetition for both
// builds (no race to lose), one where the builds differ and one where they agree, with enough
// repetitions for the comparison to be able to show a difference. For S3: the run as published (two
// minutes), because its rules compare like with like parameters only.
import { compareWith } from '../../repro/harness/compare/compare.ts';
import type { CompareRules } from '../../repro/harness/compare/rules.ts';
import { s3CompareRules } from '../../repro/scenarios/s3-leak/compare.ts';
import { sqlCompareRules } from '../../repro/scenarios/sql-pool/compare.ts';
import type { CompareRow } from '../../repro/harness/compare/report.ts';
import type { RunRecord, SqlPoolRecord, SqlTrial } from '../../repro/harness/record/schema.ts';
import { buildsDiffer, countedOf, modalOutcome } from '../../repro/harness/record/sql-outcomes.ts';
import { recordFileName } from '../../repro/harness/record/write.ts';
import { latestRun } from '../lib/runs.ts';

export interface QuickLook {
  /** Arguments after `npm run repro --` (the bundle names its scenario itself). */
  args: string[];
  /** The arguments of the published run itself, with --compare: the whole run, as we ran it. */
  publishedArgs: string[];
  /** What compare will check, from the published records: one row per measurement. */
  expected: CompareRow[];
  /** Published run id. */
  runId: string;
  /** Estimated from the published repetitions' own durations, in ms; null for S3 (the whole run). */
  estimateMs: number | null;
}

/** Trials in the order a quick look prefers them: fast ones first, the case's begin() hang among them. */
const SQL_PREFERENCE = ['lazy-rst/after', 'terminate/after', 'rst/after', 'fin/after', 'idle-timeout/after', 'blackhole/after'];
const SQL_QUICK_REPETITIONS = 3;

const unanimous = (t: SqlTrial) => {
  const kind = modalOutcome(t.verdict.counts);
  return kind !== undefined && t.verdict.counts[kind] === countedOf(t.verdict.counts) && countedOf(t.verdict.counts) >= 2 * SQL_QUICK_REPETITIONS;
};

export function quickLook(scenario: 's3-leak' | 'sql-pool', all: readonly RunRecord[]): QuickLook | undefined {
  const run = latestRun(all, scenario);
  if (run.length === 0 || run.some((r) => r.status !== 'complete')) return undefined;
  const published = run.map((record) => ({ file: `reference/${scenario}/${recordFileName(record)}`, record }));
  const publishedArgs = [...argsOf(run[0]!.command, scenario), '--compare'];
  if (scenario === 's3-leak') {
    const expected = compareWith(() => s3CompareRules as CompareRules, { yours: published, reference: published, harness: { version: '', commit: null } }).rows;
    return { args: publishedArgs, publishedArgs, expected, runId: run[0]!.runId, estimateMs: null };
  }
  const sql = run as SqlPoolRecord[];
  const trialsOf = (id: string) => sql.map((r) => r.trials.find((t) => t.id === id));
  const candidates = SQL_PREFERENCE.filter((id) => trialsOf(id).every((t) => t && unanimous(t)));
  const differing = candidates.find((id) => buildsDiffer(trialsOf(id)[0]!, trialsOf(id)[1]!).verdict === 'different');
  const agreeing = candidates.find((id) => id !== differing && modalOutcome(trialsOf(id)[0]!.verdict.counts) === modalOutcome(trialsOf(id)[1]!.verdict.counts));
  const chosen = [differing, agreeing].filter((id): id is string => id !== undefined);
  if (chosen.length === 0) return undefined;
  const faults = chosen.map((id) => id.split('/')[0]);
  const args = ['--faults', faults.join(','), '--orderings', 'after', '--repetitions', String(SQL_QUICK_REPETITIONS), '--compare'];
  // What compare checks: the published trials, each against itself at the quick look's size.
  const expected = compareWith(() => sqlCompareRules as CompareRules, {
    yours: published.map((p) => ({ ...p, record: shrink(p.record as SqlPoolRecord, chosen) })),
    reference: published,
    harness: { version: '', commit: null },
  }).rows;
  const estimateMs = sql.reduce((sum, r) => sum + chosen.reduce((s, id) => s + SQL_QUICK_REPETITIONS * medianDuration(r.trials.find((t) => t.id === id)!), 0), 0);
  return { args, publishedArgs, expected, runId: run[0]!.runId, estimateMs };
}

/**
 * The flags of a recorded command (`npm run repro -- sql-pool --repetitions 10 --out content/runs/x`),
 * as a bundle takes them: without the scenario, which the bundle names itself, and without --out,
 * which pointed into the project.
 */
export function argsOf(command: string, scenario: string): string[] {
  const words = command.split(' -- ').slice(1).join(' -- ').split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i === 0 && words[i] === scenario) continue;
    if (words[i] === '--out') {
      i++;
      continue;
    }
    out.push(words[i]!);
  }
  return out;
}

/** The published record cut to the chosen trials, with the quick look's number of repetitions, each as published. */
function shrink(record: SqlPoolRecord, ids: string[]): SqlPoolRecord {
  return {
    ...record,
    runId: `${record.runId}-quick`,
    trials: record.trials
      .filter((t) => ids.includes(t.id))
      .map((t) => {
        const kind = modalOutcome(t.verdict.counts)!;
        return { ...t, verdict: { ...t.verdict, counts: { [kind]: SQL_QUICK_REPETITIONS }, notMet: 0 } };
      }),
  };
}

/** How long one repetition took, as its own timeline says (harness clock, worker start to kill). */
function medianDuration(t: SqlTrial): number {
  const spans = t.repetitions.map((r) => r.events.at(-1)?.t ?? 0).sort((a, b) => a - b);
  return spans[Math.floor(spans.length / 2)] ?? 0;
}
