// The list of figures. Pages, download endpoints and tests all look figures up here.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { latestRun } from '../lib/runs.ts';
import { drawnRecords, FAILURES } from '../lib/version-matrix.ts';
import { failureFigure } from './failure-figure.ts';
import { scenarios } from '../scenarios/registry.ts';
import { figureSource, sourceName } from './source.ts';
import type { FigureModule, Row } from './types.ts';
import { ledgerFigure } from './ledger-figure.ts';
import { versionMatrixFigure } from './version-matrix.ts';

// Each scenario lists its figures (src/scenarios/<scenario>/), in the order they are numbered; then
// the version matrix, drawn from every scenario's matrix records, the ledger drawn from the same
// records (the home page's), and each failure's own (its page's).
export const figures: readonly FigureModule<Row>[] = [
  ...scenarios.flatMap((s) => s.figures),
  versionMatrixFigure,
  ledgerFigure,
  ...FAILURES.map((f) => failureFigure(f)),
];

export const figureIds = figures.map((f) => f.id);

export function getFigure(id: string): FigureModule<Row> {
  const figure = figures.find((f) => f.id === id);
  if (!figure) throw new Error(`Unknown figure id "${id}"; known: ${figureIds.join(', ')}.`);
  return figure;
}

/**
 * The records a figure is drawn from, out of every record of its source (the site's `runs` or
 * `matrix` collection, content.ts sourceRecords): the latest run of its scenario, or the matrix
 * records its cells read. Empty when none yet.
 */
export function figureData(figure: FigureModule<Row>, all: readonly RunRecord[]) {
  const records = figure.source === 'matrix' ? drawnRecords(all, figure.failures) : latestRun(all, figure.scenario);
  return { records, rows: figure.select(records) };
}

/** What the figure shows, in one sentence from its rows; before any record, its title. */
export function figureHeadline(figure: FigureModule<Row>, rows: readonly Row[]): string {
  return rows.length > 0 ? figure.headline(rows) : figure.title;
}

export { figureSource, sourceName };
