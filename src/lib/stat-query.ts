// What <Stat> asks for, and the checks every scenario's metrics share. Each scenario answers for its
// own metrics (src/scenarios/<scenario>/); stats.ts hands the query to the right one.
import type { ScenarioName } from '../../repro/harness/record/schema.ts';
import type { BuildLine } from './runs.ts';

export interface StatQuery {
  scenario: ScenarioName;
  /** Which build's value; not for run-level comparisons (e.g. `difference`), which compare them. */
  build?: BuildLine;
  metric: string;
  trial?: string;
}

/** The query's build, which a per-build metric needs. */
export function requireBuild(q: StatQuery): BuildLine {
  if (q.build !== 'zig' && q.build !== 'rust') throw new Error(`<Stat> build must be "zig" or "rust", got "${q.build}".`);
  return q.build;
}
