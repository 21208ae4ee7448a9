// A failure of the version matrix (/affected/): one column, whose cells say whether a build has it.
// Each scenario lists the failures it measures (src/scenarios/<scenario>/); version-matrix.ts
// gathers them.
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import type { FailureKind } from '../../repro/core/failure.ts';
import type { RecordOf } from './runs.ts';

export type { CellStatus } from '../../repro/core/builds-index.ts';
import type { CellStatus } from '../../repro/core/builds-index.ts';

export interface Cell {
  status: CellStatus;
  /** What the record says, with counts, e.g. "crossed 900 MiB at read 95" or "hangs 5/5 (57–100 %)". */
  text: string;
  /** The record behind the cell: its run id and file label, to link and cite. */
  runId: string | null;
  /** The mechanism behind the state, as the record measured it, where the failure records one (e.g. the sockets' keepalive). */
  why?: string;
  /** The failure's key figure on this build (Failure.keyFigure), for the per-build chart; null when not measured. */
  figure: number | null;
}

export interface Failure {
  id: string;
  title: string;
  /** What "affected" means, in one line, for the column's header and the table's caption. */
  definition: string;
  /** The column heading in the matrix figure, two short lines each: wide, and on a phone. */
  heading: { wide: string; narrow: string };
  kind: FailureKind;
  /** The Bun issue it was reported in, and what the report says (not what was measured); null when it has none. */
  issue: { number: number; title: string; reported: string } | null;
  /** The fix's pull request, as last seen. */
  fix: { pr: number; status: 'merged' | 'open' | 'closed'; note: string } | null;
  /** The figure each build is judged by, drawn per build on the failure's page; `threshold`: the rule's line on it. */
  keyFigure: { label: string; unit: string; threshold?: number };
  /** The program Bun runs, as a path from the project's root, shown on the failure's page. */
  probe: string;
  /** The command that measures one build (`<version>` stands for it), as the matrix runs it. */
  rerun: string;
  /** The article that tells it in depth, by its id; none for a catalogue failure. */
  article?: string;
  /** For its page: what the failure is, and why the rule's threshold is where it is (a catalogue failure's folder says both). */
  about?: { summary: string; reason: string };
  cell(records: readonly RunRecord[]): Cell;
}

/** The cell of a build with no complete record of the failure's scenario. */
export const notRun: Cell = { status: 'not-run', text: 'not recorded yet', runId: null, figure: null };

/** The build's complete record of `scenario`, if it has one (a cell reads nothing else). */
export function completeRecord<S extends ScenarioName>(
  records: readonly RunRecord[],
  scenario: S,
  also: (r: RecordOf<S>) => boolean = () => true,
): RecordOf<S> | undefined {
  return records.find(
    (x): x is RecordOf<S> => x.scenario === scenario && x.status === 'complete' && also(x as RecordOf<S>),
  );
}

/** A kind as a page names it. */
export const KIND_WORD: Record<FailureKind, string> = {
  leak: 'memory never returned',
  memory: 'memory held while it works',
  hang: 'a hang',
  'wrong-result': 'a wrong result',
  crash: 'a crash',
};
