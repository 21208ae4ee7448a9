// The soak: real runs of each scenario through the real CLI, each cut at a random moment (seeded, so
// a soak can be replayed) by a signal — SIGINT, SIGTERM, SIGHUP or SIGKILL, sent to the harness, or to
// the npm of `npm run repro` alone — and what each left behind: processes (the descendants alive just
// before the signal, checked by PID and start time), records (each parsed with the schema, its status
// checked against how the run ended), and what the run held at the signal: its temporary folders, its
// PostgreSQL's System V segment and any /dev/shm file the server mapped, its network namespace, its
// roles on an external server. Each must be gone when the harness exits, except after a SIGKILL to
// the harness itself (nothing of it runs), where a later run's sweep must remove it and say so.
// Used by soak.ts (the long version) and by tests/repro/harness/soak.test.ts (a short one).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { fromRoot } from '../paths.ts';
import { descendants, isAlive, type Proc } from '../proc.ts';
import { RunRecord, type RunStatus, type ScenarioName } from '../../core/record/schema.ts';
import type { Scenario } from '../scenario.ts';
import { loadScenario } from '../scenarios.ts';
import { sharedMemorySegments } from '../services/postgres-leftovers.ts';

type SoakSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL';
/** How a run is cut: a signal to the harness, or to the npm of `npm run repro` alone. */
export type SoakEnding = SoakSignal | `npm ${SoakSignal}`;
export const SOAK_ENDINGS: readonly SoakEnding[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGKILL',
  'npm SIGINT',
  'npm SIGTERM',
  'npm SIGHUP',
  'npm SIGKILL',
];

const signalOf = (ending: SoakEnding) => ending.replace(/^npm /, '') as SoakSignal;
const toNpm = (ending: SoakEnding) => ending.startsWith('npm ');
/** Whether the harness gets to clean up: all but its own SIGKILL (npm's SIGKILL it sees, and stops for). */
const graceful = (ending: SoakEnding) => ending !== 'SIGKILL';

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
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What is soaked: a scenario's soak run, or a variant of it (another server, another fault). */
export interface SoakVariant {
  /** How the figures name it: the scenario, and what differs. */
  name: string;
  scenario: ScenarioName;
  /** The run's flags (--out is added). */
  flags: string[];
  /** An external PostgreSQL (given to the run as DATABASE_URL), whose casebook_ roles are then counted. */
  databaseUrl?: string;
}

/** Each scenario's own soak run (Scenario.soak): short enough to repeat, long enough to pass through every phase. */
export async function scenarioVariants(scenarios: readonly ScenarioName[]): Promise<SoakVariant[]> {
  return Promise.all(
    scenarios.map(async (scenario) => ({
      name: scenario,
      scenario,
      flags: [...(await loadScenario(scenario)).soak.flags],
    })),
  );
}

interface SoakPlanItem {
  variant: string;
  scenario: ScenarioName;
  /** 0-based within its variant. */
  index: number;
  ending: SoakEnding;
  /** Where in the run the signal falls, from 0 (MIN_DELAY_MS after the spawn) to 1 (the end of the timed run). */
  at: number;
  /** From the spawn to the signal: `at` over the variant's span. */
  delayMs: number;
}

/**
 * `runs` per variant, the variants alternating; each ending equally often over the whole plan
 * (shuffled), the moments uniform over each variant's span (ms, as timed).
 */
function soakPlan(
  variants: readonly SoakVariant[],
  runs: number,
  seed: number,
  spanMs: Record<string, number> = {},
): SoakPlanItem[] {
  const random = seededRandom(seed);
  const endings = Array.from({ length: runs * variants.length }, (_, i) => SOAK_ENDINGS[i % SOAK_ENDINGS.length]!);
  for (let i = endings.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [endings[i], endings[j]] = [endings[j]!, endings[i]!];
  }
  return Array.from({ length: runs }, (_, index) =>
    variants.map((variant, v) => {
      const span = Math.max(spanMs[variant.name] ?? 0, MIN_DELAY_MS + 1000);
      const at = random();
      const ending = endings[index * variants.length + v]!;
      return {
        variant: variant.name,
        scenario: variant.scenario,
        index,
        ending,
        at,
        delayMs: Math.round(MIN_DELAY_MS + at * (span - MIN_DELAY_MS)),
      };
    }),
  ).flat();
}

interface SoakRecord {
  file: string;
  status: RunStatus | null;
  /** The schema's complaint, for a record that does not parse. */
  invalid: string | null;
}

/** What a run held that must not outlive it. */
type LeftoverKind =
  | 'temporary folder'
  | 'shared memory segment'
  | '/dev/shm file'
  | 'network namespace'
  | 'database roles';
/** Each kind, as the figures name it. */
const LEFTOVER_KINDS: Record<LeftoverKind, string> = {
  'temporary folder': 'temporary folders',
  'shared memory segment': 'PostgreSQL shared memory segments',
  '/dev/shm file': "/dev/shm files of the runs' servers",
  'network namespace': 'network namespaces',
  'database roles': "database roles (an external server's, by run)",
};

interface Leftover {
  kind: LeftoverKind;
  name: string;
  exists(): Promise<boolean>;
  /** How a later run's notice names it when its sweep removes it; null where no sweep is meant to (it must never be left). */
  notice: RegExp | null;
  /** The external server's roles are swept only by a run against that server. */
  sweptBy?: string;
}

interface SoakResult extends SoakPlanItem {
  /** The harness's PID (for an npm ending, found below npm at the signal; null if npm had not started it). */
  pid: number | null;
  /** The exit of what the soak started: the harness, or npm. */
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** The run was over before its signal was due: nothing was sent. */
  endedFirst: boolean;
  /** The harness had printed nothing when the signal came: its handlers (and watch) were not up yet, and nothing was started. */
  beforeHandlers: boolean;
  /**
   * The harness had finished (every record complete, and said so) and was exiting when the signal
   * came: Node, its handlers already gone, dies of it. Nothing is lost or left; only the exit says so.
   */
  overAtSignal: boolean;
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
  /** What the run held at the signal (or at its exit, for its folders). */
  held: Leftover[];
  /** Of those, what was still there once the harness and its children had exited. */
  leftAtExit: Leftover[];
  /** Whether the exit is the expected one for the ending (see expectedExit). */
  exitAsExpected: boolean;
  stdout: string;
  stderr: string;
}

interface SoakOptions {
  /** TMPDIR of every run: their temporary folders, and what their sweeps look at. */
  tmpdir: string;
  /** The run's --out. */
  outDir: string;
  /** Another copy of the harness's cli.ts (default: this one); its folder's package.json runs it for npm endings. */
  cli?: string;
}

/** Inputs a shell may carry that would change what a run does. */
const OUTSIDE_INPUTS = /^(AWS_|S3_|DATABASE_URL$|PG[A-Z]+$)/;

function runEnv(tmpdir: string, variant: SoakVariant): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !OUTSIDE_INPUTS.test(k))),
    TMPDIR: tmpdir,
    // npm puts the project's node_modules/.bin first; a copy of the harness without its own finds the pinned Node here.
    PATH: `${fromRoot('node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    ...(variant.databaseUrl ? { DATABASE_URL: variant.databaseUrl } : {}),
  };
}

/** The harness's temporary folders of this PID in `root`. */
function tempDirsOfPid(pid: number, root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((name) => name.startsWith(`casebook-${pid}-`)) : [];
}

/** Starts the harness (directly, or as `npm run repro`); `exited` settles once it and everything sharing its output have exited. */
function startRun(variant: SoakVariant, args: string[], npm: boolean, options: SoakOptions) {
  const cli = options.cli ?? fromRoot('repro', 'harness', 'cli.ts');
  const env = runEnv(options.tmpdir, variant);
  const cwd = path.resolve(path.dirname(cli), '..', '..');
  const child = npm
    ? spawn('npm', ['run', 'repro', '--', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** The harness below npm: the process running cli.ts (npm's `sh -c` becomes it, same PID). */
function harnessBelow(npm: number): number | null {
  return (
    descendants(npm).find((p) => /repro\/harness\/cli\.ts/.test(p.cmdline) && !/^npm /.test(p.cmdline))?.pid ?? null
  );
}

/** What the harness itself printed: npm's own lines (its banner, `npm error …`) left out. */
function ownOutput(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^> /.test(line) && !/^npm (error|warn|notice)\b/.test(line))
    .join('\n');
}

/** One run of the plan: start, wait `delayMs`, look at what it holds, signal, and see what is left. */
async function soakRun(item: SoakPlanItem, variant: SoakVariant, options: SoakOptions): Promise<SoakResult> {
  const { soak } = await loadScenario(item.scenario);
  const npm = toNpm(item.ending);
  const run = startRun(variant, [item.scenario, ...variant.flags, '--out', options.outDir], npm, options);
  const started = run.child.pid!;
  const ended = (await within(run.exited, item.delayMs)) !== null;
  let tracked: Proc[] = [];
  let pid: number | null = npm ? null : started;
  let held: Leftover[] = [];
  let ownAtSignal = '';
  let stdoutAtSignal = run.stdout();
  if (!ended) {
    tracked = descendants(started);
    if (npm) pid = harnessBelow(started);
    held = pid === null ? [] : await heldBy(pid, tracked, variant, options.tmpdir);
    stdoutAtSignal = run.stdout();
    ownAtSignal = ownOutput(stdoutAtSignal + run.stderr());
    run.child.kill(signalOf(item.ending));
  }
  let exit = await within(run.exited, EXIT_LIMIT_MS);
  const hung = exit === null;
  if (exit === null) {
    for (const p of [...tracked, ...descendants(started)]) if (isAlive(p)) process.kill(p.pid, 'SIGKILL');
    run.child.kill('SIGKILL');
    exit = await run.exited;
  }

  const deadline = Date.now() + ORPHAN_GRACE_MS;
  while (tracked.some(isAlive) && Date.now() < deadline) await sleep(50);
  const orphans = tracked.filter(isAlive);
  // Ours to end: descendants of a run this soak started, still the same processes.
  for (const p of orphans) if (isAlive(p)) process.kill(p.pid, 'SIGKILL');

  // Folders made after the look at the signal count too (a server starting as the signal came).
  if (pid !== null) held = merge(held, folderLeftovers(pid, options.tmpdir), sharedMemoryNamedIn(pid, options.tmpdir));
  const leftAtExit: Leftover[] = [];
  for (const leftover of held) if (await leftover.exists()) leftAtExit.push(leftover);
  const records = readRecords(options.outDir);
  const beforeHandlers = !ended && ownAtSignal === '' && (npm || exit.signal === signalOf(item.ending));
  const expected = expectedExit(item.ending, ended, beforeHandlers, exit, run.stderr(), records);
  const finished =
    records.length > 0 &&
    records.every((r) => r.status === 'complete') &&
    (run.stdout().match(/^record: /gm) ?? []).length === records.length;
  const overAtSignal = !ended && !expected && finished;
  return {
    ...item,
    pid,
    exit,
    endedFirst: ended,
    beforeHandlers,
    overAtSignal,
    hung,
    tracked,
    orphans,
    records,
    badStatus: badStatuses(item, ended, records),
    lost: lostBuilds(soak, item, ended, stdoutAtSignal, records),
    held,
    leftAtExit,
    exitAsExpected: expected || overAtSignal,
    stdout: run.stdout(),
    stderr: run.stderr(),
  };
}

/**
 * The exit each ending calls for. A run over before its signal: 0. The harness's own SIGKILL: death
 * by it. Otherwise the harness's interrupt path: exit 130 (npm passes it on), except that a harness
 * whose handlers were not up yet dies of SIGINT, SIGTERM or SIGHUP having started nothing. npm's
 * SIGHUP and SIGKILL end npm alone: it dies of them, and the harness says it saw npm go (or was over).
 */
function expectedExit(
  ending: SoakEnding,
  ended: boolean,
  beforeHandlers: boolean,
  exit: SoakResult['exit'],
  stderr: string,
  records: SoakRecord[],
): boolean {
  if (ended) return exit.code === 0;
  const signal = signalOf(ending);
  if (ending === 'SIGKILL') return exit.signal === 'SIGKILL';
  if (beforeHandlers) return true;
  if (!toNpm(ending) || signal === 'SIGINT' || signal === 'SIGTERM') return exit.code === 130;
  return (
    exit.signal === signal &&
    (/the process that started the harness \(PID \d+\) ended: stopping the run/.test(stderr) ||
      records.every((r) => r.status === 'complete'))
  );
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
        return {
          file,
          status: RunRecord.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))).status,
          invalid: null,
        };
      } catch (error) {
        return { file, status: null, invalid: (error as Error).message.slice(0, 300) };
      }
    });
}

// ---------------------------------------------------------------- what a run holds

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A later run's sweep notice (sweep.ts) naming `item` among what it removed. */
const sweptNotice = (what: string, item: string) =>
  new RegExp(`^removed \\d+ ${escape(what)} of killed runs: (.*, )?${escape(item)}(,|$)`, 'm');

/** Everything the harness of `pid` holds now, besides its folders (merged in at its exit). */
async function heldBy(pid: number, tracked: Proc[], variant: SoakVariant, tmpdir: string): Promise<Leftover[]> {
  const servers = tracked.filter((p) => /\/bin\/postgres -D /.test(p.cmdline)).map((p) => p.pid);
  return [
    ...folderLeftovers(pid, tmpdir),
    ...sharedMemoryNamedIn(pid, tmpdir),
    ...servers.flatMap(segmentsCreatedBy),
    ...servers.flatMap(devShmFilesOf),
    ...namespacesOf(pid),
    ...(variant.databaseUrl ? await rolesOf(pid, variant) : []),
  ];
}

function merge(...lists: Leftover[][]): Leftover[] {
  const seen = new Map<string, Leftover>();
  for (const l of lists.flat()) if (!seen.has(`${l.kind}\0${l.name}`)) seen.set(`${l.kind}\0${l.name}`, l);
  return [...seen.values()];
}

function folderLeftovers(pid: number, tmpdir: string): Leftover[] {
  return tempDirsOfPid(pid, tmpdir).map((name) => ({
    kind: 'temporary folder',
    name,
    exists: async () => existsSync(path.join(tmpdir, name)),
    notice: sweptNotice('temporary folder(s)', name),
  }));
}

function segmentLeftover(key: number, id: number, postmaster: number): Leftover {
  return {
    kind: 'shared memory segment',
    name: `key ${key} (postmaster PID ${postmaster})`,
    exists: async () => sharedMemorySegments().some((s) => s.id === id && s.key === key >>> 0),
    notice: sweptNotice('PostgreSQL shared memory segment(s)', `key ${key} (postmaster PID ${postmaster})`),
  };
}

/** The segments of the servers running at the signal. */
function segmentsCreatedBy(postmaster: number): Leftover[] {
  return sharedMemorySegments()
    .filter((s) => s.creator === postmaster)
    .map((s) => segmentLeftover(s.key, s.id, postmaster));
}

/** The segment each embedded server's postmaster.pid names, in the harness's folders (a server that started after the look). */
function sharedMemoryNamedIn(pid: number, tmpdir: string): Leftover[] {
  return tempDirsOfPid(pid, tmpdir).flatMap((name) => {
    try {
      const lines = readFileSync(path.join(tmpdir, name, 'data', 'postmaster.pid'), 'utf8').split('\n');
      const [key, id] = lines[6]!.trim().split(/\s+/).map(Number);
      // The PID is negated while initdb's bootstrap server holds the file.
      return Number.isInteger(key) && Number.isInteger(id)
        ? [segmentLeftover(key!, id!, Math.abs(Number(lines[0])))]
        : [];
    } catch {
      return [];
    }
  });
}

/** The /dev/shm files a server has mapped (PostgreSQL's dynamic shared memory, with the posix type). */
function devShmFilesOf(postmaster: number): Leftover[] {
  let maps = '';
  try {
    maps = readFileSync(`/proc/${postmaster}/maps`, 'utf8');
  } catch {
    return [];
  }
  const files = new Set([...maps.matchAll(/\s(\/dev\/shm\/\S+)$/gm)].map((m) => m[1]!));
  return [...files].map((file) => ({
    kind: '/dev/shm file',
    name: file,
    exists: async () => existsSync(file),
    notice: null,
  }));
}

const namespaceList = () =>
  (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').map((l) => l.split(' ')[0]!);

/** The harness's network namespaces (casebook-<purpose>-<pid>). */
function namespacesOf(pid: number): Leftover[] {
  if (process.getuid?.() !== 0) return [];
  return namespaceList()
    .filter((name) => new RegExp(`^casebook-[a-z0-9]+-${pid}$`).test(name))
    .map((name) => ({
      kind: 'network namespace',
      name,
      exists: async () => namespaceList().includes(name),
      notice: sweptNotice('network namespace(s)', name),
    }));
}

/** The harness's roles on the external server: their comment names its PID (services/postgres.ts). */
async function rolesOf(pid: number, variant: SoakVariant): Promise<Leftover[]> {
  const roles = await casebookRoles(variant.databaseUrl!, pid);
  if (roles.length === 0) return [];
  return [
    {
      kind: 'database roles',
      name: roles.join(', '),
      exists: async () => (await casebookRoles(variant.databaseUrl!, pid)).length > 0,
      notice: new RegExp(`removed stale roles .*${escape(roles[0]!)}`),
      sweptBy: variant.name,
    },
  ];
}

/** The casebook_ roles on a server, all or those of one harness PID. */
async function casebookRoles(databaseUrl: string, pid?: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ rolname: string; comment: string | null }>(
      `select rolname, shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname like 'casebook\\_%' order by 1`,
    );
    return rows
      .filter((r) => pid === undefined || new RegExp(` pid=${pid} `).test(r.comment ?? ''))
      .map((r) => r.rolname);
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- records

/**
 * Which statuses fit the ending. A graceful ending (everything but the harness's own SIGKILL): the
 * final write replaced every journal entry, so `complete` (a build that finished) or `interrupted`,
 * never `partial`. SIGKILL: the journal (all `partial`), or — killed after the final write — the
 * final records (none `partial`). A run that ended before its signal: all `complete`.
 */
function badStatuses(item: SoakPlanItem, ended: boolean, records: SoakRecord[]): string[] {
  const valid = records.filter((r) => r.status !== null);
  if (ended) return valid.filter((r) => r.status !== 'complete').map((r) => `${r.file}: ${r.status}`);
  if (graceful(item.ending))
    return valid.filter((r) => r.status === 'partial').map((r) => `${r.file}: partial after ${item.ending}`);
  const partial = valid.filter((r) => r.status === 'partial');
  return partial.length === 0 || partial.length === valid.length
    ? []
    : valid.map((r) => `${r.file}: ${r.status} (journal and final records mixed)`);
}

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
 * build, for a run that ended first; after a graceful ending every build with a line that put a
 * measurement on record (the scenario's `measuredLine`); after SIGKILL, when the scenario journals
 * between builds, every build before the last one started.
 */
function lostBuilds(
  soak: Scenario['soak'],
  item: SoakPlanItem,
  ended: boolean,
  stdout: string,
  records: SoakRecord[],
): string[] {
  const labels = buildLabels(stdout);
  const measured = (label: string) =>
    new RegExp(`^${escape(label)}\\s+(?:${soak.measuredLine.source})`, 'm').test(stdout);
  const due = ended
    ? labels
    : graceful(item.ending)
      ? labels.filter(measured)
      : soak.journalsBetweenBuilds
        ? labels.slice(0, -1)
        : [];
  return due.filter((label) => !hasRecord(records, label));
}

// ---------------------------------------------------------------- the whole soak

export interface SoakSummary {
  /** Every run: first one timed run per variant (index -1, left alone), then the plan. */
  results: SoakResult[];
  /** How long the timed run of each variant took: the span the signals fell in. */
  spanMs: Record<string, number>;
  /** What SIGKILLed runs left that a later run removed and named in its notice. */
  swept: Leftover[];
  /** What a later run removed without naming it. */
  sweptSilently: Leftover[];
  /** What SIGKILLed runs left that no later run removed (or that no sweep is meant for). */
  leaked: Leftover[];
  wallMs: number;
}

export interface SoakConfig {
  variants: readonly SoakVariant[];
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
  const variantNamed = (name: string) => config.variants.find((v) => v.name === name)!;
  const results: SoakResult[] = [];
  let pending: Leftover[] = [];
  const swept: Leftover[] = [];
  const sweptSilently: Leftover[] = [];
  // After each run: what killed runs left and is gone now was swept by it, named or not.
  const checkSweeps = async (variant: string, stdout: string) => {
    const still: Leftover[] = [];
    for (const leftover of pending) {
      if ((leftover.sweptBy && leftover.sweptBy !== variant) || (await leftover.exists())) still.push(leftover);
      else (leftover.notice?.test(stdout) ? swept : sweptSilently).push(leftover);
    }
    pending = still;
  };
  const one = async (item: SoakPlanItem, outDir: string) => {
    const result = await soakRun(item, variantNamed(item.variant), { tmpdir, outDir, cli: config.cli });
    await checkSweeps(item.variant, result.stdout);
    // After a graceful ending nothing may be left at all; after the harness's own SIGKILL, a later run sweeps it.
    if (item.ending === 'SIGKILL' && !result.endedFirst) pending.push(...result.leftAtExit);
    results.push(result);
    return result;
  };
  try {
    // The span of each variant: one run left alone, timed from spawn to exit (and checked like the rest).
    const spanMs: Record<string, number> = {};
    for (const variant of config.variants) {
      const t0 = performance.now();
      const timed = await one(
        { variant: variant.name, scenario: variant.scenario, index: -1, ending: 'SIGINT', at: 1, delayMs: 30 * 60_000 },
        path.join(root, `out-${variant.name}-timed`),
      );
      spanMs[variant.name] = performance.now() - t0;
      config.onRun?.(timed, 0, 0);
    }
    const plan = soakPlan(config.variants, config.runs, config.seed, spanMs);
    for (const [i, item] of plan.entries()) {
      const result = await one(item, path.join(root, `out-${item.variant}-${item.index}`));
      config.onRun?.(result, i + 1, plan.length);
    }
    // One more run, left alone, of each variant whose sweep is still owed: it removes what the last SIGKILLed runs left.
    for (const variant of config.variants) {
      if (!pending.some((l) => l.notice && (l.sweptBy ?? variant.name) === variant.name)) continue;
      const sweep = startRun(
        variant,
        [variant.scenario, ...variant.flags, '--out', path.join(root, `out-sweep-${variant.name}`)],
        false,
        { tmpdir, outDir: '', cli: config.cli },
      );
      await sweep.exited;
      await checkSweeps(variant.name, sweep.stdout());
    }
    return { results, spanMs, swept, sweptSilently, leaked: pending, wallMs: performance.now() - started };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The figures of a soak, one per line. */
export function soakFigures(summary: SoakSummary): string[] {
  const { results } = summary;
  const signalled = results.filter((r) => r.index >= 0 && !r.endedFirst && !r.overAtSignal);
  const count = (f: (r: SoakResult) => boolean) => results.filter(f).length;
  const sum = (f: (r: SoakResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const byVariant = [...new Set(results.map((r) => r.variant))]
    .map((v) => `${v} ${count((r) => r.variant === v)}`)
    .join(', ');
  const byEnding = (npm: boolean) =>
    SOAK_ENDINGS.filter((e) => toNpm(e) === npm)
      .map((e) => `${signalOf(e)} ${signalled.filter((r) => r.ending === e).length}`)
      .join(', ');
  const records = results.flatMap((r) => r.records);
  const list = (items: string[]) =>
    items.length ? `: ${items.slice(0, 5).join('; ')}${items.length > 5 ? '; …' : ''}` : '';
  const unexpected = results
    .filter((r) => !r.exitAsExpected)
    .map((r) => `${r.variant} #${r.index} ${r.ending} → ${r.exit.code ?? r.exit.signal}`);
  const spans = Object.entries(summary.spanMs)
    .map(([v, ms]) => `${v} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');
  const of = (kind: LeftoverKind) => (l: Leftover) => l.kind === kind;
  const leftovers = (kind: LeftoverKind) => {
    const held = sum((r) => r.held.filter(of(kind)).length);
    const afterGraceful = results.flatMap((r) =>
      r.ending === 'SIGKILL' && !r.endedFirst ? [] : r.leftAtExit.filter(of(kind)),
    );
    const byKill = sum((r) => (r.ending === 'SIGKILL' && !r.endedFirst ? r.leftAtExit.filter(of(kind)).length : 0));
    const leaked = summary.leaked.filter(of(kind));
    return `${LEFTOVER_KINDS[kind]}: held at the signal ${held}; left after a graceful stop ${afterGraceful.length}${list(afterGraceful.map((l) => l.name))}; left by SIGKILL ${byKill}, swept by a later run ${summary.swept.filter(of(kind)).length} (without a notice ${summary.sweptSilently.filter(of(kind)).length}); leaked ${leaked.length}${list(leaked.map((l) => l.name))}`;
  };
  return [
    `runs: ${results.length} (${byVariant}; one of each left alone to time it: ${spans}), wall time ${(summary.wallMs / 1000).toFixed(0)} s`,
    `interrupted: ${signalled.length}; signals to the harness: ${byEnding(false)}; to npm alone: ${byEnding(true)}; runs over before their signal: ${count((r) => r.endedFirst && r.index >= 0)}, as it came (died of it while exiting, records complete): ${count((r) => r.overAtSignal)}; signals before the harness's handlers: ${count((r) => r.beforeHandlers)}`,
    `exit codes as expected: ${results.length - unexpected.length} of ${results.length}${list(unexpected)}`,
    `hung (no exit within ${EXIT_LIMIT_MS / 1000} s of the signal): ${count((r) => r.hung)}`,
    `descendants tracked just before the signal: ${sum((r) => r.tracked.length)}; orphans: ${sum((r) => r.orphans.length)}${list(results.flatMap((r) => r.orphans.map((p) => p.cmdline.slice(0, 80))))}`,
    ...(Object.keys(LEFTOVER_KINDS) as LeftoverKind[]).map(leftovers),
    `records written: ${records.length} (${(['complete', 'interrupted', 'partial'] as const).map((s) => `${s} ${records.filter((r) => r.status === s).length}`).join(', ')})`,
    `records invalid: ${records.filter((r) => r.invalid).length}; status not fitting the ending: ${sum((r) => r.badStatus.length)}; lost: ${sum((r) => r.lost.length)}${list(results.flatMap((r) => [...r.badStatus, ...r.lost.map((l) => `${r.variant} #${r.index} lost ${l}`)]))}`,
  ];
}

/** Whether a soak found nothing wrong: the bench's exit code and the test's verdict. */
export function soakProblems(summary: SoakSummary): string[] {
  return [
    ...summary.results.flatMap((r) => {
      const what = `${r.variant} #${r.index} ${r.ending}`;
      return [
        ...(r.hung ? [`${what}: hung`] : []),
        ...(r.exitAsExpected ? [] : [`${what}: exit ${r.exit.code ?? r.exit.signal}`]),
        ...r.orphans.map((p) => `${what}: orphan ${p.cmdline.slice(0, 80)}`),
        ...r.records.filter((x) => x.invalid).map((x) => `${what}: invalid record ${x.file}`),
        ...r.badStatus.map((b) => `${what}: ${b}`),
        ...r.lost.map((l) => `${what}: lost ${l}`),
        ...(r.ending === 'SIGKILL' && !r.endedFirst
          ? []
          : r.leftAtExit.map((l) => `${what}: ${l.kind} left: ${l.name}`)),
      ];
    }),
    ...summary.sweptSilently.map((l) => `${l.kind} swept without a notice: ${l.name}`),
    ...summary.leaked.map((l) => `${l.kind} leaked: ${l.name}`),
  ];
}
