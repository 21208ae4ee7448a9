// The sql-pool scenario: Bun.SQL's pool after a scale-to-zero style pause (SIGSTOP … SIGCONT) with
// the connections broken in each way a resume can find them, on real PostgreSQL, for each build.
// Trials are interleaved (each trial runs for every build before the next) so that both builds
// meet the machine in the same state; one record per build.
import { recordBase } from '../../harness/provenance.ts';
import type { SqlPoolRecord, SqlRepetition, SqlTrial } from '../../harness/record/schema.ts';
import type { Scenario } from '../../harness/scenario.ts';
import { startPostgres } from '../../harness/services/postgres.ts';
import { faults } from './faults.ts';
import { openKernelNetwork, type KernelNetwork } from './kernel-blackhole.ts';
import { proxyPath } from './network.ts';
import { FLAGS, parseOptions, type SqlPoolOptions } from './parameters.ts';
import { runRepetition } from './repetition.ts';
import { verdictTable } from './table.ts';
import { classifyTrial, skippedTrial } from './verdict.ts';
import { planTrials } from './plan.ts';

export const sqlPool: Scenario<SqlPoolOptions, SqlPoolRecord> = {
  name: 'sql-pool',
  summary: 'Bun.SQL pool after a scale-to-zero pause: every resume fault × ordering, verdict per build',
  flags: FLAGS,
  parseOptions: (values) => parseOptions(values),

  async run({ options, builds, provenance, signal, progress, notice }) {
    const postgres = await startPostgres({
      databaseUrl: options.databaseUrl,
      port: options.pgPort,
      idleSessionTimeoutMs: options.idleSessionTimeoutMs,
    });
    notice(`PostgreSQL ${postgres.version}: ${postgres.kind} at ${postgres.host}:${postgres.port}`);
    const plan = planTrials(options);
    let kernel: KernelNetwork | null = null;
    const trials = new Map(builds.map((b) => [b, [] as SqlTrial[]]));
    let interrupted = false;

    try {
      if (plan.some((t) => faults[t.fault].network === 'kernel')) {
        kernel = await openKernelNetwork(postgres);
        if (!kernel.available) notice(`kernel-blackhole skipped: ${kernel.reason}`);
      }
      for (const trial of plan) {
        for (const build of builds) {
          if (signal.aborted) break;
          const line = progress(build);
          const fault = faults[trial.fault];
          const base = { id: trial.id, fault: trial.fault, ordering: trial.ordering, pauseMs: trial.pauseMs };
          if (fault.network === 'kernel' && !kernel?.available) {
            const reason = kernel?.available === false ? kernel.reason : 'not available';
            trials.get(build)!.push({ ...base, repetitions: [], verdict: skippedTrial(reason) });
            line.done(`${trial.id.padEnd(28)} skipped: ${reason}`);
            continue;
          }
          const repetitions: SqlRepetition[] = [];
          for (let index = 0; index < trial.repetitions && !signal.aborted; index++) {
            line.update(`${trial.id} ${index + 1}/${trial.repetitions}`);
            const result = await runRepetition({
              build,
              postgres,
              fault,
              ordering: trial.ordering,
              pauseMs: trial.pauseMs,
              pool: options.pool,
              firstWatchdogMs: options.firstWatchdogMs,
              followUpWatchdogMs: options.followUpWatchdogMs,
              index,
              openPath: (log) =>
                fault.network === 'kernel' && kernel?.available
                  ? kernel.openPath(log)
                  : proxyPath(postgres, (e) => log.add('proxy', e.event, e.detail)),
              signal,
            });
            if (result.failure !== null) result.repetition.failure = result.failure;
            repetitions.push(result.repetition);
            if (result.interrupted) interrupted = true;
          }
          const verdict = classifyTrial(repetitions);
          trials.get(build)!.push({ ...base, repetitions, verdict });
          line.done(`${trial.id.padEnd(28)} ${verdict.message}`);
        }
      }
    } finally {
      if (kernel?.available) await kernel.close();
      await postgres.stop();
    }
    interrupted ||= signal.aborted;

    const endedAt = new Date();
    return builds.map((build) => ({
      ...recordBase(provenance, build.runtime, { endedAt, interrupted }),
      scenario: 'sql-pool' as const,
      parameters: {
        pool: options.pool,
        repetitions: options.repetitions,
        firstWatchdogMs: options.firstWatchdogMs,
        followUpWatchdogMs: options.followUpWatchdogMs,
        postgres: { kind: postgres.kind, version: postgres.version },
      },
      trials: trials.get(build)!,
    }));
  },

  summaryTable: verdictTable,

  failures(records) {
    return records.flatMap((r) =>
      r.trials.flatMap((t) =>
        t.repetitions.filter((rep) => rep.failure !== undefined).map((rep) => `${r.runtime.label} ${t.id} #${rep.index + 1}: ${rep.failure}`),
      ),
    );
  },
};
