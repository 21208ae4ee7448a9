// What <Stat> asks for, and the checks every scenario's metrics share. Each scenario answers for its
// own metrics (src/scenarios/<scenario>/); stats.ts hands the query to the right one.
import type { ScenarioName } from '../../repro/core/record/schema.ts';
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
  if (q.build !== 'zig' && q.build !== 'rust')
    throw new Error(`<Stat> build must be "zig" or "rust", got "${q.build}".`);
  return q.build;
}

/**
 * What <Stat> shows: the value; what the latest run lacks for it, in words for the page ("needs a
 * 256 MiB upload"), when a reader's own run was made with other flags; or null when no run is recorded.
 */
export type StatValue = string | { lacks: string } | null;

/** The value the latest run cannot give, and why. */
export const lacking = (why: string): StatValue => ({ lacks: why });

/** "no Zig build in this run": the latest run has no record of the build asked for. */
export const noBuild = (build: BuildLine | string) =>
  lacking(`no ${build === 'zig' ? 'Zig' : build === 'rust' ? 'Rust' : build} build in this run`);

/** A StatValue as text in a table cell. */
export const statText = (v: StatValue): string =>
  v === null ? 'not recorded' : typeof v === 'object' ? `not measured: ${v.lacks}` : v;
