// The catalogue's columns in the version matrix: one per folder of repro/failures/, each cell the
// build's newest complete record of that failure, judged again from its runs by the folder's rule.
import { median } from '../../../repro/core/maths.ts';
import type { FailureDefinition } from '../../../repro/core/failure.ts';
import type { CatalogueRecord } from '../../../repro/core/record/schema.ts';
import { catalogue } from '../../../repro/failures/index.ts';
import { catalogueVerdict } from '../../../repro/scenarios/catalogue/verdict.ts';
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';

function catalogueFailure(definition: FailureDefinition): Failure {
  const { id, title, heading, kind, issue, fix, keyFigure, verdict } = definition;
  return {
    id,
    title,
    heading,
    definition: verdict.rule,
    kind,
    issue,
    fix,
    keyFigure: {
      label: keyFigure.label,
      unit: keyFigure.unit,
      ...(keyFigure.threshold === undefined ? {} : { threshold: keyFigure.threshold }),
    },
    probe: `repro/failures/${id}/probe.ts`,
    rerun: `npm run repro -- ${id} --bun <version>`,
    about: { summary: definition.summary, reason: verdict.reason },
    cell(records) {
      const r = completeRecord(records, 'catalogue', (x: CatalogueRecord) => x.failure === id);
      if (!r) return notRun;
      // The evidence, not the summary: the site's loader has already refused a record where they differ.
      const { status, keyFigures, text } = catalogueVerdict(definition, r.runs);
      return { status, text, runId: r.runId, figure: median(keyFigures) ?? null };
    },
  };
}

export const catalogueFailures: readonly Failure[] = catalogue.map(catalogueFailure);
