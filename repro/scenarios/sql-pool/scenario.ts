// The sql-pool scenario: Bun.SQL's pool after a scale-to-zero style pause (SIGSTOP … SIGCONT) with
// the connections broken in each way a resume can find them, on real PostgreSQL, for each build.
// Trials are interleaved (each trial runs for every build before the next) so that both builds
// meet the machine in the same state; one record per build, journalled after every trial.
//
// A repetition counts only when its checks say the condition held (checks.ts); one that did not is
// kept in the record, marked, and retried, up to maxAttemptsFactor × the repetitions wanted.
import type { Build } from '../../harness/builds.ts';
import { recordBase, type Provenance } from '../../harness/provenance.ts';
import type { RunStatus, SqlPlannedTrial, SqlPoolRecord, SqlRepetition, SqlTrial } from '../../core/record/schema.ts';
import type { Scenario } from '../../harness/scenario.ts';
import { startPostgres, type Postgres } from '../../harness/services/postgres.ts';
import { sqlCompareRules } from './compare.ts';
import { faults } from './faults.ts';
import { openKernelNetwork, type KernelNetwork } from './kernel-blackhole.ts';
import { sqlPoolLive, type SqlPoolLiveUpdate } from './live.ts';
import { proxyPath } from './network.ts';
import { FLAGS, parseOptions, type SqlPoolOptions } from './parameters.ts';
import { planTrials } from './plan.ts';
import { runRepetition } from './repetition.ts';
import { verdictTable } from './table.ts';
import { classifyTrial, isOutcome, skippedTrial } from './verdict.ts';

export const sqlPool: Scenario<SqlPoolOptions, SqlPoolRecord, SqlPoolLiveUpdate> = {
  name: 'sql-pool',
  summary: 'Bun.SQL pool after a scale-to-zero pause: every resume fault × ordering, verdict per build',
  flags: FLAGS,
  envInputs: ['DATABASE_URL'],
  quick: [
    {
      // The two faults on which the published run separates the builds (lazy-rst: begin() hangs;
      // cold-start: a corrupted pool, oven-sh/bun#30947), each outcome 10/10 there. Five counted
      // repetitions per ordering let Fisher's test tell two opposite builds apart (p = 0.008).
      name: 'pool-faults',
      flags: ['--faults', 'lazy-rst,cold-start', '--repetitions', '5'],
      summary: 'lazy-rst and cold-start, both orderings, 5 counted repetitions each',
      root: false,
    },
    {
      // A silent network loss: the kernel drops every packet of the pooled connections for a 90 s
      // pause, long enough for a keepalive (where the build sets one) to close them meanwhile. Its
      // outcome follows from the sockets' options and the kernel's timers, not from a race, and each
      // repetition records both; four counted repetitions, as in the published run, let Fisher's
      // test tell two opposite builds apart (p = 0.029).
      name: 'silent-loss',
      flags: ['--long-pause-only', '--long-pause-repetitions', '4'],
      summary: 'the kernel blackhole with a 90 s pause, first query 1 s after the resume, 4 counted repetitions (root)',
      root: true,
    },
  ],
  soak: {
    flags: ['--faults', 'terminate', '--orderings', 'after', '--repetitions', '1'],
    // A finished trial: "<fault>/<ordering>  <verdict>"; the trials of the builds interleave.
    measuredLine: /[a-z-]+\/[a-z]+\s{2,}\S/,
    journalsBetweenBuilds: false,
  },
  parseOptions: (values) => parseOptions(values),

  async run({ options, builds, provenance, signal, progress, notice, journal, live }) {
    const postgres = await startPostgres({
      databaseUrl: options.databaseUrl,
      port: options.pgPort,
      idleSessionTimeoutMs: options.idleSessionTimeoutMs,
      notice,
    });
    notice(`PostgreSQL ${postgres.version}: ${postgres.kind} at ${postgres.host}:${postgres.port}`);
    const plan = planTrials(options);
    let kernel: KernelNetwork | null = null;
    const trials = new Map(builds.map((b) => [b, [] as SqlTrial[]]));
    const records = (status: RunStatus) =>
      builds.map((build) => toRecord(provenance, build, options, postgres, trials.get(build)!, status));
    // The live page gets each build's record, with no trial yet; then the trials as they go.
    if (live) records('partial').forEach((record, index) => live({ type: 'record', index, record }));

    try {
      if (plan.some((t) => faults[t.fault].network === 'kernel')) {
        kernel = await openKernelNetwork(postgres);
        if (!kernel.available) notice(`kernel-blackhole skipped: ${kernel.reason}`);
      }
      for (const trial of plan) {
        for (const build of builds) {
          if (signal.aborted) break;
          // The live page follows the trial repetition by repetition (its timeline moves).
          const index = builds.indexOf(build);
          const position = trials.get(build)!.length;
          const onRepetition =
            live && ((t: SqlTrial) => live({ type: 'update', index, payload: { position, trial: t, done: false } }));
          const done = await runTrial({
            trial,
            build,
            options,
            postgres,
            kernel,
            signal,
            progress: progress(build),
            onRepetition,
          });
          trials.get(build)!.push(done);
          live?.({ type: 'update', index, payload: { position, trial: done, done: true } });
        }
        if (signal.aborted) break;
        await journal(records('partial'));
      }
    } finally {
      if (kernel?.available) await kernel.close();
      await postgres.stop();
    }
    return records(signal.aborted ? 'interrupted' : 'complete');
  },

  summaryTable: verdictTable,

  failures(records) {
    return records.flatMap((r) =>
      r.trials.flatMap((t) =>
        t.repetitions
          .filter((rep) => rep.failure !== undefined)
          .map((rep) => `${r.runtime.label} ${t.id} #${rep.index + 1}: ${rep.failure}`),
      ),
    );
  },

  compareRules: sqlCompareRules,

  matrixLine: (record) => record.trials.map((t) => `${t.fault}/${t.ordering}: ${t.verdict.kind}`).join('; '),

  live: sqlPoolLive,
};

interface TrialRun {
  trial: SqlPlannedTrial;
  build: Build;
  options: SqlPoolOptions;
  postgres: Postgres;
  kernel: KernelNetwork | null;
  signal: AbortSignal;
  progress: ReturnType<Parameters<Scenario['run']>[0]['progress']>;
  /** The trial so far, after each repetition (--live). */
  onRepetition?: (trial: SqlTrial) => void;
}

/** Repetitions until `trial.wanted` have met their condition, or the attempts run out. */
async function runTrial({
  trial,
  build,
  options,
  postgres,
  kernel,
  signal,
  progress,
  onRepetition,
}: TrialRun): Promise<SqlTrial> {
  const fault = faults[trial.fault];
  const base = {
    id: trial.id,
    fault: trial.fault,
    ordering: trial.ordering,
    pauseMs: trial.pauseMs,
    wanted: trial.wanted,
  };
  if (fault.network === 'kernel' && !kernel?.available) {
    const reason = kernel?.available === false ? kernel.reason : 'not available';
    progress.done(`${trial.id.padEnd(28)} skipped: ${reason}`);
    return { ...base, repetitions: [], verdict: skippedTrial(reason) };
  }
  const repetitions: SqlRepetition[] = [];
  const maxAttempts = trial.wanted * options.maxAttemptsFactor;
  let counted = 0;
  for (let index = 0; counted < trial.wanted && index < maxAttempts && !signal.aborted; index++) {
    const notMet = index - counted;
    progress.update(`${trial.id} ${counted + 1}/${trial.wanted}${notMet ? ` (${notMet} not met)` : ''}`);
    const { repetition } = await runRepetition({
      build,
      postgres,
      fault,
      ordering: trial.ordering,
      pauseMs: trial.pauseMs,
      pool: options.pool,
      timing: options.timing,
      firstWatchdogMs: options.firstWatchdogMs,
      followUpWatchdogMs: options.followUpWatchdogMs,
      index,
      openPath: (log) =>
        fault.network === 'kernel' && kernel?.available
          ? kernel.openPath(log)
          : proxyPath(postgres, (e) => log.add('proxy', e.event, e.detail)),
      signal,
    });
    repetitions.push(repetition);
    if (isOutcome(repetition.verdict)) counted++;
    onRepetition?.({ ...base, repetitions: [...repetitions], verdict: classifyTrial(repetitions) });
    // A harness failure will not mend itself by retrying.
    if (repetition.verdict === 'skipped') break;
  }
  const verdict = classifyTrial(repetitions);
  progress.done(`${trial.id.padEnd(28)} ${verdict.message}`);
  return { ...base, repetitions, verdict };
}

function toRecord(
  p: Provenance,
  build: Build,
  options: SqlPoolOptions,
  postgres: Postgres,
  trials: SqlTrial[],
  status: RunStatus,
): SqlPoolRecord {
  return {
    ...recordBase(p, build.runtime, { endedAt: new Date(), status }),
    scenario: 'sql-pool',
    parameters: {
      pool: options.pool,
      repetitions: options.repetitions,
      longPauseRepetitions: options.longPauseRepetitions,
      maxAttemptsFactor: options.maxAttemptsFactor,
      firstWatchdogMs: options.firstWatchdogMs,
      followUpWatchdogMs: options.followUpWatchdogMs,
      ...options.timing,
      postgres: { kind: postgres.kind, version: postgres.version },
      plan: planTrials(options),
    },
    trials: [...trials],
  };
}
