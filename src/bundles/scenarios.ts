// What each reproduction bundle carries beyond the harness: its own scenario folder and its npm
// dependencies (only what the repro needs; tests/unit/site/bundles.test.ts checks the static imports
// are covered). Each scenario declares its own (src/scenarios/<scenario>/); the time, disk and memory
// a reader should expect are measured: see needs.ts.
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import { scenarios } from '../scenarios/registry.ts';
import type { BundleSpec } from '../scenarios/types.ts';

export interface BundleScenario extends BundleSpec<RunRecord> {
  name: ScenarioName;
  title: string;
}

export const bundleScenarios: BundleScenario[] = scenarios.map((s) => ({ name: s.name, title: s.title, ...s.bundle }));

export function bundleScenario(name: string): BundleScenario {
  const s = bundleScenarios.find((b) => b.name === name);
  if (!s) throw new Error(`Unknown bundle scenario "${name}"; known: ${bundleScenarios.map((b) => b.name).join(', ')}.`);
  return s;
}
