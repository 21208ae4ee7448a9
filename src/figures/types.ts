// The shape every figure module has. A figure is pure: records in, rows out, Plot options out,
// text out. Only render.ts touches a DOM.
import type { PlotOptions } from '@observablehq/plot';
import type { RunRecord, ScenarioName } from '../../repro/harness/record/schema.ts';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface TableView {
  columns: { label: string; numeric: boolean }[];
  rows: string[][];
  /** Shown under the table when it holds fewer rows than the data: which rows it kept, and where the rest are. */
  note?: string;
}

/** A point a tooltip can sit on, in data coordinates of the figure's x and y scales. */
export interface TipPoint {
  x: number;
  y: number;
  text: string;
}

export interface FigureModule<R extends Row = Row> {
  id: string;
  /** The scenario whose latest run feeds the figure. */
  scenario: ScenarioName;
  title: string;
  caption: string;
  /** Records of one run (one per build) → the rows drawn, tabulated and downloaded as CSV. */
  select(records: readonly RunRecord[]): R[];
  spec(rows: readonly R[]): PlotOptions;
  /** One paragraph, generated from the rows, for readers who cannot see the chart. */
  summary(rows: readonly R[]): string;
  table(rows: readonly R[]): TableView;
  /** Present only on figures that have pointer tooltips. */
  tips?(rows: readonly R[]): TipPoint[];
}
