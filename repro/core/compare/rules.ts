// What a compare rule is. The rules that decide whether a rerun reproduces the published run live
// with each scenario (repro/scenarios/<scenario>/compare.ts), reached through its Scenario; they are
// documented in the methodology article and used by `npm run repro -- compare`, `--compare` and the
// bundles' READMEs.
//
// Every figure compared is recomputed from the record's evidence, and a record whose summary says
// otherwise is rejected as bad input (evidenceMismatch): a summary alone never reproduces anything.
//
// Each rule compares one measurement of one build (matched by `bun --revision`) and says
//   reproduced     within the rule;
//   differs        outside it;
//   not-comparable the two cannot be compared: other parameters, an incomplete run, a build the
//                  reference lacks, or too few repetitions for the test to ever show a difference.
import type { RunRecord } from '../record/schema.ts';
import type { CompareRow } from './report.ts';

/** A row as a scenario's rule writes it; compare.ts adds the scenario. */
export type RuleRow = Omit<CompareRow, 'scenario'>;

export interface CompareRules<R extends RunRecord = RunRecord> {
  /**
   * The rows comparing one of your records with the reference record of the same build, each figure
   * recomputed from the records' own evidence (samples, uploads, repetitions), never read from their summaries.
   */
  compare(yours: R, reference: R): RuleRow[];
  /**
   * Where the record's summary disagrees with its own evidence, in one phrase naming the field, the
   * summary's value and the evidence's ("verdict.peakRssBytes is 151.5 MiB, the samples give 0.0 MiB");
   * null when they agree. compare rejects such a record rather than judge it.
   */
  evidenceMismatch(record: R): string | null;
  /**
   * Decides the scenario's rows of one comparison together, for rules that cannot judge a row alone
   * (a multiple-testing correction); without it each row keeps the verdict `compare` gave it.
   */
  decide?<T extends RuleRow>(rows: T[]): T[];
}

/** A row that applies no rule, saying why. */
export const notComparable = (
  record: RunRecord,
  item: string,
  published: string,
  yours: string,
  why: string,
): RuleRow => ({
  build: record.runtime.label,
  revision: record.runtime.revision,
  item,
  published,
  yours,
  rule: why,
  verdict: 'not-comparable',
  counted: null,
  p: null,
  pAdjusted: null,
});

/** A row that applied its rule: reproduced when `ok`, else differs (rules without a count or p-value). */
export const ruleRow = (
  record: RunRecord,
  item: string,
  published: string,
  yours: string,
  rule: string,
  ok: boolean,
): RuleRow => ({
  build: record.runtime.label,
  revision: record.runtime.revision,
  item,
  published,
  yours,
  rule,
  verdict: ok ? 'reproduced' : 'differs',
  counted: null,
  p: null,
  pAdjusted: null,
});

/** evidenceMismatch's phrase: the field, the summary's value, and what the evidence (`from`) gives. */
export const disagreement = (
  field: string,
  summary: string | number,
  evidence: string | number,
  from: string,
): string => `${field} is ${summary}, ${from} give ${evidence}`;
