// Comparing records with the published reference: match each of your records to the reference
// record of the same build, apply its scenario's rules (rules.ts), and sum it up in a report. The
// caller supplies the rules (command.ts loads them through the harness's registry; the site has them
// at hand), so this module imports no scenario.
import { terminalSafe } from '../control-characters.ts';
import { usageError } from '../errors.ts';
import { formatTable } from '../table.ts';
import type { LoadedRecord } from '../record/parse.ts';
import { latestCompleteRun } from '../record/runs.ts';
import type { RunRecord, ScenarioName } from '../record/schema.ts';
import { formatP } from '../stats.ts';
import type { CompareReport, CompareRow, CompareVerdict } from './report.ts';
import type { CompareRules } from './rules.ts';

export interface CompareInput {
  yours: readonly LoadedRecord[];
  /** Candidate reference records; the newest complete run of each scenario is used. */
  reference: readonly LoadedRecord[];
  /**
   * Leaves your own runs out of the reference, and says so where nothing else is left: a run is never
   * compared with itself. The CLI, the live page and the site's overlay set it; rule tests that compare
   * a doctored copy under the same run id do not.
   */
  leaveOutOwnRuns?: boolean;
  harness: CompareReport['harness'];
  now?: Date;
}

/**
 * Why a record has nothing to be compared with: the one wording of the CLI's table, the live page's
 * verdict and the site's "Compare with your run". `itself`: the only published run was the record's own.
 */
export function nothingToCompare(scenario: ScenarioName, itself: boolean): string {
  return itself
    ? `a run is never compared with itself, and there is no other published ${scenario} run to compare with`
    : `there is no published ${scenario} run to compare with`;
}

export function compareWith(
  rulesOf: (scenario: ScenarioName) => CompareRules,
  { yours, reference: candidates, harness, now = new Date(), leaveOutOwnRuns = false }: CompareInput,
): CompareReport {
  const scenarios = [...new Set(yours.map((l) => l.record.scenario))];
  const rows: CompareRow[] = [];
  const usedReference: CompareReport['reference'] = [];
  // A published run dropped back in as yours (a replay, the overlay fed the downloads) is not its own reference.
  const ownRuns = new Set(yours.map((l) => l.record.runId));
  const reference = leaveOutOwnRuns ? candidates.filter((l) => !ownRuns.has(l.record.runId)) : candidates;
  for (const scenario of scenarios) {
    const refRun = latestCompleteRun(
      reference.map((l) => l.record),
      scenario,
    );
    const itself =
      refRun.length === 0 &&
      latestCompleteRun(
        candidates.map((l) => l.record),
        scenario,
      ).length > 0;
    if (refRun.length > 0) usedReference.push({ runId: refRun[0]!.runId, files: filesOf(reference, refRun) });
    const mine = yours.filter((l) => l.record.scenario === scenario).map((l) => l.record);
    const rules = rulesOf(scenario);
    // Both sides are judged by their evidence: a record whose summary says otherwise is bad input.
    for (const loaded of [
      ...yours.filter((l) => l.record.scenario === scenario),
      ...reference.filter((l) => refRun.includes(l.record)),
    ]) {
      const wrong = evidenceError(rules, loaded);
      if (wrong) throw usageError(wrong);
    }
    const compared = compareScenario(scenario, rules, mine, refRun, itself);
    rows.push(...(rules.decide ? rules.decide(compared) : compared));
  }
  const runIds = [...new Set(yours.map((l) => l.record.runId))];
  return {
    kind: 'casebook-compare',
    reportVersion: 1,
    generatedAt: now.toISOString(),
    harness,
    reference: usedReference,
    yours: runIds.map((runId) => ({ runId, files: yours.filter((l) => l.record.runId === runId).map((l) => l.file) })),
    rows,
    ...summarize(rows),
  };
}

/** The one line rejecting a record whose summary disagrees with its own evidence; null when they agree. */
export function evidenceError(rules: CompareRules, { file, record }: LoadedRecord): string | null {
  const wrong = rules.evidenceMismatch(record);
  return wrong === null ? null : `${file}: the summary disagrees with the record's own evidence: ${wrong}`;
}

/** The counts of a report's rows and its verdict: differs if any row differs, reproduced if none does and one reproduced. */
export function summarize(rows: readonly CompareRow[]): Pick<CompareReport, 'counts' | 'verdict'> {
  const counts = {
    reproduced: rows.filter((r) => r.verdict === 'reproduced').length,
    differs: rows.filter((r) => r.verdict === 'differs').length,
    notComparable: rows.filter((r) => r.verdict === 'not-comparable').length,
  };
  const verdict: CompareVerdict =
    counts.differs > 0 ? 'differs' : counts.reproduced > 0 ? 'reproduced' : 'not-comparable';
  return { counts, verdict };
}

function filesOf(loaded: readonly LoadedRecord[], run: readonly RunRecord[]): string[] {
  return loaded.filter((l) => run.includes(l.record)).map((l) => l.file);
}

function compareScenario(
  scenario: ScenarioName,
  rules: CompareRules,
  mine: RunRecord[],
  refRun: RunRecord[],
  itself: boolean,
): CompareRow[] {
  return mine.flatMap((record): CompareRow[] => {
    const ref = refRun.find((r) => r.runtime.revision === record.runtime.revision);
    const base = {
      scenario,
      build: record.runtime.label,
      revision: record.runtime.revision,
      counted: null,
      p: null,
      pAdjusted: null,
    } as const;
    if (!ref) {
      const why =
        refRun.length === 0
          ? nothingToCompare(scenario, itself)
          : `the published run (${refRun[0]!.runId}) has no record of this build`;
      return [
        {
          ...base,
          item: 'build',
          published: refRun.map((r) => r.runtime.revision).join(', ') || 'none',
          yours: record.runtime.revision,
          rule: why,
          verdict: 'not-comparable',
        },
      ];
    }
    return rules.compare(record, ref).map((r) => ({ ...r, scenario }));
  });
}

/** The report's table, as the terminal and the site's "Compare with your run" show it: one row per measurement. */
export function reportTable(report: Pick<CompareReport, 'rows'>): { header: string[]; rows: string[][] } {
  const header = ['build', 'measurement', 'published', 'yours', 'verdict', 'rule'];
  const rows = report.rows.map((r) => [
    r.build,
    r.item,
    r.published,
    r.yours,
    r.verdict === 'differs' ? 'DIFFERS' : r.verdict,
    r.pAdjusted !== null && r.verdict !== 'not-comparable' ? `${r.rule} (${formatP(r.pAdjusted)})` : r.rule,
  ]);
  return { header, rows };
}

/** The verdict line under the table. */
export function verdictLine({ verdict, counts }: Pick<CompareReport, 'verdict' | 'counts'>): string {
  return `${verdict.toUpperCase()}: ${counts.reproduced} reproduced, ${counts.differs} differ, ${counts.notComparable} not comparable`;
}

/** The report as the terminal shows it: one line per measurement, then the verdict. */
export function formatReport(report: CompareReport): string {
  const { header, rows } = reportTable(report);
  const reference = terminalSafe(report.reference.map((r) => r.runId).join(', ') || 'none');
  return [`compared with the published run ${reference}`, '', formatTable(header, rows), '', verdictLine(report)].join(
    '\n',
  );
}
