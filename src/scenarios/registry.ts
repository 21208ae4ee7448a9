// The site's one list of scenarios; adding one is a line here (and its folder beside this file).
// Pages, components and the shared modules (stats, version matrix, bundles, figures) read it, so no
// other module names a scenario.
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import { catalogueSite } from './catalogue/scenario.ts';
import { s3Leak } from './s3-leak/scenario.ts';
import { s3Upload } from './s3-upload/scenario.ts';
import { sqlPool } from './sql-pool/scenario.ts';
import type { SiteScenario } from './types.ts';

const listed = [s3Leak, sqlPool, s3Upload, catalogueSite] as const;

// Fails to compile when a scenario of the record schema is missing from the list.
const everyScenarioListed: Record<ScenarioName, true> = {} as Record<(typeof listed)[number]['name'], true>;
void everyScenarioListed;

// Each descriptor is typed by its own record; the list holds them as descriptors of any record, which
// the lookups only ever hand that scenario's records. No cast: the record-taking members of
// SiteScenario are methods, which TypeScript checks bivariantly (see FigureModule in figures/types.ts).
export const scenarios: readonly SiteScenario<RunRecord>[] = listed;

export const scenarioNames = scenarios.map((s) => s.name);

/** The scenario's descriptor, or an error naming the known ones. */
export function siteScenario(name: string): SiteScenario<RunRecord> {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`Unknown scenario "${name}"; known: ${scenarioNames.join(', ')}.`);
  return s;
}
