// The sql-pool run on the live page: the verdict matrix fills in trial by trial, and the timeline shows
// each build's latest repetition as it comes. The harness sends each trial, repetition by repetition
// and once finished (repro/scenarios/sql-pool/live.ts).
import type { SqlPoolRecord, SqlTrial } from '../../../repro/core/record/schema.ts';
import type { SqlPoolLiveUpdate } from '../../../repro/scenarios/sql-pool/live.ts';
import type { LiveView } from '../types.ts';
import { sqlTimeline } from './figures/sql-timeline.ts';
import { sqlVerdicts } from './figures/sql-verdicts.ts';

/** A build's record, its finished trials only, and the trial under way (its repetitions so far). */
interface SqlBuild {
  record: SqlPoolRecord;
  current?: SqlTrial;
}

/** The repetition that came in last: the build's latest trial, its latest repetition. */
function latestRepetition({ record, current }: SqlBuild): SqlPoolRecord {
  const trial = current ?? record.trials.at(-1);
  return { ...record, trials: trial ? [{ ...trial, repetitions: trial.repetitions.slice(-1) }] : [] };
}

export const sqlPoolLive: LiveView<SqlPoolRecord, SqlPoolLiveUpdate, SqlBuild> = {
  start: (record) => ({ record }),
  fold(build, { position, trial, done }) {
    if (!done) return { ...build, current: trial };
    build.record.trials[position] = trial;
    return { record: build.record };
  },
  figures: [
    { figure: sqlVerdicts, records: (builds) => builds.map((b) => b.record) },
    { figure: sqlTimeline, records: (builds) => builds.map(latestRepetition) },
  ],
  // The record's parameters do not say which faults and orderings the run chose: no total, no time left.
  progress: (b) => ({ text: `${b.record.trials.length} trial(s)`, left: null, msPerUnit: null }),
};
