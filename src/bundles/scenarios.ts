// What each reproduction bundle carries beyond the harness: its own scenario folder and its npm
// dependencies (only what the repro needs; tests/unit/site/bundles.test.ts checks the static imports
// are covered). Each scenario declares its own (src/scenarios/<scenario>/); the time, disk and memory
// a reader should expect are measured: see needs.ts.
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import { scenarios } from '../scenarios/registry.ts';
import type { SiteScenario } from '../scenarios/types.ts';

export interface BundleScenario extends NonNullable<SiteScenario<RunRecord>['bundle']> {
  name: ScenarioName;
  title: string;
  verdictView: SiteScenario<RunRecord>['verdictView'];
}

/** The scenarios with a bundle: those told in an article, with a published run to compare with. */
export const bundleScenarios: BundleScenario[] = scenarios.flatMap((s) =>
  s.bundle ? [{ name: s.name, title: s.title, verdictView: s.verdictView, ...s.bundle }] : [],
);

export function bundleScenario(name: string): BundleScenario {
  const s = bundleScenarios.find((b) => b.name === name);
  if (!s)
    throw new Error(`Unknown bundle scenario "${name}"; known: ${bundleScenarios.map((b) => b.name).join(', ')}.`);
  return s;
}
