// `--live` and `--replay`: the live page's side of a run. A live session is opened by the CLI before
// the scenario starts and fed as it runs; a replay feeds the same page from records on disk, at the
// recorded pace divided by --speed, and says everywhere that it is one (title, banner, terminal).
// Either way the server is in this process and closed before the CLI exits (server.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { compare, publishedDir } from '../compare/command.ts';
import { usageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { harnessInfo } from '../provenance.ts';
import { readRecords, type LoadedRecord } from '../record/read.ts';
import { latestCompleteRun } from '../record/runs.ts';
import type { RunRecord, S3LeakRecord, ScenarioName, SqlPoolRecord } from '../record/schema.ts';
import type { FlagValues } from '../scenario.ts';
import type { LiveCompare, LiveEvent, LiveUpdate } from './events.ts';
import { startLiveServer, type LiveServer } from './server.ts';

/**
 * The scenarios whose records `--replay` can play (replayS3, replaySql below); the site offers only
 * these on its WebContainer page. Part of the live page's known debt: it should come from the registry.
 */
export const REPLAYABLE: readonly ScenarioName[] = ['s3-leak', 'sql-pool'];

export interface LiveChoice {
  live: boolean;
  replay: string[] | null;
  speed: number;
}

const SPEED = { integer: false, min: 0.1, max: 10_000, unit: '× the recorded pace' } as const;

/** --live, --replay, --speed, checked together: a replay runs nothing, so run flags do not apply to it. */
export function liveChoice(values: FlagValues, scenarioFlags: readonly string[]): LiveChoice {
  const replay = (values.replay as string[] | undefined) ?? null;
  if (values.speed !== undefined && replay === null) throw usageError('--speed applies to --replay only');
  if (replay !== null) {
    const runFlags = ['bun', 'out', 'compare', ...scenarioFlags].filter((f) => values[f] !== undefined);
    if (runFlags.length > 0) throw usageError(`--replay plays a recorded run and runs nothing: --${runFlags[0]} does not apply`);
  }
  const speed = values.speed === undefined ? 1 : parseNumber('--speed', String(values.speed), SPEED);
  return { live: values.live === true || replay !== null, replay, speed };
}

/** The published run, for the faint backdrop (s3-leak) and the verdict. */
async function published(scenario: ScenarioName): Promise<LoadedRecord[]> {
  const dir = publishedDir(scenario);
  return existsSync(dir) ? readRecords([dir]) : [];
}

function hello(mode: 'live' | 'replay', scenario: ScenarioName, speed: number | null, reference: LoadedRecord[], except: string[]): LiveEvent {
  const run = latestCompleteRun(reference.filter((l) => !except.includes(l.record.runId)).map((l) => l.record), scenario);
  // Only the probe's samples are drawn behind: the outside samples would add most of the weight.
  const backdrop = scenario === 's3-leak' ? (run as S3LeakRecord[]).map((r) => ({ ...r, outsideSamples: [] })) : [];
  return { type: 'hello', mode, scenario, speed, reference: backdrop, referenceRunId: backdrop.length > 0 ? run[0]!.runId : null };
}

/** The compare verdict for the page, as `compare` would give it (a run is never compared with itself). */
async function verdictOf(yours: LoadedRecord[], reference: LoadedRecord[]): Promise<LiveCompare> {
  const harness = harnessInfo();
  const report = await compare({
    yours,
    reference: reference.filter((l) => !yours.some((y) => y.record.runId === l.record.runId)),
    harness: { version: harness.version, commit: harness.commit },
  });
  return {
    verdict: report.verdict,
    reference: report.reference.map((r) => r.runId).join(', ') || null,
    rows: report.rows.map(({ build, item, published: p, yours: y, verdict, rule }) => ({ build, item, published: p, yours: y, verdict, rule })),
    counts: report.counts,
  };
}

function endEvent(server: LiveServer, loaded: LoadedRecord[], status: 'complete' | 'interrupted' | 'failed', message: string, compared: LiveCompare | null): LiveEvent {
  const records = loaded.map((l) => ({ label: l.record.runtime.label, file: displayPath(l.file), href: server.addFile(l.file) }));
  return { type: 'end', status, message, records, compare: compared };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

// ---------------------------------------------------------------- live

export interface LiveSession {
  url: string;
  update(update: LiveUpdate): void;
  /** What the scenario journalled: the records so far, sent as what the page does not have yet. */
  journal(records: RunRecord[]): void;
  /** The run is over: its records are on disk. Publishes them, the verdict and the links. */
  finish(files: string[], status: 'complete' | 'interrupted' | 'failed', message: string): Promise<void>;
  close(): Promise<void>;
}

export async function openLiveSession(scenario: ScenarioName, runId: string, subject: string): Promise<LiveSession> {
  const reference = await published(scenario);
  const server = await startLiveServer({ mode: 'live', scenario, subject });
  server.publish(hello('live', scenario, null, reference, [runId]));
  const sentTrials: number[] = [];
  const journal = (records: RunRecord[]) =>
    records.forEach((record, index) => {
      if (record.scenario !== 'sql-pool') return server.publish({ type: 'record', index, record });
      if (sentTrials[index] === undefined) server.publish({ type: 'record', index, record: { ...record, trials: [] } });
      for (let position = sentTrials[index] ?? 0; position < record.trials.length; position++) {
        server.publish({ type: 'trial', index, position, trial: record.trials[position]!, done: true });
      }
      sentTrials[index] = record.trials.length;
    });
  return {
    url: server.url,
    update(u) {
      // A scenario that sends a build's record itself (sql-pool, before its first trial) has sent no trial yet.
      if (u.type === 'record' && u.record.scenario === 'sql-pool') sentTrials[u.index] = u.record.trials.length;
      server.publish(u);
    },
    journal,
    async finish(files, status, message) {
      const loaded = files.length > 0 ? await readRecords(files) : [];
      // The final records: s3-leak's add the outside samples and the verdict; sql-pool's, any trial not journalled yet.
      journal(loaded.map((l) => l.record));
      const compared = status === 'complete' && loaded.length > 0 ? await verdictOf(loaded, reference) : null;
      server.publish(endEvent(server, loaded, status, message, compared));
    },
    close: () => server.close(),
  };
}

/** After a finished run the page stays up (its links work) until Ctrl-C or SIGTERM. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(name);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

// ---------------------------------------------------------------- replay

/** Checks the files before anything starts: each must be a run record of this scenario. */
export async function loadReplay(scenario: ScenarioName, files: string[]): Promise<LoadedRecord[]> {
  if (!REPLAYABLE.includes(scenario)) throw usageError(`--replay: ${scenario} records cannot be replayed yet; the live page plays ${REPLAYABLE.join(', ')}`);
  const loaded = await readRecords(files);
  if (loaded.length === 0) throw usageError(`--replay: no records in ${files.join(', ')}`);
  for (const l of loaded) {
    if (l.record.scenario !== scenario) throw usageError(`--replay ${l.file}: a ${l.record.scenario} record, not ${scenario}`);
  }
  const runs = new Set(loaded.map((l) => l.record.runId));
  if (runs.size > 1) throw usageError(`--replay: records of ${runs.size} different runs (${[...runs].join(', ')}); replay one run at a time`);
  // In the order the run took the builds.
  const order = (r: RunRecord) => r.builds.findIndex((b) => b.revision === r.runtime.revision && b.source === r.runtime.source);
  return loaded.sort((a, b) => order(a.record) - order(b.record));
}

export async function replay(scenario: ScenarioName, loaded: LoadedRecord[], speed: number, signal: AbortSignal, log: (line: string) => void): Promise<{ server: LiveServer; finished: boolean }> {
  const reference = await published(scenario);
  const names = loaded.map((l) => path.basename(l.file)).join(', ');
  const server = await startLiveServer({ mode: 'replay', scenario, subject: `run ${loaded[0]!.record.runId} (${names}) at ${speed}×` });
  log(`REPLAY (not a new run) of ${names} at ${speed}×: ${server.url}`);
  server.publish(hello('replay', scenario, speed, reference, [loaded[0]!.record.runId]));
  // A clock on the recorded timeline: waits only once it runs ahead of the wall by a few ms, so
  // thousands of sub-millisecond gaps at a high speed do not each cost a timer's minimum delay.
  const start = performance.now();
  let recorded = 0;
  const sleep = async (ms: number) => {
    recorded += Math.max(0, ms) / speed;
    const ahead = start + recorded - performance.now();
    if (signal.aborted) throw signal.reason;
    if (ahead >= 4) await abortableSleep(ahead, signal);
  };
  try {
    if (scenario === 's3-leak') await replayS3(server, loaded.map((l) => l.record as S3LeakRecord), sleep);
    else await replaySql(server, loaded.map((l) => l.record as SqlPoolRecord), sleep);
  } catch (error) {
    if (!signal.aborted) {
      await server.close();
      throw error;
    }
  }
  if (signal.aborted) {
    server.publish(endEvent(server, loaded, 'interrupted', 'replay stopped (Ctrl-C)', null));
    return { server, finished: false };
  }
  const compared = await verdictOf(loaded, reference);
  server.publish(endEvent(server, loaded, 'complete', `replay of run ${loaded[0]!.record.runId} finished`, compared));
  log(`REPLAY finished: compare verdict ${compared.verdict.toUpperCase()} (published run: ${compared.reference ?? 'none'})`);
  return { server, finished: true };
}

/** Each build in turn, sample by sample at the recorded times; the full record (outside samples, verdict) at its end. */
async function replayS3(server: LiveServer, records: S3LeakRecord[], sleep: (ms: number) => Promise<void>) {
  for (const [index, record] of records.entries()) {
    const peak = record.samples[0]?.rss ?? 0;
    server.publish({ type: 'record', index, record: { ...record, status: 'partial', samples: [], outsideSamples: [], verdict: { ...record.verdict, peakRssBytes: peak } } });
    let t = record.samples[0]?.elapsedMs ?? 0;
    for (const sample of record.samples) {
      await sleep(sample.elapsedMs - t);
      t = sample.elapsedMs;
      server.publish({ type: 'sample', index, sample });
    }
    server.publish({ type: 'record', index, record });
  }
}

/** Trial by trial, each build in turn (as the run interleaved them), repetition by repetition at its recorded length. */
async function replaySql(server: LiveServer, records: SqlPoolRecord[], sleep: (ms: number) => Promise<void>) {
  const trials = Math.max(...records.map((r) => r.trials.length));
  records.forEach((record, index) => server.publish({ type: 'record', index, record: { ...record, status: 'partial', trials: [] } }));
  for (let t = 0; t < trials; t++) {
    for (const [index, record] of records.entries()) {
      const trial = record.trials[t];
      if (!trial) continue;
      for (let n = 1; n <= trial.repetitions.length; n++) {
        await sleep(trial.repetitions[n - 1]!.events.at(-1)?.t ?? 0);
        server.publish({ type: 'trial', index, position: t, trial: { ...trial, repetitions: trial.repetitions.slice(0, n) }, done: false });
      }
      server.publish({ type: 'trial', index, position: t, trial, done: true });
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
