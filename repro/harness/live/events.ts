// What the live page (--live, --replay) receives, one server-sent event each. The harness and the
// replay publish these; the page's script (client.js, built from src/live/client.ts) folds them back
// into run records and draws them with the site's own figure modules.
import type { CompareVerdict } from '../../core/compare/report.ts';
import type { RunRecord, ScenarioName } from '../../core/record/schema.ts';

/**
 * What a scenario reports while it runs (ScenarioContext.live), before the records are written. Its
 * updates carry what the scenario's live.ts says (P); the page folds them with the scenario's own fold
 * (src/scenarios/<name>/live.ts). The harness passes them through without reading them.
 */
export type LiveUpdate<P = unknown> =
  /** A build's record: so far (status `partial`, at the build's start) or whole (at its end, and at the run's end). */
  | { type: 'record'; index: number; record: RunRecord }
  /** Something build `index` measured since (a probe sample, a trial, an upload: the scenario's own). */
  | { type: 'update'; index: number; payload: P };

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
      /** The published run, as much of it as the page draws faintly behind (the scenario's live.reference), or []. */
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
