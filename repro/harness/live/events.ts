// What the live page (--live, --replay) receives, one server-sent event each. The harness and the
// replay publish these; the page's script (client.js, built from src/live/client.ts) folds them back
// into run records and draws them with the site's own figure modules.
import type { CompareVerdict } from '../compare/report.ts';
import type { RunRecord, S3Sample, ScenarioName, SqlTrial } from '../record/schema.ts';

/** What a scenario reports while it runs (ScenarioContext.live), before the records are written. */
export type LiveUpdate =
  /**
   * A build's record so far (status `partial`): at a build's start (s3-leak: no samples yet; sql-pool:
   * no trials yet), after each s3-leak build, and the final one at the end.
   */
  | { type: 'record'; index: number; record: RunRecord }
  /** s3-leak: one probe sample of build `index`, appended to its record. */
  | { type: 'sample'; index: number; sample: S3Sample }
  /**
   * sql-pool: trial `position` of build `index`, finished (`done`: it joins the record's trials) or in
   * progress (its repetitions so far). Trials travel one by one: a record resent whole after each
   * repetition would send a long run's megabytes hundreds of times.
   */
  | { type: 'trial'; index: number; position: number; trial: SqlTrial; done: boolean };

export interface LiveCompare {
  verdict: CompareVerdict;
  /** The published run compared with, or null when there was none. */
  reference: string | null;
  rows: { build: string; item: string; published: string; yours: string; verdict: CompareVerdict; rule: string }[];
  counts: { reproduced: number; differs: number; notComparable: number };
}

export type LiveEvent =
  | {
      type: 'hello';
      mode: 'live' | 'replay';
      scenario: ScenarioName;
      /** Replay only: how many times faster than recorded. */
      speed: number | null;
      /** The published run drawn faintly behind (s3-leak; probe samples only), or [] */
      reference: RunRecord[];
      referenceRunId: string | null;
    }
  | LiveUpdate
  | {
      type: 'end';
      status: 'complete' | 'interrupted' | 'failed';
      /** One line: how the run ended. */
      message: string;
      /** The records on disk, each served by the live server at `href`. */
      records: { label: string; file: string; href: string }[];
      compare: LiveCompare | null;
    };
