// The only list of figures. Pages, download endpoints and tests all look figures up here.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { latestRun } from '../lib/runs.ts';
import { drawnRecords } from '../lib/version-matrix.ts';
import { s3Rss } from './s3-rss.ts';
import { s3RssFirstReads } from './s3-rss-first-reads.ts';
import { sqlTimeline } from './sql-timeline.ts';
import { sqlVerdicts } from './sql-verdicts.ts';
import type { FigureModule, FigureSource, Row } from './types.ts';
import { versionMatrixFigure } from './version-matrix.ts';

export const figures = [s3Rss, s3RssFirstReads, sqlVerdicts, sqlTimeline, versionMatrixFigure] as unknown as readonly FigureModule<Row>[];

export const figureIds = figures.map((f) => f.id);

export function getFigure(id: string): FigureModule<Row> {
  const figure = figures.find((f) => f.id === id);
  if (!figure) throw new Error(`Unknown figure id "${id}"; known: ${figureIds.join(', ')}.`);
  return figure;
}

export function figureSource(figure: Pick<FigureModule<Row>, 'source'>): FigureSource {
  return figure.source ?? 'runs';
}

/** What a figure waits for before it can be drawn: "the s3-leak scenario", "the version matrix". */
export function sourceName(figure: FigureModule<Row>): string {
  return figure.source === 'matrix' ? 'the version matrix' : `the ${figure.scenario} scenario`;
}

/**
 * The records a figure is drawn from, out of every record of its source (the site's `runs` or
 * `matrix` collection, content.ts sourceRecords): the latest run of its scenario, or the matrix
 * records its cells read. Empty when none yet.
 */
export function figureData(figure: FigureModule<Row>, all: readonly RunRecord[]) {
  const records = figure.source === 'matrix' ? drawnRecords(all) : latestRun(all, figure.scenario);
  return { records, rows: figure.select(records) };
}
