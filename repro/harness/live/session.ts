// `--live` and `--replay`: the live page's side of a run. A live session is opened by the CLI before
// the scenario starts and fed as it runs; a replay feeds the same page from records on disk, at the
// recorded pace divided by --speed, and says everywhere that it is one (title, banner, terminal).
// Either way the server is in this process and closed before the CLI exits (server.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { compare, publishedDir } from '../compare/command.ts';
import { oneLine, usageError } from '../../core/errors.ts';
import { parseNumber } from '../flags.ts';
import { harnessInfo } from '../provenance.ts';
import type { LoadedRecord } from '../../core/record/parse.ts';
import { readRecords } from '../record/read.ts';
import { latestCompleteRun } from '../../core/record/runs.ts';
import type { RunRecord, ScenarioName } from '../../core/record/schema.ts';
import type { FlagValues, Scenario } from '../scenario.ts';
import { embedderOrigin, LIVE_EMBEDDER_ENV } from './embed.ts';
import type { LiveCompare, LiveEvent, LiveUpdate } from './events.ts';
import { startLiveServer, type LiveServer } from './server.ts';

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
    if (runFlags.length > 0)
      throw usageError(`--replay plays a recorded run and runs nothing: --${runFlags[0]} does not apply`);
  }
  const speed = values.speed === undefined ? 1 : parseNumber('--speed', String(values.speed), SPEED);
  const live = values.live === true || replay !== null;
  // The page's server reads it when it starts, after --out is made and the builds hashed: checked now.
  if (live) {
    try {
      embedderOrigin(process.env[LIVE_EMBEDDER_ENV]);
    } catch (error) {
      throw usageError(oneLine(error));
    }
  }
  return { live, replay, speed };
}

// Any scenario: the session passes its updates through and asks it only for its reference and replay.
type AnyScenario = Pick<Scenario, 'name' | 'live'>;

/** The published run, for the faint backdrop and the verdict. */
async function published(scenario: ScenarioName): Promise<LoadedRecord[]> {
  const dir = publishedDir(scenario);
  return existsSync(dir) ? readRecords([dir]) : [];
}

function hello(
  mode: 'live' | 'replay',
  scenario: AnyScenario,
  speed: number | null,
  reference: LoadedRecord[],
  except: string[],
): LiveEvent {
  const run = latestCompleteRun(
    reference.filter((l) => !except.includes(l.record.runId)).map((l) => l.record),
    scenario.name,
  );
  const backdrop = run.length > 0 ? scenario.live.reference(run) : [];
  return {
    type: 'hello',
    mode,
    scenario: scenario.name,
    speed,
    reference: backdrop,
    referenceRunId: backdrop.length > 0 ? run[0]!.runId : null,
  };
}

/** The compare verdict for the page, as `compare` would give it (a run is never compared with itself). */
async function verdictOf(yours: LoadedRecord[], reference: LoadedRecord[]): Promise<LiveCompare> {
  const harness = harnessInfo();
  const report = await compare({
    yours,
    reference,
    leaveOutOwnRuns: true,
    harness: { version: harness.version, commit: harness.commit },
  });
  return {
    verdict: report.verdict,
    reference: report.reference.map((r) => r.runId).join(', ') || null,
    rows: report.rows.map(({ build, item, published: p, yours: y, verdict, rule }) => ({
      build,
      item,
      published: p,
      yours: y,
      verdict,
      rule,
    })),
    counts: report.counts,
  };
}

function endEvent(
  server: LiveServer,
  loaded: LoadedRecord[],
  status: 'complete' | 'interrupted' | 'failed',
  message: string,
  compared: LiveCompare | null,
): LiveEvent {
  const records = loaded.map((l) => ({
    label: l.record.runtime.label,
    file: displayPath(l.file),
    href: server.addFile(l.file),
  }));
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
  /** The run is over: its records are on disk. Publishes them, the verdict and the links. */
  finish(files: string[], status: 'complete' | 'interrupted' | 'failed', message: string): Promise<void>;
  close(): Promise<void>;
}

export async function openLiveSession(scenario: AnyScenario, runId: string, subject: string): Promise<LiveSession> {
  const reference = await published(scenario.name);
  const server = await startLiveServer({ mode: 'live', scenario: scenario.name, subject });
  server.publish(hello('live', scenario, null, reference, [runId]));
  // Builds whose final record the scenario sent itself (at the build's end): not sent again.
  const sentWhole = new Set<number>();
  return {
    url: server.url,
    update(u) {
      if (u.type === 'record' && u.record.status !== 'partial') sentWhole.add(u.index);
      server.publish(u);
    },
    async finish(files, status, message) {
      const loaded = files.length > 0 ? await readRecords(files) : [];
      // The records as written, whole: whatever the scenario had not sent yet is in them.
      loaded.forEach((l, index) => sentWhole.has(index) || server.publish({ type: 'record', index, record: l.record }));
      const compared = status === 'complete' && loaded.length > 0 ? await verdictOf(loaded, reference) : null;
      server.publish(endEvent(server, loaded, status, message, compared));
    },
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------- replay

/** Checks the files before anything starts: each must be a run record of this scenario. */
export async function loadReplay(scenario: ScenarioName, files: string[]): Promise<LoadedRecord[]> {
  const loaded = await readRecords(files);
  if (loaded.length === 0) throw usageError(`--replay: no records in ${files.join(', ')}`);
  for (const l of loaded) {
    if (l.record.scenario !== scenario)
      throw usageError(`--replay ${l.file}: a ${l.record.scenario} record, not ${scenario}`);
  }
  const runs = new Set(loaded.map((l) => l.record.runId));
  if (runs.size > 1)
    throw usageError(
      `--replay: records of ${runs.size} different runs (${[...runs].join(', ')}); replay one run at a time`,
    );
  // In the order the run took the builds.
  const order = (r: RunRecord) =>
    r.builds.findIndex((b) => b.revision === r.runtime.revision && b.source === r.runtime.source);
  return loaded.sort((a, b) => order(a.record) - order(b.record));
}

export async function replay(
  scenario: AnyScenario,
  loaded: LoadedRecord[],
  speed: number,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<{ server: LiveServer; finished: boolean }> {
  const reference = await published(scenario.name);
  const names = loaded.map((l) => path.basename(l.file)).join(', ');
  const server = await startLiveServer({
    mode: 'replay',
    scenario: scenario.name,
    subject: `run ${loaded[0]!.record.runId} (${names}) at ${speed}×`,
  });
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
    await scenario.live.replay(
      loaded.map((l) => l.record),
      (u) => server.publish(u),
      sleep,
    );
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
  log(
    `REPLAY finished: compare verdict ${compared.verdict.toUpperCase()} (published run: ${compared.reference ?? 'none'})`,
  );
  return { server, finished: true };
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
