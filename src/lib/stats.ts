// The measured values prose may quote, through <Stat>, read from the latest recorded run. Each
// metric is a function of the record, so no number measured by us is typed into an article.
import type { RunRecord, S3LeakRecord, SqlPoolRecord, SqlTrial } from '../../repro/harness/record/schema.ts';
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
  verdict: (t: SqlTrial) => sqlVerdictText(t),
  firstLatencyMs: (t: SqlTrial) => {
    const firsts = t.repetitions.flatMap((rep) => rep.operations.filter((o) => o.op === 'first'));
    if (firsts.length === 0) return 'not measured';
    const median = medianOf(firsts.map((o) => o.latencyMs));
    return firsts.every((o) => o.outcome === 'hang') ? `≥ ${formatMs(median)} (watchdog)` : formatMs(median);
  },
} as const;

export const sqlRunMetrics = {
  version: (r: SqlPoolRecord) => r.runtime.revision,
  repetitions: (r: SqlPoolRecord) => formatInt(r.parameters.repetitions),
  pauseMs: (r: SqlPoolRecord) => {
    const pauses = [...new Set(r.trials.map((t) => t.pauseMs))];
    return pauses.map(formatMs).join(' / ') || 'not measured';
  },
  trials: (r: SqlPoolRecord) => formatInt(r.trials.length),
} as const;

/** "hangs 3/3": the trial's verdict and how many repetitions reached it. */
export function sqlVerdictText(t: SqlTrial): string {
  return `${t.verdict.kind} ${t.verdict.counts[t.verdict.kind] ?? 0}/${t.repetitions.length}`;
}

export function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface StatQuery {
  scenario: 's3-leak' | 'sql-pool';
  build: 'zig' | 'rust';
  metric: string;
  trial?: string;
}

/** Every metric name <Stat> accepts, per scenario, for error messages and tests. */
export const statMetricNames = {
  's3-leak': Object.keys(s3Metrics),
  'sql-pool': [...Object.keys(sqlTrialMetrics).map((m) => `${m} (with trial)`), ...Object.keys(sqlRunMetrics)],
};

/**
 * The formatted value, or null when the scenario has no recorded run (or lacks that build or
 * trial) yet. Misuse (unknown metric, missing trial) throws: that is an authoring error.
 */
export function statValue(all: readonly RunRecord[], q: StatQuery): string | null {
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
