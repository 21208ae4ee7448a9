// The SQL pool's values for <Stat>: per trial of one build, per run of one build, or comparing the
// builds (`difference`, `differingTrials`).
import {
  SqlOutcome,
  type RunRecord,
  type SqlPoolRecord,
  type SqlRepetition,
  type SqlTrial,
} from '../../../repro/core/record/schema.ts';
import { buildsDiffer, differenceText, distributionText } from '../../../repro/scenarios/sql-pool/outcomes.ts';
import { formatInt, formatMs, listOf } from '../../lib/format.ts';
import { latestRun, recordForLine } from '../../lib/runs.ts';
import { lacking, noBuild, requireBuild, type StatQuery, type StatValue } from '../../lib/stat-query.ts';
import { median } from '../../../repro/core/maths.ts';

const sqlTrialMetrics = {
  /** "corrupted 9/10 (60–98 %), recovers 1 · 2 not met". */
  verdict: (t: SqlTrial) => sqlVerdictText(t),
  /** The median latency of the first operation over the counted repetitions. */
  firstLatencyMs: (t: SqlTrial) => {
    const firsts = counted(t).flatMap((rep) => rep.operations.filter((o) => o.op === 'first'));
    if (firsts.length === 0) return 'not measured';
    const middle = median(firsts.map((o) => o.latencyMs))!;
    return firsts.every((o) => o.outcome === 'hang') ? `≥ ${formatMs(middle)} (watchdog)` : formatMs(middle);
  },
  /**
   * The error the first operation most often failed with, over the counted repetitions:
   * "“connection must be a PostgresSQLConnection” in 7 of 10"; "no error" when it never failed.
   */
  firstError: (t: SqlTrial) => {
    const reps = counted(t);
    const errors = reps.flatMap((rep) =>
      rep.operations
        .filter((o) => o.op === 'first' && o.outcome === 'error')
        .map((o) => o.message ?? o.code ?? 'an error'),
    );
    if (errors.length === 0) return 'no error';
    const tally = new Map<string, number>();
    for (const e of errors) tally.set(e, (tally.get(e) ?? 0) + 1);
    const [message, n] = [...tally].sort((a, b) => b[1] - a[1])[0]!;
    return `“${message}” in ${formatInt(n)} of ${formatInt(reps.length)}`;
  },
  /** "10 of 14 attempts": how many attempts met the trial's condition. */
  conditionMet: (t: SqlTrial) =>
    `${formatInt(counted(t).length)} of ${formatInt(counted(t).length + t.verdict.notMet)} attempts`,
  /**
   * "7 of 10": counted repetitions of a timer trial in which the overdue timer fired before the pool
   * handled any close event after the resume (Bun's clock): which the event loop served first.
   */
  timerBeforeClose: (t: SqlTrial) => {
    if (t.ordering !== 'timer') throw new Error(`<Stat metric="timerBeforeClose"> needs a timer trial, got "${t.id}".`);
    const reps = counted(t);
    return `${formatInt(reps.filter(timerFiredBeforeClose).length)} of ${formatInt(reps.length)}`;
  },
} as const;

const counted = (t: SqlTrial) =>
  t.repetitions.filter((rep) => (SqlOutcome.options as readonly string[]).includes(rep.verdict));

/** The timer fired before the first onclose after the resume, on Bun's clock (or no close came at all). */
function timerFiredBeforeClose(rep: SqlRepetition): boolean {
  const bunT = (e: SqlRepetition['events'][number] | undefined) =>
    typeof e?.detail?.bunT === 'number' ? e.detail.bunT : undefined;
  const resumed = rep.events.find((e) => e.event === 'resumed');
  const gap = typeof resumed?.detail?.gapMs === 'number' ? resumed.detail.gapMs : 0;
  const resumeAt = (bunT(resumed) ?? 0) - gap;
  const fired = bunT(rep.events.find((e) => e.event === 'timer_fired'));
  const firstClose = rep.events
    .filter((e) => e.event === 'onclose')
    .map(bunT)
    .find((t) => t !== undefined && t >= resumeAt);
  return fired !== undefined && (firstClose === undefined || fired <= firstClose);
}

/** The Zig and Rust builds of a run compared over every trial they share (Holm-adjusted); empty without both. */
function runDifferences(run: readonly SqlPoolRecord[]) {
  const [zig, rust] = [recordForLine(run, 'zig'), recordForLine(run, 'rust')];
  return zig && rust ? buildsDiffer(zig.trials, rust.trials) : new Map();
}

/** Whether the two builds differ on a trial, adjusted over the run's trials: a run-level metric, read without `build`. */
export function sqlDifferenceText(run: readonly SqlPoolRecord[], trialId: string): string | null {
  const d = runDifferences(run).get(trialId);
  return d ? differenceText(d) : null;
}

/** The trials of a run on which the builds differ by Fisher's exact test, Holm-adjusted, at 5 %, in the records' order. */
export function differingTrials(run: readonly SqlPoolRecord[]): string[] {
  return [...runDifferences(run)].filter(([, d]) => d.verdict === 'different').map(([id]) => id);
}

const sqlRunMetrics = {
  version: (r: SqlPoolRecord) => r.runtime.revision,
  /** The release the binary reports, without its commit: "1.4.5". */
  release: (r: SqlPoolRecord) => r.runtime.version,
  repetitions: (r: SqlPoolRecord) => formatInt(r.parameters.repetitions),
  longPauseRepetitions: (r: SqlPoolRecord) => formatInt(r.parameters.longPauseRepetitions),
  maxAttempts: (r: SqlPoolRecord) => `${formatInt(r.parameters.maxAttemptsFactor)} × the repetitions wanted`,
  pauseMs: (r: SqlPoolRecord) => {
    const pauses = [...new Set(r.trials.map((t) => t.pauseMs))].sort((a, b) => a - b);
    return pauses.map(formatMs).join(' / ') || 'not measured';
  },
  firstWatchdogMs: (r: SqlPoolRecord) => formatMs(r.parameters.firstWatchdogMs),
  followUpWatchdogMs: (r: SqlPoolRecord) => formatMs(r.parameters.followUpWatchdogMs),
  timerBoundMs: (r: SqlPoolRecord) => formatMs(r.parameters.timerBoundMs),
  trials: (r: SqlPoolRecord) => formatInt(r.trials.length),
  /** Every attempt the run made, counted or not. */
  attempts: (r: SqlPoolRecord) => formatInt(r.trials.reduce((n, t) => n + t.repetitions.length, 0)),
  notMet: (r: SqlPoolRecord) => formatInt(r.trials.reduce((n, t) => n + t.verdict.notMet, 0)),
  wallMinutes: (r: SqlPoolRecord) =>
    `${formatInt(Math.round((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 60_000))} minutes`,
} as const;

/** Every metric name <Stat> accepts here, for the error that names them. */
const sqlMetricNames = [
  ...Object.keys(sqlTrialMetrics).map((m) => `${m} (with trial)`),
  'difference (with trial, no build)',
  'differingTrials (no build)',
  ...Object.keys(sqlRunMetrics),
];

/** "hangs 10/10 (72–100 %)": the distribution of a trial's counted outcomes, or why it has none. */
export function sqlVerdictText(t: SqlTrial): string {
  const { kind, counts, notMet } = t.verdict;
  if (kind === 'skipped' || kind === 'interrupted') return kind;
  return distributionText(counts, notMet);
}

/** The value from the latest run: run-level comparisons first, then per trial or per run of one build. */
export function sqlStat(all: readonly RunRecord[], q: StatQuery): StatValue {
  const run = latestRun(all, 'sql-pool');
  if (q.metric === 'difference') {
    if (q.trial === undefined || q.build !== undefined)
      throw new Error('<Stat metric="difference"> takes a trial and no build: it compares the builds.');
    if (run.length === 0) return null;
    return sqlDifferenceText(run, q.trial) ?? lacking(`needs the ${q.trial} trial of both a Zig and a Rust build`);
  }
  if (q.metric === 'differingTrials') {
    if (q.trial !== undefined || q.build !== undefined)
      throw new Error('<Stat metric="differingTrials"> takes no trial and no build: it lists the trials.');
    if (run.length === 0) return null;
    const ids = differingTrials(run);
    return ids.length === 0 ? 'no trial' : listOf(ids);
  }
  const build = requireBuild(q);
  const record = recordForLine(run, build);
  if (q.trial !== undefined) {
    const metric = sqlTrialMetrics[q.metric as keyof typeof sqlTrialMetrics];
    if (!metric)
      throw new Error(
        `<Stat> unknown sql-pool trial metric "${q.metric}"; known: ${Object.keys(sqlTrialMetrics).join(', ')}.`,
      );
    if (run.length === 0) return null;
    if (!record) return noBuild(build);
    const trial = record.trials.find((t) => t.id === q.trial);
    // A reader's run with other --faults or --orderings: the page says which trial it lacks.
    return trial ? metric(trial) : lacking(`needs the ${q.trial} trial`);
  }
  const metric = sqlRunMetrics[q.metric as keyof typeof sqlRunMetrics];
  if (!metric) {
    const hint = q.metric in sqlTrialMetrics ? ` "${q.metric}" needs trial="fault/ordering".` : '';
    throw new Error(`<Stat> unknown sql-pool metric "${q.metric}"; known: ${sqlMetricNames.join(', ')}.${hint}`);
  }
  if (run.length === 0) return null;
  return record ? metric(record) : noBuild(build);
}
