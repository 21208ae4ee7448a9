// The views the generic verdict components draw (<VerdictTable>, <OutcomeSummary>): plain data that
// each scenario computes from its records (src/scenarios/<scenario>/), so the components know no
// scenario.

/** Prefixes a hung trial's verdict wherever verdicts are tabulated. */
export const HANG_MARK = '⚠';

/** A table: first column the row heading. A cell containing HANG_MARK is styled as a hang. */
export interface VerdictView {
  caption: string;
  header: string[];
  rows: string[][];
}

/** Items (e.g. trials) per outcome and build: which outcome dominated how often, at a glance. */
export interface OutcomeSummaryView {
  caption: string;
  /** The column counting every item of a build, e.g. "Trials". */
  itemsLabel: string;
  /** The outcome columns that occur, in reading order; an alarming one names its items and is marked. */
  columns: { label: string; alarm: boolean }[];
  /** Per build, per column, the items in it. */
  builds: { build: string; items: number; cells: string[][] }[];
  /** The sentence under the table: text, then items as code, then text; `items` empty → `none` alone. */
  note: { before: string; items: string[]; after: string; none: string };
}
