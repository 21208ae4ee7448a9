// The synthetic run records of tests/fixtures/runs, parsed with the harness's schema, and the
// committed version-matrix records (content/matrix): the records each figure's source gives it.
import { readdirSync, readFileSync } from 'node:fs';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import type { FigureModule, Row } from '../../../src/figures/types.ts';
import { npmVersionOf } from '../../../src/lib/version-matrix.ts';

function readDir(dir: URL): RunRecord[] {
  return (
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      // content/matrix/published.json is the matrix's build list, not a record (repro/core/published.ts).
      .filter((f) => f.endsWith('.json') && f !== 'published.json')
      .sort()
      .map((f) => RunRecord.parse(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))))
  );
}

export const fixtureRecords: RunRecord[] = readDir(new URL('../../fixtures/runs/', import.meta.url));

/**
 * Real records: the matrix figure is checked against what the site publishes. Those started by
 * MATRIX_CUTOFF only (the matrix as first committed with its figure), so that recording more builds,
 * which only adds files, does not move the figure's snapshots.
 */
const MATRIX_CUTOFF = '2026-11-26T17:43:22.229Z';
const allMatrixRecords: RunRecord[] = readDir(new URL('../../../content/matrix/', import.meta.url));
export const matrixRecords: RunRecord[] = allMatrixRecords.filter((r) => r.startedAt <= MATRIX_CUTOFF);

/**
 * A failure's own figure draws every record of the builds the matrix had at its cutoff, whenever it
 * was made: a failure that joined later has its records too, and a build published later does not
 * move any snapshot.
 */
const cutoffBuilds = new Set(matrixRecords.map(npmVersionOf));
const failureRecords: RunRecord[] = allMatrixRecords.filter((r) => cutoffBuilds.has(npmVersionOf(r)));

/** The records of a figure's source: the fixture runs, or the matrix records (the version matrix's, or a failure's own figure's). */
export function fixtureFor(figure: Pick<FigureModule<Row>, 'source' | 'id'>): RunRecord[] {
  if (figure.source !== 'matrix') return fixtureRecords;
  return figure.id === 'version-matrix' ? matrixRecords : failureRecords;
}
