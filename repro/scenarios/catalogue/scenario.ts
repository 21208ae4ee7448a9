// The catalogue: every failure of repro/failures/<id>/ as one scenario of the harness. A run measures
// one failure (`--failure <id>`, or `npm run repro -- <id>`) under each build: its services started
// once, its probe run `repetitions` times per build in a fresh working folder, each run's memory
// sampled from outside, the verdict given by the folder's own rule. One record per build. Its quick
// protocols, one per failure, are what the version matrix runs; they are found, never listed.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../../core/errors.ts';
import type { FailureDefinition } from '../../core/failure.ts';
import type { CatalogueRecord, CatalogueRun } from '../../core/record/schema.ts';
import { formatTable, seconds } from '../../core/table.ts';
import { numberFlag } from '../../harness/flags.ts';
import { forEachLine, hermeticEnv, spawnTracked, type TrackedProcess } from '../../harness/processes.ts';
import { recordBase } from '../../harness/provenance.ts';
import type { Scenario } from '../../harness/scenario.ts';
import { startPostgres, type Postgres } from '../../harness/services/postgres.ts';
import { makeTempDir, removeTempDir } from '../../harness/temp.ts';
import { catalogueCompareRules } from './compare.ts';
import { discoverFailures, FAILURES_DIR } from '../../harness/failures.ts';
import { probeEnv, runProbe } from './run-probe.ts';
import { catalogueVerdict } from './verdict.ts';

export interface CatalogueOptions {
  failure: FailureDefinition;
  repetitions: number;
}

/** The catalogue scenario, over the failures found in repro/failures/. */
export async function catalogueScenario(): Promise<Scenario<CatalogueOptions, CatalogueRecord, CatalogueRun>> {
  const failures = await discoverFailures();
  const ids = failures.map((f) => f.id);
  return {
    name: 'catalogue',
    summary: `one failure of the catalogue (repro/failures/): its probe under each build, its folder's verdict rule${ids.length ? `; failures: ${ids.join(', ')}` : ''}`,
    flags: {
      failure: {
        type: 'string',
        placeholder: 'id',
        help: `the failure to measure (a folder of repro/failures/): ${ids.join(', ') || 'none in this copy'}`,
      },
      repetitions: {
        type: 'string',
        placeholder: 'n',
        help: "runs of the probe per build (default: the failure's own)",
      },
    },
    envInputs: [],
    quick: failures.map((f) => ({
      name: f.id,
      flags: ['--failure', f.id],
      summary: `${f.title}: ${f.repetitions} run${f.repetitions === 1 ? '' : 's'} per build`,
      root: false,
    })),
    soak: {
      flags: ['--failure', ids[0] ?? 'none'],
      // A build's last line: "<status>: <text>", after its record is journalled.
      measuredLine: /(?:affected|not-affected|inconclusive): /,
      journalsBetweenBuilds: true,
    },
    failureOf: (options) => options.failure.id,
    parseOptions(values) {
      const id = values.failure;
      if (typeof id !== 'string')
        throw usageError(`--failure: name the failure to measure: ${ids.join(', ') || 'there is none in this copy'}`);
      const failure = failures.find((f) => f.id === id);
      if (!failure)
        throw usageError(`--failure ${id}: no such failure; known: ${ids.join(', ') || 'none in this copy'}`);
      return {
        failure,
        repetitions: numberFlag(values, 'repetitions', failure.repetitions, { integer: true, min: 1, max: 100 }),
      };
    },

    async run({ options, builds, provenance, signal, progress, notice, journal }) {
      const { failure, repetitions } = options;
      const services = await startServices(failure, notice);
      const workRoot = await makeTempDir('catalogue');
      const records: CatalogueRecord[] = [];
      const toRecord = (
        build: (typeof builds)[number],
        runs: CatalogueRun[],
        status: CatalogueRecord['status'],
      ): CatalogueRecord => ({
        ...recordBase(provenance, build.runtime, { endedAt: new Date(), status }),
        scenario: 'catalogue',
        failure: failure.id,
        parameters: {
          probe: { ...failure.parameters },
          timeoutMs: failure.timeoutMs,
          repetitions,
          services: [...failure.services],
        },
        runs,
        verdict: catalogueVerdict(failure, runs),
      });
      try {
        for (const build of builds) {
          if (signal.aborted) break;
          const line = progress(build);
          const runs: CatalogueRun[] = [];
          for (let index = 0; index < repetitions && !signal.aborted; index++) {
            line.update(`${failure.id} run ${index + 1}/${repetitions}`);
            const workDir = await mkdtemp(path.join(workRoot, 'run-'));
            runs.push(await runProbe(failure, build, index, probeEnv(failure, services.env, workDir), signal));
          }
          const record = toRecord(build, runs, signal.aborted ? 'interrupted' : 'complete');
          records.push(record);
          line.done(`${record.verdict.status}: ${record.verdict.text}`);
          if (!signal.aborted && records.length < builds.length)
            await journal(records.map((r) => ({ ...r, status: 'partial' as const })));
        }
      } finally {
        await removeTempDir(workRoot);
        await services.stop();
      }
      return records;
    },

    summaryTable(records) {
      const rows = records.map((r) => [
        r.runtime.label,
        r.verdict.status,
        r.verdict.text,
        seconds(r.runs.reduce((ms, run) => ms + run.wallMs, 0)),
      ]);
      const rule = failures.find((f) => f.id === records[0]?.failure)?.verdict.rule ?? '';
      return `${formatTable(['build', 'status', 'what the runs measured', 'probe time'], rows)}${rule ? `\n(${rule})` : ''}`;
    },

    failures(records) {
      return records.flatMap((r) =>
        r.runs
          .filter((run) => run.outcome === 'error')
          .map((run) => `${r.runtime.label} run ${run.index + 1}: ${run.message}`),
      );
    },

    compareRules: catalogueCompareRules(failures),

    matrixLine: (record) => `${record.failure}: ${record.verdict.status} (${record.verdict.text})`,

    live: {
      reference: () => [],
      // The records as they were written: a catalogue run has no updates between a build's start and end.
      async replay(records, send, sleep) {
        for (const [index, record] of records.entries()) {
          await sleep(record.runs.reduce((ms, run) => ms + run.wallMs, 0));
          send({ type: 'record', index, record });
        }
      },
    },
  };
}

interface Services {
  /** What the probe is told of them: DATABASE_URL, SERVER_URL. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The failure's services, for the whole run: the embedded PostgreSQL, and the folder's own server.ts. */
async function startServices(failure: FailureDefinition, notice: (line: string) => void): Promise<Services> {
  const env: Record<string, string> = {};
  let postgres: Postgres | null = null;
  let server: TrackedProcess | null = null;
  try {
    if (failure.services.includes('postgres')) {
      postgres = await startPostgres({ databaseUrl: null, port: null, idleSessionTimeoutMs: 2000, notice });
      notice(`PostgreSQL ${postgres.version}: ${postgres.kind} at ${postgres.host}:${postgres.port}`);
      env.DATABASE_URL = postgres.url('app', postgres.host, postgres.port);
    }
    if (failure.services.includes('server')) {
      server = await spawnTracked(process.execPath, [path.join(FAILURES_DIR, failure.id, 'server.ts')], {
        env: hermeticEnv({}),
      });
      env.SERVER_URL = await serverAddress(server);
      notice(`${failure.id}/server.ts at ${env.SERVER_URL}`);
    }
  } catch (error) {
    await server?.stop();
    await postgres?.stop();
    throw error;
  }
  return {
    env,
    async stop() {
      await server?.stop();
      await postgres?.stop();
    },
  };
}

/** The folder's server prints `{"port":N}` once it listens on 127.0.0.1. */
function serverAddress(server: TrackedProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server.ts did not say its port within 10 s: ${server.stderrTail().trim()}`)),
      10_000,
    );
    void server.exited.then(() => reject(new Error(`server.ts exited: ${server.stderrTail().trim()}`)));
    void forEachLine(server.child.stdout!, (text) => {
      let port: unknown;
      try {
        port = (JSON.parse(text) as { port?: unknown } | null)?.port;
      } catch {
        return; // not its port line
      }
      if (typeof port === 'number') {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    });
  });
}
