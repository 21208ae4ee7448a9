// The measured values prose may quote, through <Stat>, read from the latest recorded run. Each
// metric is a function of the record, so no number measured by us is typed into an article; each
// scenario defines its own (src/scenarios/<scenario>/), this hands a query to the right one.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { siteScenario } from '../scenarios/registry.ts';
import type { StatQuery, StatValue } from './stat-query.ts';

export type { StatQuery, StatValue } from './stat-query.ts';

/**
 * The formatted value; what the latest run lacks for it (a build, a trial, a payload size: a reader's
 * run made with other flags); or null when the scenario has no recorded run yet. Misuse (unknown
 * scenario or metric, missing trial) throws: that is an authoring error.
 */
export function statValue(all: readonly RunRecord[], q: StatQuery): StatValue {
  return siteScenario(q.scenario).stat(all, q);
}
