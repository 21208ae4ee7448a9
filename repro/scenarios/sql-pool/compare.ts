// The SQL pool's compare rules (see repro/core/compare/rules.ts). Counts, since a trial's outcome
// is a distribution: per trial, Fisher's exact test on the outcome counts of the two runs; the
// p-values of one comparison are Holm-adjusted together, and a trial differs when its adjusted
// p < 0.05. A trial whose sample sizes could not reach that even with opposite outcomes in every
// repetition is not comparable ("too few repetitions"), never "reproduced".
// The counts are tallied from the repetitions, each repetition's verdict checked against its own
// operations and checks (verdict.ts classifyRepetition); a record whose summary says otherwise is
// rejected (evidenceMismatch).
import { disagreement, notComparable, type CompareRules, type RuleRow } from '../../core/compare/rules.ts';
import { SqlOutcome, type SqlPoolRecord, type SqlTrial } from '../../core/record/schema.ts';
import { countVector, countedOf, distributionText, modalOutcome, type OutcomeCounts } from './outcomes.ts';
import { classifyRepetition, outcomeCounts } from './verdict.ts';
import { ALPHA, fisherExact, formatP, holm, smallestPossibleP } from '../../core/stats.ts';

/** What must be equal for two trials to be compared: everything that shapes a repetition. */
function sqlConditions(r: SqlPoolRecord, t: SqlTrial): string {
  const { pool, firstWatchdogMs, followUpWatchdogMs, afterDelayMs, timerDelayMs, timerBoundMs } = r.parameters;
  return JSON.stringify({
    pool,
    firstWatchdogMs,
    followUpWatchdogMs,
    afterDelayMs,
    timerDelayMs,
    timerBoundMs,
    pauseMs: t.pauseMs,
  });
}

/** A trial's counts as its repetitions have them: the outcomes tallied, and the attempts not met. */
function trialEvidence(t: SqlTrial): { counts: OutcomeCounts; notMet: number } {
  return {
    counts: outcomeCounts(t.repetitions),
    notMet: t.repetitions.filter((r) => r.verdict === 'condition-not-met').length,
  };
}

function sqlEvidenceMismatch(r: SqlPoolRecord): string | null {
  for (const [i, t] of r.trials.entries()) {
    for (const [j, rep] of t.repetitions.entries()) {
      // What the harness would have called it, from its operations and checks.
      const evidence = classifyRepetition(rep, rep.verdict === 'interrupted');
      if (evidence !== rep.verdict)
        return disagreement(`trials.${i}.repetitions.${j}.verdict`, rep.verdict, evidence, 'its operations and checks');
    }
    const e = trialEvidence(t);
    for (const outcome of SqlOutcome.options) {
      const [summary, tallied] = [t.verdict.counts[outcome] ?? 0, e.counts[outcome] ?? 0];
      if (summary !== tallied)
        return disagreement(`trials.${i}.verdict.counts.${outcome} (${t.id})`, summary, tallied, 'its repetitions');
    }
    if (t.verdict.notMet !== e.notMet)
      return disagreement(`trials.${i}.verdict.notMet (${t.id})`, t.verdict.notMet, e.notMet, 'its repetitions');
    const modal = modalOutcome(e.counts);
    if (modal !== undefined && t.verdict.kind !== modal)
      return disagreement(`trials.${i}.verdict.kind (${t.id})`, t.verdict.kind, modal, 'its repetitions');
  }
  return null;
}

const SQL_RULE = 'Fisher exact test on the outcome counts, Holm-adjusted';

/** One row per trial the two records share; p-values raw, adjusted later over the whole comparison. */
function compareSqlTrials(yours: SqlPoolRecord, reference: SqlPoolRecord): RuleRow[] {
  if (yours.status !== 'complete') {
    return [notComparable(yours, 'run', 'complete', yours.status, 'your run did not complete')];
  }
  return yours.trials.map((mine): RuleRow => {
    const ref = reference.trials.find((t) => t.id === mine.id);
    const [mineCounts, refCounts] = [trialEvidence(mine), ref && trialEvidence(ref)];
    const mineText = distributionText(mineCounts.counts, mineCounts.notMet);
    if (!ref || !refCounts)
      return notComparable(yours, mine.id, 'not run', mineText, 'the published run has no such trial');
    const refText = distributionText(refCounts.counts, refCounts.notMet);
    if (sqlConditions(yours, mine) !== sqlConditions(reference, ref)) {
      return notComparable(
        yours,
        mine.id,
        refText,
        mineText,
        'other pause, pool options, watchdogs or timing: rerun with the published ones',
      );
    }
    if (countedOf(mineCounts.counts) === 0 || countedOf(refCounts.counts) === 0) {
      return notComparable(yours, mine.id, refText, mineText, 'no counted repetition on one side');
    }
    return {
      build: yours.runtime.label,
      revision: yours.runtime.revision,
      item: mine.id,
      published: refText,
      yours: mineText,
      rule: SQL_RULE,
      verdict: 'reproduced',
      counted: { published: countedOf(refCounts.counts), yours: countedOf(mineCounts.counts) },
      p: fisherExact(countVector(refCounts.counts), countVector(mineCounts.counts)),
      pAdjusted: null,
    };
  });
}

/**
 * Decides the SQL rows of one comparison together: Holm over every row with a p-value, and "too few
 * repetitions" where even the most extreme outcome could not survive that correction.
 */
function decideSqlRows<R extends RuleRow>(rows: R[]): R[] {
  const tested = rows.filter((r) => r.p !== null);
  const adjusted = holm(tested.map((r) => r.p!));
  const m = tested.length;
  return rows.map((r) => {
    const i = tested.indexOf(r);
    if (i < 0) return r;
    const { published: nRef, yours: nMine } = r.counted!;
    const best = Math.min(1, smallestPossibleP(nRef, nMine) * m);
    if (best >= ALPHA) {
      return {
        ...r,
        verdict: 'not-comparable',
        pAdjusted: adjusted[i]!,
        rule: `too few repetitions to tell (${nRef} published, ${nMine} yours): even opposite outcomes in every repetition would give ${formatP(best)} over ${m} trials; run more (--repetitions)`,
      };
    }
    // The rule's words follow the verdict: a reproduced row never reads "differs".
    const differs = adjusted[i]! < ALPHA;
    return {
      ...r,
      pAdjusted: adjusted[i]!,
      verdict: differs ? 'differs' : 'reproduced',
      rule: `${SQL_RULE}; ${differs ? 'differs: p < 0.05' : 'not shown to differ: p ≥ 0.05'}`,
    };
  });
}

export const sqlCompareRules: CompareRules<SqlPoolRecord> = {
  compare: compareSqlTrials,
  decide: decideSqlRows,
  evidenceMismatch: sqlEvidenceMismatch,
};
