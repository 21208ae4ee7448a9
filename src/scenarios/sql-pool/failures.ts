// The SQL pool's columns in the version matrix (/affected/): one per fault the quick protocol runs.
import type { SqlTrial } from '../../../repro/harness/record/schema.ts';
import { countedOf, distributionText, modalOutcome } from '../../../repro/harness/record/sql-outcomes.ts';
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';

/** A SQL failure: one fault's trials (both orderings), affected when the most frequent outcome is `bad`. */
function sqlFailure(id: string, title: string, heading: Failure['heading'], fault: SqlTrial['fault'], bad: 'hangs' | 'corrupted', definition: string): Failure {
  return {
    id,
    title,
    heading,
    definition,
    cell(records) {
      const r = completeRecord(records, 'sql-pool', (x) => x.trials.some((t) => t.fault === fault));
      if (!r) return notRun;
      const trials = r.trials.filter((t) => t.fault === fault && t.pauseMs === r.trials.find((u) => u.fault === fault)!.pauseMs);
      const modal = trials.map((t) => modalOutcome(t.verdict.counts));
      const text = trials.map((t) => `${t.ordering}: ${distributionText(t.verdict.counts, t.verdict.notMet)}`).join('; ');
      if (trials.some((t) => countedOf(t.verdict.counts) === 0)) return { status: 'inconclusive', text, runId: r.runId };
      return { status: modal.includes(bad) ? 'affected' : 'not-affected', text, runId: r.runId };
    },
  };
}

export const sqlFailures: readonly Failure[] = [
  sqlFailure('lazy-rst', 'begin() hangs after a lazy RST', { wide: 'begin() hang\nafter lazy RST', narrow: 'lazy\nRST' }, 'lazy-rst', 'hangs', 'after a pause, a connection answered with RST makes begin() hang instead of failing'),
  sqlFailure('cold-start', 'Pool corrupted after a cold start', { wide: 'Corrupt pool\nafter cold start', narrow: 'cold\nstart' }, 'cold-start', 'corrupted', 'a pool frozen mid-handshake is left corrupted on resume (oven-sh/bun#30947)'),
];
