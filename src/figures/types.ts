// The shape every figure module has. A figure is pure: records in, rows out, Plot options out,
// text out. Only render.ts touches a DOM.
import type { PlotOptions } from '@observablehq/plot';
import type { RunRecord, ScenarioName } from '../../repro/core/record/schema.ts';
import type { CsvColumn } from './csv-columns.ts';
import type { Layout } from './layout.ts';
import type { Failure } from '../lib/failure.ts';

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

/** One entry of a legend drawn above the chart: a mark's look and what it means. */
export interface LegendItem {
  label: string;
  swatch: 'line' | 'dash' | 'longdash' | 'dot' | 'circle' | 'ring' | 'rect' | 'hatch' | 'tick' | 'diamond' | 'cross';
  color: string;
}

/**
 * Where a figure's records come from. 'runs' (the default): the latest run of one scenario
 * (content/runs), one record per build. 'matrix': the version matrix (content/matrix), many runs
 * of many builds, of which the figure draws each build's newest complete record per scenario.
 */
export type FigureSource = 'runs' | 'matrix';

type Sourced =
  | {
      source?: 'runs';
      /** The scenario whose latest run feeds the figure. */
      scenario: ScenarioName;
    }
  | {
      source: 'matrix';
      scenario?: undefined;
      /** The failures whose cells it draws, when not all: its records (provenance, JSON download) are theirs alone. */
      failures?: readonly Failure[];
    };

/**
 * A figure typed by its own rows. Lists (registry.ts, each scenario's) hold them as FigureModule<Row>
 * without a cast: the row-taking members below are methods, which TypeScript checks bivariantly, and
 * a figure is only ever handed the rows its own `select` returned (registry.ts figureData, the live
 * page). Declaring them as arrow-typed properties would make every such list need a cast again.
 */
export type FigureModule<R extends Row = Row> = FigureCore<R> & Sourced;

interface FigureCore<R extends Row> {
  id: string;
  title: string;
  /**
   * One line under the title of a downloaded SVG or PNG, saying what is measured and in which unit:
   * the export frame's, since a chart pasted alone into a review has no caption beside it.
   */
  exportSubtitle: string;
  /** The CSV download's columns, one per row field (csv-columns.ts): a field without one stops the build. */
  csvColumns: readonly CsvColumn[];
  /** The essentials, read before the chart: a few lines on a phone. */
  caption: string;
  /** The detail (how to read every mark, what was measured how), shown below the chart. */
  notes: string;
  /** The records of its source (one run, or the matrix's) → the rows drawn, tabulated and downloaded as CSV. */
  select(records: readonly RunRecord[]): R[];
  /** Plot options for one layout (layout.ts); the same rows give every layout. */
  spec(rows: readonly R[], layout: Layout): PlotOptions;
  /**
   * The layouts it is drawn at, when not every one (layout.ts). A figure drawn at one layout only is
   * shown at that width and scrolls sideways where the page is narrower: for a chart whose marks are
   * hundreds of links, a second drawing would double the page's weight and its accessible text.
   */
  layouts?: readonly Layout[];
  /** The legend drawn above the chart, for marks that their labels do not explain. */
  legend?(rows: readonly R[], layout: Layout): LegendItem[];
  /**
   * The takeaway in one sentence, generated from the rows (never empty rows: figureHeadline falls
   * back to the title): the page's caption after "Figure N." and the title of the SVG and PNG
   * downloads, so a chart pasted alone says what the page says.
   */
  headline(rows: readonly R[]): string;
  /** One paragraph, generated from the rows, for readers who cannot see the chart. */
  summary(rows: readonly R[]): string;
  /** Every row, as the figure's data page (/figures/<id>/data/) shows it. */
  table(rows: readonly R[]): TableView;
  /** A short table for the article, where the full one is too long to sit beside the chart. */
  summaryTable?(rows: readonly R[]): TableView;
  /** Present only on figures that have pointer tooltips. */
  tips?(rows: readonly R[]): TipPoint[];
}
