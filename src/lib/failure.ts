// A failure of the version matrix (/affected/): one column, whose cells say whether a build has it.
// Each scenario lists the failures it measures (src/scenarios/<scenario>/); version-matrix.ts
// gathers them.
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import type { RecordOf } from './runs.ts';

export type CellStatus = 'affected' | 'not-affected' | 'inconclusive' | 'not-run';

export interface Cell {
  status: CellStatus;
  /** What the record says, with counts, e.g. "crossed 900 MiB at read 95" or "hangs 5/5 (57–100 %)". */
  text: string;
  /** The record behind the cell: its run id and file label, to link and cite. */
  runId: string | null;
  /** The mechanism behind the state, as the record measured it, where the failure records one (e.g. the sockets' keepalive). */
  why?: string;
}

export interface Failure {
  id: string;
  title: string;
  /** What "affected" means, in one line, for the column's header and the table's caption. */
  definition: string;
  /** The column heading in the matrix figure, two short lines each: wide, and on a phone. */
  heading: { wide: string; narrow: string };
  cell(records: readonly RunRecord[]): Cell;
}

/** The cell of a build with no complete record of the failure's scenario. */
export const notRun: Cell = { status: 'not-run', text: 'not recorded yet', runId: null };

/** The build's complete record of `scenario`, if it has one (a cell reads nothing else). */
export function completeRecord<S extends ScenarioName>(records: readonly RunRecord[], scenario: S, also: (r: RecordOf<S>) => boolean = () => true): RecordOf<S> | undefined {
  return records.find((x): x is RecordOf<S> => x.scenario === scenario && x.status === 'complete' && also(x as RecordOf<S>));
}
