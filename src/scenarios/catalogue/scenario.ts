// The catalogue, as the site shows it: one column of the version matrix and one page (/failures/<id>/)
// per folder of repro/failures/, all derived from the folder. Its evidence is the matrix itself: it
// has no published reference run, no article and no bundle of its own.
import type { CatalogueRecord } from '../../../repro/core/record/schema.ts';
import { catalogue } from '../../../repro/failures/index.ts';
import { catalogueCompareRules } from '../../../repro/scenarios/catalogue/compare.ts';
import type { SiteScenario } from '../types.ts';
import { catalogueFailures } from './failures.ts';

export const catalogueSite: SiteScenario<CatalogueRecord> = {
  name: 'catalogue',
  title: 'The failure catalogue: one probe per reported failure, on every published build',
  verdictView: () => undefined,
  stat: (_, q) => {
    throw new Error(
      `<Stat scenario="catalogue" metric="${q.metric}">: the catalogue has no reference run; its records are the matrix's (<MatrixCell>, <LedgerClass>).`,
    );
  },
  sampleCount: (r) => r.runs.reduce((n, run) => n + run.outsideSamples.length + (run.measurement ? 1 : 0), 0),
  failures: catalogueFailures,
  figures: [],
  compareRules: catalogueCompareRules(catalogue),
  // A catalogue run sends each build's record when the build ends; the live page lists them.
  live: {
    start: (record: CatalogueRecord) => record,
    fold: (record: CatalogueRecord) => record,
    figures: [],
    progress: (r: CatalogueRecord) => ({ text: `${r.runs.length} run(s)`, left: null, msPerUnit: null }),
  },
};
