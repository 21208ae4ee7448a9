// What the site knows of a scenario, in one place: its texts, the views and values read from its
// records, its reproduction bundle, its failures in the version matrix and its figures. Pure data and
// functions, so tests and pages share them; generic components draw the views.
import type { CompareRules } from '../../repro/core/compare/rules.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import type { QuickLook } from '../bundles/quick-look.ts';
import type { FigureModule, Row } from '../figures/types.ts';
import type { Failure } from '../lib/failure.ts';
import type { StatQuery, StatValue } from '../lib/stat-query.ts';
import type { OutcomeSummaryView, VerdictView } from '../lib/verdicts.ts';

/** What a reproduction bundle carries beyond the harness and the scenario's folder. */
export interface BundleSpec<R extends RunRecord = RunRecord> {
  /** Packages from the project's own package.json, pinned to the versions its lockfile resolved. */
  dependencies: string[];
  /** Packages whose install scripts the bundle allows (npm allowScripts). */
  allowScripts: string[];
  /** What the memory need depends on (the figures come from the records, see src/bundles/needs.ts). */
  ramNote: string;
  os: string;
  /** The memory need read from the latest run, when the records say it (the S3 memory cap). */
  ram?(run: readonly R[]): string;
}

/** One figure of the live page (`--live`, `--replay`), drawn from the builds' states as they fill in. */
export interface LiveFigure<S> {
  figure: FigureModule<Row>;
  /** The records it draws, from each build's state so far. */
  records(builds: readonly S[]): readonly RunRecord[];
  /**
   * The published run drawn faintly behind, on the same frame, from the reference records the harness
   * sends (its scenario's live.reference): as much of it as fits what the builds have reached. Absent: none.
   */
  reference?(published: readonly RunRecord[], builds: readonly S[]): readonly RunRecord[];
}

/** How far a build has got, for the live page's status line. */
export interface LiveProgress {
  /** What it has done, and of how many where the run's parameters say: "read 37 of 96", "3 trial(s)". */
  text: string;
  /** Units still to do at most (the run's parameters less those done); null when unknown or finished. */
  left: number | null;
  /** Time per unit so far, on the run's recorded clock; null before there is a rate. */
  msPerUnit: number | null;
  /** Time still to pass whatever the pace, on the same clock (sql-pool: the planned pauses); absent: none. */
  waitMs?: number;
}

/**
 * How the live page shows a run of the scenario. The harness sends each build's record (at its start
 * and at its end) and, between, the scenario's own updates (P, declared in repro/scenarios/<name>/live.ts);
 * the view folds them into a state per build (S) and draws its figures from the states.
 */
export interface LiveView<R extends RunRecord = RunRecord, P = unknown, S = R> {
  /** A build's state from its record. */
  start(record: R): S;
  /** One update of the build folded in. */
  fold(state: S, update: P): S;
  figures: readonly LiveFigure<S>[];
  /** The build's progress for the status line (src/live/progress.ts adds the time left). */
  progress(state: S): LiveProgress;
  /**
   * The builds run together, their steps interleaved (sql-pool's trials), rather than one after the
   * other: a build ends only once the others have done their share, so the page gives one time left,
   * the run's.
   */
  together?: boolean;
}

/** The home page shows one of these per scenario; each is drawn by its own generic component. */
export type HomeView = 'verdict-table' | 'outcome-summary';

export interface SiteScenario<R extends RunRecord = RunRecord> {
  name: R['scenario'];
  /** What it reproduces, as the bundle and its README name it. */
  title: string;
  /** The home page's finding, for a scenario told in an article: its heading and which view it shows. */
  home?: { heading: string; view: HomeView };
  /** The latest run's verdicts side by side (<VerdictTable>, bundle READMEs). */
  verdictView(all: readonly RunRecord[]): VerdictView | undefined;
  /** Every recorded run, for scenarios whose verdicts race (<VerdictTable history>). */
  historyView?(all: readonly RunRecord[]): VerdictView | undefined;
  /** Outcomes per build at a glance (<OutcomeSummary>); needed when `home` is 'outcome-summary'. */
  outcomeSummary?(all: readonly RunRecord[]): OutcomeSummaryView | undefined;
  /** A measured value for <Stat>, what the latest run lacks for it, or null when not recorded yet; misuse throws (an authoring error). */
  stat(all: readonly RunRecord[], query: StatQuery): StatValue;
  /** Its reproduction bundle, and the short rerun the bundle's README offers from the published run; none for the catalogue, whose evidence is the matrix. */
  bundle?: BundleSpec<R> & { quickLook(all: readonly RunRecord[]): QuickLook | undefined };
  /** How many measurements a record holds, for the provenance panel. */
  sampleCount(record: R): number;
  /** Its columns in the version matrix (/affected/). */
  failures: readonly Failure[];
  figures: readonly FigureModule<Row>[];
  /** The harness's rules for comparing a rerun (quick looks and the quick-protocol check use them). */
  compareRules: CompareRules<R>;
  /** The live page of a run (src/live/client.ts): its figures and how it folds the harness's updates. */
  live: LiveView<R, unknown, unknown>;
}
