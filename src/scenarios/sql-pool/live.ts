// The sql-pool run on the live page: the verdict matrix fills in trial by trial, and the timeline shows
// each build's latest repetition as it comes. The harness sends each trial, repetition by repetition
// and once finished (repro/scenarios/sql-pool/live.ts).
import type { SqlPlannedTrial, SqlPoolRecord, SqlRepetition, SqlTrial } from '../../../repro/core/record/schema.ts';
import { faults } from '../../../repro/scenarios/sql-pool/faults.ts';
import type { SqlPoolLiveUpdate } from '../../../repro/scenarios/sql-pool/live.ts';
import { isOutcome } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { everyWatchdogMs } from '../../../repro/scenarios/sql-pool/watchdogs.ts';
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
  // Each trial runs for every build before the next: the page gives the run's time left, the builds' sum.
  together: true,
  progress({ record, current }) {
    const done = record.trials.length;
    const { plan, ...parameters } = record.parameters;
    // Older records do not say which faults and orderings the run chose: no total, no time left.
    if (!plan) return { text: `${done} trial(s)`, left: null, msPerUnit: null };
    // A silent fault's repetition waits out its watchdogs; the time left counts them as a wait of its
    // own, so the pace is the rest: what a repetition takes beyond its pause and those watchdogs, on
    // the harness's clock (its last event).
    const silent = (t: SqlPlannedTrial) => faults[t.fault].silent;
    const watched = (t: SqlPlannedTrial, r: SqlRepetition) => (silent(t) ? watchdogsWaited(r) : 0);
    const reps = [...record.trials, ...(current ? [current] : [])].flatMap((t) =>
      t.repetitions.map((r) => Math.max(0, (r.events.at(-1)?.t ?? 0) - t.pauseMs - watched(t, r))),
    );
    // Still to come: the counted repetitions the trial under way lacks, and every later trial's. A
    // silent trial's repetition waits for every watchdog, as a hang does: before it starts, that is
    // all there is to go by; under way, the build's latest repetition says (keepalive may have found
    // the dead path in a long pause).
    const counted = current?.repetitions.filter((r) => isOutcome(r.verdict)).length ?? 0;
    const latest = current?.repetitions.at(-1);
    const coming = plan.slice(done).map((t, i) => {
      const underWay = i === 0 && latest !== undefined;
      const hangMs = !silent(t) ? 0 : underWay ? watched(t, latest) : everyWatchdogMs(parameters);
      return { waitMs: t.pauseMs + hangMs, reps: Math.max(0, t.wanted - (i === 0 ? counted : 0)) };
    });
    return {
      text: `${done} of ${plan.length} trials`,
      left: coming.reduce((n, t) => n + t.reps, 0),
      msPerUnit: reps.length > 0 ? reps.reduce((a, b) => a + b, 0) / reps.length : null,
      waitMs: coming.reduce((ms, t) => ms + t.reps * t.waitMs, 0),
    };
  },
};

/** How long the repetition waited on watchdogs that fired: a hung operation's latency is its watchdog. */
function watchdogsWaited(repetition: SqlRepetition): number {
  return repetition.operations.reduce((ms, o) => ms + (o.outcome === 'hang' ? o.latencyMs : 0), 0);
}
