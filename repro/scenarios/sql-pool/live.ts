// What the sql-pool scenario sends the live page (--live, --replay): each build's record with no
// trial at the start, then each trial repetition by repetition and once finished. Trials travel one by
// one: a record resent whole after each repetition would send a long run's megabytes hundreds of
// times. The page folds them (src/scenarios/sql-pool/live.ts): the verdict matrix fills in, the timeline moves.
import type { SqlPoolRecord, SqlTrial } from '../../core/record/schema.ts';
import type { LiveFeed } from '../../harness/scenario.ts';
import { withPlan } from './plan.ts';

/** Trial `position` of the build: finished (`done`: it joins the record's trials) or in progress (its repetitions so far). */
export interface SqlPoolLiveUpdate {
  position: number;
  trial: SqlTrial;
  done: boolean;
}

export const sqlPoolLive: LiveFeed<SqlPoolRecord, SqlPoolLiveUpdate> = {
  // The page draws no published run behind: a matrix of verdicts has no "so far" to compare.
  reference: () => [],

  /** Trial by trial, each build in turn (as the run interleaved them), repetition by repetition at its recorded length. */
  async replay(records, send, sleep) {
    const trials = Math.max(...records.map((r) => r.trials.length));
    // An older complete record shows its plan in its trials: the page's total.
    records.forEach((record, index) =>
      send({
        type: 'record',
        index,
        record: { ...record, parameters: withPlan(record), status: 'partial', trials: [] },
      }),
    );
    for (let position = 0; position < trials; position++) {
      for (const [index, record] of records.entries()) {
        const trial = record.trials[position];
        if (!trial) continue;
        for (let n = 1; n <= trial.repetitions.length; n++) {
          await sleep(trial.repetitions[n - 1]!.events.at(-1)?.t ?? 0);
          send({
            type: 'update',
            index,
            payload: { position, trial: { ...trial, repetitions: trial.repetitions.slice(0, n) }, done: false },
          });
        }
        send({ type: 'update', index, payload: { position, trial, done: true } });
      }
    }
  },
};
