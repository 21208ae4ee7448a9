// The bodies of a figure's downloads (/figures/<id>.svg|png|csv|json), shared by the endpoints
// and the tests. The JSON carries the whole records behind the figure, provenance included.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { toCsv } from '../lib/csv.ts';
import { provenanceOf } from '../lib/provenance.ts';
import { dataDate } from '../lib/runs.ts';
import { svgToPng } from './png.ts';
import { figureData, getFigure } from './registry.ts';
import { renderFigure } from './render.ts';

export const DOWNLOAD_TYPES = {
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;
export type DownloadExt = keyof typeof DOWNLOAD_TYPES;

export function figureDownload(id: string, ext: DownloadExt, all: readonly RunRecord[], pageUrl?: string): string | Uint8Array {
  const figure = getFigure(id);
  const { records, rows } = figureData(figure, all);
  switch (ext) {
    case 'svg':
      return `<?xml version="1.0" encoding="UTF-8"?>\n${renderFigure(figure, rows).svg}\n`;
    case 'png':
      return svgToPng(renderFigure(figure, rows).svg);
    case 'csv':
      return rows.length > 0 ? toCsv(rows) : '';
    case 'json':
      return JSON.stringify(
        {
          figure: { id: figure.id, title: figure.title, caption: figure.caption, scenario: figure.scenario, url: pageUrl ?? null },
          summary: figure.summary(rows),
          dataDate: dataDate(records) ?? null,
          provenance: provenanceOf(records) ?? null,
          records,
        },
        null,
        2,
      ) + '\n';
  }
}
