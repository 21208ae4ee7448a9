// The contract between the CLI and a scenario (each in repro/scenarios/, listed in scenarios.ts). A scenario declares its flags,
// turns their values into typed options, runs its probe under each build and returns one run record
// per build; the CLI does everything else (argument parsing, builds, provenance, writing, exit code).
import type { Build } from './builds.ts';
import type { CompareRules } from '../core/compare/rules.ts';
import type { LiveUpdate } from './live/events.ts';
import type { Provenance } from './provenance.ts';
import type { RunRecord, ScenarioName } from '../core/record/schema.ts';

/** One command-line flag of a scenario: `--name <placeholder>` or a boolean `--name`. */
export interface Flag {
  type: 'string' | 'boolean';
  /** One line for `--help`, default included. */
  help: string;
  /** Shown in help after the flag name, e.g. "MiB". */
  placeholder?: string;
  multiple?: boolean;
}

/** The raw values of the flags, as node:util parseArgs returns them. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface ScenarioContext<Options, R extends RunRecord = RunRecord, P = unknown> {
  options: Options;
  builds: Build[];
  provenance: Provenance;
  /** Aborted on the first Ctrl-C/SIGTERM: stop the probe, return what was gathered, marked interrupted. */
  signal: AbortSignal;
  /** Live status for one build, rewritten in place on a terminal; `done()` leaves the final line. */
  progress: (build: Build) => ProgressLine;
  /** A one-line notice on stdout (e.g. which memory cap applies). */
  notice: (line: string) => void;
  /**
   * Saves what the run has measured so far, as records with status `partial`, in build order:
   * call it after each finished build or trial, so that a crash keeps everything before it.
   */
  journal: (records: R[]) => Promise<void>;
  /**
   * With --live: what the run measures as it comes (live/events.ts), for the live page: each build's
   * record at its start and at its end, and the scenario's own updates (P) between. Absent otherwise.
   */
  live?: (update: LiveUpdate<P>) => void;
}

/** A scenario's side of the live page (--live, --replay), in its own live.ts; the page's side is in the site's scenario folder. */
export interface LiveFeed<R extends RunRecord, P> {
  /** The published run, cut to what the page draws faintly behind it; [] when the page draws none. */
  reference(run: R[]): R[];
  /** `--replay`: sends what a live run of these records would have sent, waiting `sleep(ms)` of recorded time between. */
  replay(
    records: R[],
    send: (update: LiveUpdate<P>) => void,
    sleep: (recordedMs: number) => Promise<void>,
  ): Promise<void>;
}

/** One quick protocol of the version matrix. */
export interface QuickProtocol {
  /** Its name in the matrix's output, e.g. "silent-loss". */
  name: string;
  flags: readonly string[];
  summary: string;
  /** Needs root (a network namespace, iptables); elsewhere its trials are recorded as skipped. */
  root: boolean;
}

export interface ProgressLine {
  update(text: string): void;
  done(text: string): void;
}

export interface Scenario<Options = unknown, R extends RunRecord = RunRecord, P = unknown> {
  name: ScenarioName;
  /** One line for the scenario list in `npm run repro -- --help`. */
  summary: string;
  flags: Record<string, Flag>;
  /**
   * The builds a run measures without `--bun`, as `--bun` values in order (npm versions or paths);
   * absent: the pinned pair (builds.ts). For a scenario whose failure neither pinned build has.
   */
  defaultBuilds?: readonly string[];
  /** Environment variables read in place of flags: recorded in the command, secrets redacted. */
  envInputs: readonly string[];
  /**
   * The quick protocols that `npm run matrix` runs on every published build, each an ordinary run
   * with its own record: flags chosen so that its verdict agrees with the full protocol's (each
   * scenario says how it knows).
   */
  quick: readonly QuickProtocol[];
  /**
   * The soak (bench/soak-run.ts): a run short enough to repeat and cut at random moments, which still
   * passes through every phase, and how to tell from its output which builds must have a record.
   */
  soak: {
    flags: readonly string[];
    /** What follows a build's label on a progress line that puts a measurement on record (no anchors). */
    measuredLine: RegExp;
    /** Each build is journalled before the next starts: a later build's start proves the earlier one's record, even after SIGKILL. */
    journalsBetweenBuilds: boolean;
  };
  /** The catalogue's failure a run measures, which its records' file names carry; absent for a scenario of one failure set. */
  failureOf?(options: Options): string;
  /** Validates flag values (throw `usageError` for a bad one) and fills in defaults. */
  parseOptions(values: FlagValues): Options;
  /**
   * Runs every build and returns one record per build that started, in build order, with status
   * `complete`, or `interrupted` when `signal` aborted. Must return (not throw) on abort.
   */
  run(context: ScenarioContext<Options, R, P>): Promise<R[]>;
  /** The side-by-side table printed after the run. */
  summaryTable(records: R[]): string;
  /** One line per build that did not yield a measurement (crashed probe…); non-empty → exit code 1. */
  failures(records: R[]): string[];
  /** How `npm run repro -- compare` judges a rerun of this scenario against the published run. */
  compareRules: CompareRules<R>;
  /** What a complete record found, in one line, for the `npm run matrix` summary (after "revision (line): "). */
  matrixLine(record: R): string;
  /** What the live page gets while it runs, and how a replay feeds it. */
  live: LiveFeed<R, P>;
}
