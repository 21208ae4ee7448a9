// The list of figures. Pages, download endpoints and tests all look figures up here.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { latestRun } from '../lib/runs.ts';
import { scenarios } from '../scenarios/registry.ts';
import type { FigureModule, Row } from './types.ts';

// Each scenario lists its figures (src/scenarios/<scenario>/), in the order they are numbered.
export const figures: readonly FigureModule<Row>[] = scenarios.flatMap((s) => s.figures);

export const figureIds = figures.map((f) => f.id);

export function getFigure(id: string): FigureModule<Row> {
  const figure = figures.find((f) => f.id === id);
  if (!figure) throw new Error(`Unknown figure id "${id}"; known: ${figureIds.join(', ')}.`);
  return figure;
}

/** The records a figure is drawn from: the latest run of its scenario (empty when none yet). */
export function figureData(figure: FigureModule<Row>, all: readonly RunRecord[]) {
  const records = latestRun(all, figure.scenario);
  return { records, rows: figure.select(records) };
}
