// What "Is my Bun affected?" shows beyond the matrix itself: where each record is served, and each
// build's anchor.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { recordFileName } from '../../repro/core/record/file-name.ts';
import { anchorOf } from '../../repro/core/builds-index.ts';

/** The address of a matrix record, from its collection id ("<scenario>/<runId>_<version>-<line>"). */
export function matrixRecordHref(id: string): string {
  return `/matrix/${id}.json`;
}

/**
 * A matrix record's collection id, from the record itself: the harness names every record file
 * with recordFileName, and the matrix puts each scenario's in a folder of its own (matrix.ts,
 * matrix-ingest.ts). A matrix run is one build, so the name never needs the "-2" a second build
 * of one run would get. Lets a pure function (a download) link its records.
 */
export function matrixRecordId(record: RunRecord): string {
  return `${record.scenario}/${recordFileName(record).replace(/\.json$/, '')}`;
}

/** The anchor of a build's row: `#v1.3.11`, citable. */
export function versionAnchor(npmVersion: string): string {
  return anchorOf(npmVersion);
}
