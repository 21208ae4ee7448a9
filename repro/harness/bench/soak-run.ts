// The soak: real runs of each scenario through the real CLI, each cut at a random moment (seeded, so
// a soak can be replayed) by SIGINT, SIGTERM or SIGKILL, and what each left behind: processes (the
// descendants alive just before the signal, checked by PID and start time), temporary folders (at
// once for SIGINT/SIGTERM; for SIGKILL, after a later run's sweep) and records (each parsed with the
// schema, its status checked against how the run ended). Used by soak.ts (the long version) and by
// tests/repro/harness/soak.test.ts (a short one that stays in the suite).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fromRoot } from '../paths.ts';
import { RunRecord, type RunStatus, type ScenarioName } from '../record/schema.ts';
import type { Scenario } from '../scenario.ts';
import { loadScenario } from '../scenarios.ts';
import { descendants, isAlive, type Proc } from '../proc.ts';

export type SoakSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';
export const SOAK_SIGNALS: readonly SoakSignal[] = ['SIGINT', 'SIGTERM', 'SIGKILL'];

/**
 * No signal before this: until Node has loaded the CLI's modules (most of a second on a busy machine)
 * its handlers are not installed and Node dies of the signal by default, having started nothing.
 */
const MIN_DELAY_MS = 1000;
/** A CLI that has not exited this long after the signal is counted as hung (and killed). */
const EXIT_LIMIT_MS = 90_000;
/** How long the children may take to go after the CLI has exited (the kernel's parent-death signal is immediate). */
const ORPHAN_GRACE_MS = 15_000;

/** A small seeded PRNG (mulberry32): the same seed gives the same plan. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SoakPlanItem {
  scenario: ScenarioName;
  /** 0-based within its scenario. */
  index: number;
  signal: SoakSignal;
  /** Where in the run the signal falls, from 0 (MIN_DELAY_MS after the spawn) to 1 (the end of the timed run). */
  at: number;
  /** From the spawn of the CLI to the signal: `at` over the scenario's span. */
  delayMs: number;
}

/**
 * `runs` per scenario, the scenarios alternating; each signal kind equally often (shuffled), the
 * moments uniform over each scenario's span (ms, as timed).
 */
export function soakPlan(scenarios: readonly ScenarioName[], runs: number, seed: number, spanMs: Partial<Record<ScenarioName, number>> = {}): SoakPlanItem[] {
  const random = seededRandom(seed);
  const perScenario = scenarios.map((scenario) => {
    const signals = Array.from({ length: runs }, (_, i) => SOAK_SIGNALS[i % SOAK_SIGNALS.length]!);
    for (let i = signals.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [signals[i], signals[j]] = [signals[j]!, signals[i]!];
    }
    const span = Math.max(spanMs[scenario] ?? 0, MIN_DELAY_MS + 1000);
    return signals.map((signal, index) => {
      const at = random();
      return { scenario, index, signal, at, delayMs: Math.round(MIN_DELAY_MS + at * (span - MIN_DELAY_MS)) };
    });
  });
  return Array.from({ length: runs }, (_, i) => perScenario.map((items) => items[i]!)).flat();
}

export interface SoakRecord {
  file: string;
  status: RunStatus | null;
  /** The schema's complaint, for a record that does not parse. */
  invalid: string | null;
}

export interface SoakResult extends SoakPlanItem {
  pid: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** The run was over before its signal was due: nothing was sent. */
  endedFirst: boolean;
  /** The CLI died of the signal itself: it came before the CLI's handlers were installed (nothing was started yet). */
  beforeHandlers: boolean;
  /** Did not exit within EXIT_LIMIT_MS of the signal (then killed). */
  hung: boolean;
  /** Descendants alive just before the signal. */
  tracked: Proc[];
  /** Of those, the ones still alive ORPHAN_GRACE_MS after the CLI had exited (then killed). */
  orphans: Proc[];
  records: SoakRecord[];
  /** Records whose status does not fit how the run ended (e.g. a journal left after SIGINT). */
  badStatus: string[];
  /** Builds that had finished before the signal and should have a record, but have none. */
  lost: string[];
  /** `casebook-<pid>-*` folders right after the CLI exited. */
  tempDirsAtExit: string[];
  /** Whether the exit code is the expected one (130 for SIGINT/SIGTERM, death by SIGKILL, 0 when it ended first). */
  exitAsExpected: boolean;
  stdout: string;
  stderr: string;
}

export interface SoakOptions {
  /** TMPDIR of every run: their temporary folders, and what their sweeps look at. */
  tmpdir: string;
  /** The run's --out. */
  outDir: string;
  node?: string;
  cli?: string;
}

/** Inputs a shell may carry that would change what a run does. */
const OUTSIDE_INPUTS = /^(AWS_|S3_|DATABASE_URL$|PG[A-Z]+$)/;

function cliEnv(tmpdir: string): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !OUTSIDE_INPUTS.test(k))), TMPDIR: tmpdir };
}

/** The harness's temporary folders of this PID in `root`. */
export function tempDirsOfPid(pid: number, root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((name) => name.startsWith(`casebook-${pid}-`)) : [];
}

/** Starts the CLI and waits for it to exit; kills it with SIGKILL after `limitMs` if given (then `hung`). */
function startCli(args: string[], options: SoakOptions) {
  const child = spawn(options.node ?? process.execPath, [options.cli ?? fromRoot('repro', 'harness', 'cli.ts'), ...args], {
    cwd: fromRoot(),
    env: cliEnv(options.tmpdir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** One run of the plan: start, wait `delayMs`, look at the descendants, signal, and see what is left. */
export async function soakRun(item: SoakPlanItem, options: SoakOptions): Promise<SoakResult> {
  // Each scenario names its own soak run (Scenario.soak): short enough to repeat, long enough to pass
  // through every phase (hashing, services starting, each build, the journal, the final write).
  const { soak } = await loadScenario(item.scenario);
  const cli = startCli([item.scenario, ...soak.flags, '--out', options.outDir], options);
  const pid = cli.child.pid!;
  const ended = (await within(cli.exited, item.delayMs)) !== null;
  let tracked: Proc[] = [];
  let stdoutAtSignal = cli.stdout();
  if (!ended) {
    tracked = descendants(pid);
    stdoutAtSignal = cli.stdout();
    cli.child.kill(item.signal);
  }
  let exit = await within(cli.exited, EXIT_LIMIT_MS);
  const hung = exit === null;
  if (exit === null) {
    cli.child.kill('SIGKILL');
    exit = await cli.exited;
  }

  const deadline = Date.now() + ORPHAN_GRACE_MS;
  while (tracked.some(isAlive) && Date.now() < deadline) await sleep(50);
  const orphans = tracked.filter(isAlive);
  // Ours to end: descendants of a CLI this soak started, still the same processes.
  for (const p of orphans) if (isAlive(p)) process.kill(p.pid, 'SIGKILL');

  const tempDirsAtExit = tempDirsOfPid(pid, options.tmpdir);
  const records = readRecords(options.outDir);
  const beforeHandlers = !ended && exit.signal === item.signal && item.signal !== 'SIGKILL';
  const exitAsExpected = ended
    ? exit.code === 0
    : item.signal === 'SIGKILL'
      ? exit.signal === 'SIGKILL'
      : exit.code === 130 || (beforeHandlers && stdoutAtSignal === '' && cli.stderr() === '');
  return {
    ...item,
    pid,
    exit,
    endedFirst: ended,
    beforeHandlers,
    hung,
    tracked,
    orphans,
    records,
    badStatus: badStatuses(item, ended, records),
    lost: lostBuilds(soak, item, ended, stdoutAtSignal, records),
    tempDirsAtExit,
    exitAsExpected,
    stdout: cli.stdout(),
    stderr: cli.stderr(),
  };
}

/** The promise's value, or null if `ms` pass first (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function readRecords(dir: string): SoakRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      try {
        return { file, status: RunRecord.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))).status, invalid: null };
      } catch (error) {
        return { file, status: null, invalid: (error as Error).message.slice(0, 300) };
      }
    });
}

/**
 * Which statuses fit the ending. SIGINT/SIGTERM: the final write replaced every journal entry, so
 * `complete` (a build that finished) or `interrupted`, never `partial`. SIGKILL: the journal (all
 * `partial`), or — killed after the final write — the final records (none `partial`). A run that
 * ended before its signal: all `complete`.
 */
function badStatuses(item: SoakPlanItem, ended: boolean, records: SoakRecord[]): string[] {
  const valid = records.filter((r) => r.status !== null);
  if (ended) return valid.filter((r) => r.status !== 'complete').map((r) => `${r.file}: ${r.status}`);
  if (item.signal !== 'SIGKILL') return valid.filter((r) => r.status === 'partial').map((r) => `${r.file}: partial after ${item.signal}`);
  const partial = valid.filter((r) => r.status === 'partial');
  return partial.length === 0 || partial.length === valid.length ? [] : valid.map((r) => `${r.file}: ${r.status} (journal and final records mixed)`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The builds a run's output names, in the order they started: each progress line begins with the build's label (builds.ts labelOf). */
function buildLabels(stdout: string): string[] {
  return [...new Set([...stdout.matchAll(/^(\S+ \((?:Zig|Rust|line unknown)\))\s/gm)].map((m) => m[1]!))];
}

/** A label's record file ends `_<version>-<line>.json` (record/write.ts). */
function hasRecord(records: SoakRecord[], label: string): boolean {
  const [, version, line] = /^(\S+) \((.+)\)$/.exec(label)!;
  const suffix = `_${version}-${line === 'line unknown' ? 'unknown' : line!.toLowerCase()}.json`;
  return records.some((r) => r.file.endsWith(suffix));
}

/**
 * Builds that should have a record, judged from what the CLI had printed before the signal: every
 * build, for a run that ended first; after SIGINT/SIGTERM every build with a line that put a
 * measurement on record (the scenario's `measuredLine`); after SIGKILL, when the scenario journals
 * between builds, every build before the last one started.
 */
function lostBuilds(soak: Scenario['soak'], item: SoakPlanItem, ended: boolean, stdout: string, records: SoakRecord[]): string[] {
  const labels = buildLabels(stdout);
  const measured = (label: string) => new RegExp(`^${escape(label)}\\s+(?:${soak.measuredLine.source})`, 'm').test(stdout);
  const due = ended ? labels : item.signal !== 'SIGKILL' ? labels.filter(measured) : soak.journalsBetweenBuilds ? labels.slice(0, -1) : [];
  return due.filter((label) => !hasRecord(records, label));
}

// ---------------------------------------------------------------- the whole soak

export interface SoakSummary {
  /** Every run: first one timed run per scenario (index -1, left alone), then the plan. */
  results: SoakResult[];
  /** How long the timed run of each scenario took: the span the signals fell in. */
  spanMs: Partial<Record<ScenarioName, number>>;
  /** Folders SIGKILLed runs left that no later run swept. */
  leakedTempDirs: string[];
  /** Folders SIGKILLed runs left that a later run removed (and named in its notice). */
  sweptTempDirs: string[];
  /** Folders a later run removed without naming them in its notice. */
  sweptSilently: string[];
  wallMs: number;
}

export interface SoakConfig {
  scenarios: readonly ScenarioName[];
  runs: number;
  seed: number;
  /** Another copy of the harness's cli.ts to soak (default: this one). */
  cli?: string;
  /** Called after each run, e.g. to print progress. */
  onRun?: (result: SoakResult, done: number, total: number) => void;
}

export async function runSoak(config: SoakConfig): Promise<SoakSummary> {
  const started = performance.now();
  const root = mkdtempSync(path.join(os.tmpdir(), 'repro-soak-'));
  // As root, the embedded PostgreSQL runs as the postgres user and must reach its folder in here.
  chmodSync(root, 0o755);
  const tmpdir = path.join(root, 'tmp');
  mkdirSync(tmpdir, { mode: 0o755 });
  chmodSync(tmpdir, 0o755);
  const results: SoakResult[] = [];
  const pending = new Map<string, number>(); // folder → PID of the killed run that left it
  const swept: string[] = [];
  const sweptSilently: string[] = [];
  const checkSweeps = (stdout: string) => {
    for (const [dir, pid] of pending) {
      if (tempDirsOfPid(pid, tmpdir).includes(dir)) continue;
      pending.delete(dir);
      (new RegExp(`^removed \\d+ temporary folder\\(s\\) of killed runs: .*\\b${escape(dir)}\\b`, 'm').test(stdout) ? swept : sweptSilently).push(dir);
    }
  };
  try {
    // The span of each scenario: one run left alone, timed from spawn to exit (and checked like the rest).
    const spanMs: Partial<Record<ScenarioName, number>> = {};
    for (const scenario of config.scenarios) {
      const t0 = performance.now();
      const timed = await soakRun(
        { scenario, index: -1, signal: 'SIGINT', at: 1, delayMs: 30 * 60_000 },
        { tmpdir, outDir: path.join(root, `out-${scenario}-timed`), cli: config.cli },
      );
      spanMs[scenario] = performance.now() - t0;
      results.push(timed);
      config.onRun?.(timed, 0, 0);
    }
    const plan = soakPlan(config.scenarios, config.runs, config.seed, spanMs);
    for (const [i, item] of plan.entries()) {
      const outDir = path.join(root, `out-${item.scenario}-${item.index}`);
      const result = await soakRun(item, { tmpdir, outDir, cli: config.cli });
      checkSweeps(result.stdout);
      if (item.signal === 'SIGKILL') for (const dir of result.tempDirsAtExit) pending.set(dir, result.pid);
      results.push(result);
      config.onRun?.(result, i + 1, plan.length);
    }
    if (pending.size > 0) {
      // One more run, left alone: its sweep removes what the last SIGKILLed runs left.
      const first = config.scenarios[0]!;
      const sweepRun = [first, ...(await loadScenario(first)).soak.flags, '--out', path.join(root, 'out-sweep')];
      const sweep = startCli(sweepRun, { tmpdir, outDir: '', cli: config.cli });
      await sweep.exited;
      checkSweeps(sweep.stdout());
    }
    return { results, spanMs, leakedTempDirs: [...pending.keys()], sweptTempDirs: swept, sweptSilently, wallMs: performance.now() - started };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The figures of a soak, one per line. */
export function soakFigures(summary: SoakSummary): string[] {
  const { results } = summary;
  const count = (f: (r: SoakResult) => boolean) => results.filter(f).length;
  const sum = (f: (r: SoakResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const byScenario = [...new Set(results.map((r) => r.scenario))].map((s) => `${s} ${count((r) => r.scenario === s)}`).join(', ');
  const bySignal = SOAK_SIGNALS.map((s) => `${s} ${count((r) => r.signal === s && !r.endedFirst)}`).join(', ');
  const records = results.flatMap((r) => r.records);
  const list = (items: string[]) => (items.length ? `: ${items.slice(0, 5).join('; ')}${items.length > 5 ? '; …' : ''}` : '');
  const unexpected = results.filter((r) => !r.exitAsExpected).map((r) => `${r.scenario} #${r.index} ${r.signal} → ${r.exit.code ?? r.exit.signal}`);
  const spans = Object.entries(summary.spanMs).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`).join(', ');
  return [
    `runs: ${results.length} (${byScenario}; one of each left alone to time it: ${spans}), wall time ${(summary.wallMs / 1000).toFixed(0)} s`,
    `signals sent: ${bySignal}; runs over before their signal: ${count((r) => r.endedFirst && r.index >= 0)}; signals before the CLI's handlers: ${count((r) => r.beforeHandlers)}`,
    `exit codes as expected: ${results.length - unexpected.length} of ${results.length}${list(unexpected)}`,
    `hung (no exit within ${EXIT_LIMIT_MS / 1000} s of the signal): ${count((r) => r.hung)}`,
    `descendants tracked just before the signal: ${sum((r) => r.tracked.length)}; orphans: ${sum((r) => r.orphans.length)}${list(results.flatMap((r) => r.orphans.map((p) => p.cmdline.slice(0, 80))))}`,
    `temporary folders left at exit after SIGINT/SIGTERM: ${sum((r) => (r.signal === 'SIGKILL' ? 0 : r.tempDirsAtExit.length))}`,
    `temporary folders left by SIGKILL: ${sum((r) => (r.signal === 'SIGKILL' ? r.tempDirsAtExit.length : 0))}; swept by a later run: ${summary.sweptTempDirs.length}; swept without a notice: ${summary.sweptSilently.length}; leaked: ${summary.leakedTempDirs.length}`,
    `records written: ${records.length} (${(['complete', 'interrupted', 'partial'] as const).map((s) => `${s} ${records.filter((r) => r.status === s).length}`).join(', ')})`,
    `records invalid: ${records.filter((r) => r.invalid).length}; status not fitting the ending: ${sum((r) => r.badStatus.length)}; lost: ${sum((r) => r.lost.length)}${list(results.flatMap((r) => [...r.badStatus, ...r.lost.map((l) => `${r.scenario} #${r.index} lost ${l}`)]))}`,
  ];
}
