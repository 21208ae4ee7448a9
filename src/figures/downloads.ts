// The bodies of a figure's downloads (/figures/<id>.svg|png|csv|csv-metadata.json|json), shared by
// the endpoints and the tests. SVG and PNG stand alone in the export frame (export-frame.ts); the CSV
// names its units and has a CSV-W data dictionary beside it (csv-columns.ts); the JSON carries the
// whole records behind the figure, provenance included, one compact line per record. Each takes
// every record of the figure's source (registry.ts figureData picks those drawn).
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { toCsv } from '../lib/csv.ts';
import { formatBytes } from '../lib/format.ts';
import type { FigureHome } from '../lib/figure-home.ts';
import { figureProvenance, provenanceLabel } from '../lib/provenance.ts';
import { dataDate } from '../lib/runs.ts';
import { SITE_AUTHOR, SITE_LICENSE, SITE_TITLE } from '../lib/site.ts';
import { csvColumns, csvRows } from './csv-columns.ts';
import { exportFrame, frameText, type FramedFigure } from './export-frame.ts';
import { svgToPng } from './png.ts';
import { figureData, figureSource, getFigure } from './registry.ts';
import { renderFigure } from './render.ts';
import type { FigureModule, Row } from './types.ts';

export const DOWNLOAD_TYPES = {
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
  csv: 'text/csv; charset=utf-8',
  'csv-metadata.json': 'application/csvm+json; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;
export type DownloadExt = keyof typeof DOWNLOAD_TYPES;

export interface DownloadLink {
  ext: DownloadExt;
  href: string;
  label: string;
  /** The chart as a picture, or the data behind it (rows, their dictionary, the whole run records). */
  kind: 'image' | 'data';
}

/**
 * The links under a figure: the chart as SVG and PNG, then its data, the CSV and the run records
 * as JSON each with its size (`sizes`, from downloadSizes): the records of the version matrix are
 * megabytes, and a reader should know before the click.
 */
export function downloadLinks(id: string, sizes?: { csv: number; json: number }): DownloadLink[] {
  const sized = (text: string, bytes: number | undefined) =>
    bytes === undefined ? text : `${text}, ${formatBytes(bytes)}`;
  const label: Record<DownloadExt, string> = {
    svg: 'SVG',
    png: 'PNG',
    csv: sized('CSV', sizes?.csv),
    'csv-metadata.json': 'CSV data dictionary',
    json: sized('run records as JSON', sizes?.json),
  };
  return (['svg', 'png', 'csv', 'csv-metadata.json', 'json'] as const).map((ext) => ({
    ext,
    href: `/figures/${id}.${ext}`,
    label: label[ext],
    kind: ext === 'svg' || ext === 'png' ? 'image' : 'data',
  }));
}

/** The bytes of a figure's CSV and JSON downloads, as the endpoints serve them. */
export function downloadSizes(id: string, all: readonly RunRecord[], home?: FigureHome): { csv: number; json: number } {
  const bytes = (ext: 'csv' | 'json') => Buffer.byteLength(figureDownload(id, ext, all, home) as string);
  return { csv: bytes('csv'), json: bytes('json') };
}

const SPDX_URL = `https://spdx.org/licenses/${SITE_LICENSE.spdx}.html`;

/** The chart in its export frame, as the SVG and PNG downloads draw it. */
function framedFigure(
  figure: FigureModule<Row>,
  records: readonly RunRecord[],
  rows: readonly Row[],
  home?: FigureHome,
): FramedFigure {
  const summary = figure.summary(rows);
  return exportFrame(renderFigure(figure, rows, summary), frameText(figure, records, rows, home?.url), summary);
}

export function figureDownload(
  id: string,
  ext: DownloadExt,
  all: readonly RunRecord[],
  home?: FigureHome,
): string | Uint8Array {
  const figure = getFigure(id);
  const { records, rows } = figureData(figure, all);
  switch (ext) {
    case 'svg':
      return `<?xml version="1.0" encoding="UTF-8"?>\n${framedFigure(figure, records, rows, home).svg}\n`;
    case 'png':
      return svgToPng(framedFigure(figure, records, rows, home).svg);
    case 'csv':
      return rows.length > 0 ? toCsv(csvRows(figure, rows)) : '';
    case 'csv-metadata.json':
      return JSON.stringify(csvMetadata(figure, records, home), null, 2) + '\n';
    case 'json':
      return figureJson(figure, records, rows, home);
  }
}

/** CSV on the Web (W3C) metadata: what each column holds and in which unit. */
export function csvMetadata(figure: FigureModule<Row>, records: readonly RunRecord[], home?: FigureHome) {
  const provenance = figureProvenance(figureSource(figure), records);
  return {
    '@context': 'http://www.w3.org/ns/csvw',
    url: `${figure.id}.csv`,
    'dc:title': `${figure.title} (data)`,
    'dc:description':
      `The rows drawn in the figure "${figure.title}"${home ? `, figure ${home.number} of "${home.page.title}"` : ''}. ` +
      'Empty cells are missing values. The full run records, with exact values, are in the JSON download.',
    'dc:publisher': SITE_TITLE,
    'dc:creator': SITE_AUTHOR,
    'dc:license': { '@id': SPDX_URL },
    ...(home ? { 'dc:source': { '@id': home.url } } : {}),
    ...(provenance ? { 'dc:identifier': provenanceLabel(provenance), 'dc:date': dataDate(records) } : {}),
    dialect: { header: true, lineTerminators: ['\r\n'] },
    tableSchema: {
      columns: csvColumns(figure).map((c) => ({
        name: c.name,
        titles: c.name,
        datatype: c.datatype,
        null: '',
        ...(c.unit ? { 'schema:unitText': c.unit } : {}),
        'dc:description': c.description,
      })),
    },
  };
}

/**
 * The JSON download. The header is indented for reading; each record is one compact line, which
 * keeps every record intact (the test compares them with the committed files) at about half the
 * size of an indented file.
 */
function figureJson(
  figure: FigureModule<Row>,
  records: readonly RunRecord[],
  rows: readonly Row[],
  home?: FigureHome,
): string {
  const header = {
    figure: {
      id: figure.id,
      title: figure.title,
      caption: figure.caption,
      source: figureSource(figure),
      scenario: figure.scenario ?? null,
      url: home?.url ?? null,
      number: home?.number ?? null,
      page: home?.page ?? null,
    },
    licence: { spdx: SITE_LICENSE.spdx, url: SPDX_URL },
    summary: figure.summary(rows),
    dataDate: dataDate(records) ?? null,
    provenance: figureProvenance(figureSource(figure), records) ?? null,
  };
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  const body = records.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `${head},\n  "records": [${records.length ? `\n${body}\n  ` : ''}]\n}\n`;
}
