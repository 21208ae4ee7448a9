// The measured values prose may quote, through <Stat>, read from the latest recorded run. Each
// metric is a function of the record, so no number measured by us is typed into an article.
import { SqlOutcome, type RunRecord, type S3LeakRecord, type SqlPoolRecord, type SqlRepetition, type SqlTrial } from '../../repro/harness/record/schema.ts';
import { buildsDiffer, distributionText } from '../../repro/harness/record/sql-outcomes.ts';
import { formatP } from '../../repro/harness/stats.ts';
import { bytesToMiB, formatInt, formatMs } from './format.ts';
import { latestRun, recordForLine } from './runs.ts';

export const s3Metrics = {
  verdict: (r: S3LeakRecord) => s3VerdictText(r),
  iterations: (r: S3LeakRecord) => formatInt(r.verdict.iteration),
  thresholdIteration: (r: S3LeakRecord) => {
    const crossed = r.samples.find((s) => bytesToMiB(s.rss) >= r.parameters.targetRssMiB);
    return crossed ? formatInt(crossed.iteration) : 'not reached';
  },
  baselineRssMiB: (r: S3LeakRecord) => `${bytesToMiB(r.verdict.baselineRssBytes).toFixed(1)} MiB`,
  peakRssMiB: (r: S3LeakRecord) => `${bytesToMiB(r.verdict.peakRssBytes).toFixed(1)} MiB`,
  growthMiBPerIteration: (r: S3LeakRecord) => `${fixed(r.verdict.growthMiBPerIteration, 2)} MiB per iteration`,
  wallSeconds: (r: S3LeakRecord) => `${(r.verdict.wallMs / 1000).toFixed(1)} s`,
  version: (r: S3LeakRecord) => r.runtime.revision,
  payloadMiB: (r: S3LeakRecord) => `${formatInt(r.parameters.payloadMiB)} MiB`,
  targetRssMiB: (r: S3LeakRecord) => `${formatInt(r.parameters.targetRssMiB)} MiB`,
  maxIterations: (r: S3LeakRecord) => formatInt(r.parameters.maxIterations),
  memoryCap: (r: S3LeakRecord) => memoryCapText(r),
} as const;

/** toFixed without the "-0.00" a slope of -0.001 would print. */
export function fixed(n: number, digits: number): string {
  const s = n.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

const s3VerdictWords: Record<S3LeakRecord['verdict']['kind'], string> = {
  'threshold-crossed': 'crossed the RSS threshold',
  'oom-killed': 'was killed at the memory cap',
  bounded: 'stayed bounded',
  interrupted: 'was interrupted',
  error: 'failed with an error',
};

export function s3VerdictText(r: S3LeakRecord): string {
  return s3VerdictWords[r.verdict.kind];
}

const capWords: Record<S3LeakRecord['parameters']['memoryCap']['kind'], string> = {
  'kernel-cgroup': 'a kernel cgroup limit',
  container: 'the container memory limit',
  watchdog: 'the harness watchdog',
  none: 'no cap',
};

function memoryCapText(r: S3LeakRecord): string {
  const { kind } = r.parameters.memoryCap;
  return kind === 'none' ? capWords.none : `${formatInt(r.parameters.memoryCapMiB)} MiB (${capWords[kind]})`;
}

export const sqlTrialMetrics = {
  /** "corrupted 9/10 (60–98 %), recovers 1 · 2 not met". */
  verdict: (t: SqlTrial) => sqlVerdictText(t),
  /** The median latency of the first operation over the counted repetitions. */
  firstLatencyMs: (t: SqlTrial) => {
    const firsts = counted(t).flatMap((rep) => rep.operations.filter((o) => o.op === 'first'));
    if (firsts.length === 0) return 'not measured';
    const median = medianOf(firsts.map((o) => o.latencyMs));
    return firsts.every((o) => o.outcome === 'hang') ? `≥ ${formatMs(median)} (watchdog)` : formatMs(median);
  },
  /**
   * The error the first operation most often failed with, over the counted repetitions:
   * "“connection must be a PostgresSQLConnection” in 7 of 10"; "no error" when it never failed.
   */
  firstError: (t: SqlTrial) => {
    const reps = counted(t);
    const errors = reps.flatMap((rep) => rep.operations.filter((o) => o.op === 'first' && o.outcome === 'error').map((o) => o.message ?? o.code ?? 'an error'));
    if (errors.length === 0) return 'no error';
    const tally = new Map<string, number>();
    for (const e of errors) tally.set(e, (tally.get(e) ?? 0) + 1);
    const [message, n] = [...tally].sort((a, b) => b[1] - a[1])[0]!;
    return `“${message}” in ${formatInt(n)} of ${formatInt(reps.length)}`;
  },
  /** "10 of 14 attempts": how many attempts met the trial's condition. */
  conditionMet: (t: SqlTrial) => `${formatInt(counted(t).length)} of ${formatInt(counted(t).length + t.verdict.notMet)} attempts`,
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

const counted = (t: SqlTrial) => t.repetitions.filter((rep) => (SqlOutcome.options as readonly string[]).includes(rep.verdict));

/** The timer fired before the first onclose after the resume, on Bun's clock (or no close came at all). */
export function timerFiredBeforeClose(rep: SqlRepetition): boolean {
  const bunT = (e: SqlRepetition['events'][number] | undefined) => (typeof e?.detail?.bunT === 'number' ? e.detail.bunT : undefined);
  const resumed = rep.events.find((e) => e.event === 'resumed');
  const gap = typeof resumed?.detail?.gapMs === 'number' ? resumed.detail.gapMs : 0;
  const resumeAt = (bunT(resumed) ?? 0) - gap;
  const fired = bunT(rep.events.find((e) => e.event === 'timer_fired'));
  const firstClose = rep.events.filter((e) => e.event === 'onclose').map(bunT).find((t) => t !== undefined && t >= resumeAt);
  return fired !== undefined && (firstClose === undefined || fired <= firstClose);
}

/** Whether the two builds differ on a trial: a run-level metric, read without `build`. */
export function sqlDifferenceText(run: readonly SqlPoolRecord[], trialId: string): string | null {
  const [zig, rust] = [recordForLine(run, 'zig'), recordForLine(run, 'rust')].map((r) => r?.trials.find((t) => t.id === trialId));
  if (!zig || !rust) return null;
  const d = buildsDiffer(zig, rust);
  if (d.verdict === 'cannot-tell') return 'too few repetitions to tell';
  return d.verdict === 'different' ? `different (Fisher's exact test, ${formatP(d.p!)})` : `not shown to differ (Fisher's exact test, ${formatP(d.p!)})`;
}

export const sqlRunMetrics = {
  version: (r: SqlPoolRecord) => r.runtime.revision,
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
  wallMinutes: (r: SqlPoolRecord) => `${formatInt(Math.round((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 60_000))} minutes`,
} as const;

/** "hangs 10/10 (72–100 %)": the distribution of a trial's counted outcomes, or why it has none. */
export function sqlVerdictText(t: SqlTrial): string {
  const { kind, counts, notMet } = t.verdict;
  if (kind === 'skipped' || kind === 'interrupted') return kind;
  return distributionText(counts, notMet);
}

export function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface StatQuery {
  scenario: 's3-leak' | 'sql-pool';
  /** Which build's value; not for `difference`, which compares them. */
  build?: 'zig' | 'rust';
  metric: string;
  trial?: string;
}

/** Every metric name <Stat> accepts, per scenario, for error messages and tests. */
export const statMetricNames = {
  's3-leak': Object.keys(s3Metrics),
  'sql-pool': [...Object.keys(sqlTrialMetrics).map((m) => `${m} (with trial)`), 'difference (with trial, no build)', 'differingTrials (no build)', ...Object.keys(sqlRunMetrics)],
};

/** "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The formatted value, or null when the scenario has no recorded run (or lacks that build or
 * trial) yet. Misuse (unknown metric, missing trial) throws: that is an authoring error.
 */
export function statValue(all: readonly RunRecord[], q: StatQuery): string | null {
  if (q.scenario === 'sql-pool' && q.metric === 'difference') {
    if (q.trial === undefined || q.build !== undefined) throw new Error('<Stat metric="difference"> takes a trial and no build: it compares the builds.');
    return sqlDifferenceText(latestRun(all, 'sql-pool'), q.trial);
  }
  if (q.scenario === 'sql-pool' && q.metric === 'differingTrials') {
    if (q.trial !== undefined || q.build !== undefined) throw new Error('<Stat metric="differingTrials"> takes no trial and no build: it lists the trials.');
    const run = latestRun(all, 'sql-pool');
    if (run.length === 0) return null;
    const ids = [...new Set(run.flatMap((r) => r.trials.map((t) => t.id)))].filter((id) => sqlDifferenceText(run, id)?.startsWith('different'));
    return ids.length === 0 ? 'no trial' : listOf(ids.map((id) => `${id}`));
  }
  if (q.build !== 'zig' && q.build !== 'rust') throw new Error(`<Stat> build must be "zig" or "rust", got "${q.build}".`);
  if (q.scenario === 's3-leak') {
    const metric = s3Metrics[q.metric as keyof typeof s3Metrics];
    if (!metric) throw new Error(`<Stat> unknown s3-leak metric "${q.metric}"; known: ${statMetricNames['s3-leak'].join(', ')}.`);
    const record = recordForLine(latestRun(all, 's3-leak'), q.build);
    return record ? metric(record) : null;
  }
  if (q.scenario === 'sql-pool') {
    const record = recordForLine(latestRun(all, 'sql-pool'), q.build);
    if (q.trial !== undefined) {
      const metric = sqlTrialMetrics[q.metric as keyof typeof sqlTrialMetrics];
      if (!metric) throw new Error(`<Stat> unknown sql-pool trial metric "${q.metric}"; known: ${Object.keys(sqlTrialMetrics).join(', ')}.`);
      const trial = record?.trials.find((t) => t.id === q.trial);
      return trial ? metric(trial) : null;
    }
    const metric = sqlRunMetrics[q.metric as keyof typeof sqlRunMetrics];
    if (!metric) {
      const hint = q.metric in sqlTrialMetrics ? ` "${q.metric}" needs trial="fault/ordering".` : '';
      throw new Error(`<Stat> unknown sql-pool metric "${q.metric}"; known: ${statMetricNames['sql-pool'].join(', ')}.${hint}`);
    }
    return record ? metric(record) : null;
  }
  throw new Error(`<Stat> unknown scenario "${(q as StatQuery).scenario}"; known: s3-leak, sql-pool.`);
}
