// The catalogue's compare rules (repro/core/compare/rules.ts): a rerun of a failure reproduces the
// reference when its runs give the same status by the failure's own rule. Every figure is recomputed
// from the runs; a record whose verdict says otherwise is refused. Pure, given the failures' definitions.
import { notComparable, type CompareRules, type RuleRow } from '../../core/compare/rules.ts';
import type { FailureDefinition } from '../../core/failure.ts';
import type { CatalogueRecord } from '../../core/record/schema.ts';
import { catalogueVerdict } from './verdict.ts';

export function catalogueCompareRules(definitions: readonly FailureDefinition[]): CompareRules<CatalogueRecord> {
  const definitionOf = (record: CatalogueRecord) => definitions.find((d) => d.id === record.failure);
  return {
    evidenceMismatch(record) {
      const definition = definitionOf(record);
      if (!definition)
        return `failure is "${record.failure}", which this copy has no folder for (repro/failures/${record.failure}/)`;
      if (record.runs.length === 0) return 'runs is empty: the record holds no evidence';
      const recomputed = catalogueVerdict(definition, record.runs);
      if (recomputed.status !== record.verdict.status)
        return `verdict.status is ${record.verdict.status}, the runs give ${recomputed.status}`;
      if (recomputed.keyFigures.join() !== record.verdict.keyFigures.join())
        return `verdict.keyFigures is [${record.verdict.keyFigures.join(', ')}], the runs give [${recomputed.keyFigures.join(', ')}]`;
      return null;
    },

    compare(yours, reference): RuleRow[] {
      const definition = definitionOf(yours);
      const mine = definition ? catalogueVerdict(definition, yours.runs) : null;
      const theirs = definition ? catalogueVerdict(definition, reference.runs) : null;
      const item = yours.failure;
      if (!definition || !mine || !theirs)
        return [notComparable(yours, item, '–', '–', `no folder for the failure "${yours.failure}" in this copy`)];
      if (reference.failure !== yours.failure)
        return [notComparable(yours, item, reference.failure, yours.failure, 'another failure')];
      if (yours.status !== 'complete')
        return [notComparable(yours, item, theirs.status, mine.status, 'your run did not complete')];
      if (JSON.stringify(yours.parameters) !== JSON.stringify(reference.parameters))
        return [notComparable(yours, item, theirs.text, mine.text, 'other parameters: rerun with the published ones')];
      if (mine.status === 'inconclusive' || theirs.status === 'inconclusive')
        return [
          notComparable(
            yours,
            item,
            `${theirs.status}: ${theirs.text}`,
            `${mine.status}: ${mine.text}`,
            'a side is inconclusive by the rule',
          ),
        ];
      return [
        {
          build: yours.runtime.label,
          revision: yours.runtime.revision,
          item,
          published: `${theirs.status}: ${theirs.text}`,
          yours: `${mine.status}: ${mine.text}`,
          rule: `the same status by the rule: ${definition.verdict.rule}`,
          verdict: mine.status === theirs.status ? 'reproduced' : 'differs',
          counted: null,
          p: null,
          pAdjusted: null,
        },
      ];
    },
  };
}
