// Figure s3-upload-rise: the peak anonymous-memory rise of each upload against its payload size,
// per build of the latest s3-upload run. A dot per Bun.write(s3file, Bun.file()) upload, a line
// through each build's medians, the fetch() control as crosses, and the line y = x: a rise on it is
// a whole copy of the payload held in memory ("buffers everything"). Builds are named at the line's end.
// The Plot spec, legend and text, over the rows s3-upload-rise-rows.ts prepares.
import * as Plot from '@observablehq/plot';
import { lineHeight, type Layout } from '../../../figures/layout.ts';
import { textWidth } from '../../../figures/text-width.ts';
import { buildColors } from '../../../figures/palette.ts';
import type { FigureModule, LegendItem, TableView } from '../../../figures/types.ts';
import { bytesToMiB, formatInt, listOf } from '../../../lib/format.ts';
import {
  buildsOf,
  controlsOf,
  lineEnds,
  mediansOf,
  payloadMiB,
  selectUploadRise,
  sizesOf,
  uploadRiseColumns,
  writesOf,
  type UploadRiseRow,
} from './s3-upload-rise-rows.ts';

const shortName = (build: string) => build.replace(/ \(.*\)$/, '');

function uploadRiseSpec(rows: readonly UploadRiseRow[], layout: Layout): Plot.PlotOptions {
  const sizes = sizesOf(rows);
  const xMax = Math.max(...sizes);
  const builds = buildsOf(rows);
  const colours = buildColors(builds);
  const labelWidth = Math.max(
    ...builds.map((b) => textWidth(layout.narrow ? shortName(b.build) : b.build, layout.fontSize)),
  );
  const marginLeft = Math.ceil(textWidth('1,000', layout.fontSize)) + 12;
  const marginRight = Math.ceil(labelWidth) + 14;
  const marginTop = Math.round(layout.fontSize * 2);
  const marginBottom = Math.round(layout.fontSize * 3.4);
  const height = layout.narrow ? 300 : 380;
  const highest = Math.max(xMax, ...rows.map((r) => (r.riseBytes === null ? 0 : bytesToMiB(r.riseBytes))));
  const yMax = highest * 1.08;
  const pxPerMiB = (height - marginTop - marginBottom) / yMax;
  const labels = lineEnds(rows, lineHeight(layout.fontSize) / pxPerMiB, xMax).map((e) => ({
    ...e,
    text: layout.narrow ? shortName(e.build) : e.build,
  }));
  const reference = [
    { x: 0, y: 0 },
    { x: xMax, y: xMax },
  ];
  const referenceText = layout.narrow ? 'rise = payload' : 'rise = payload (the whole file held)';
  return {
    width: layout.width,
    height,
    marginLeft,
    marginRight,
    marginTop,
    marginBottom,
    x: {
      label: layout.narrow ? 'Payload (MiB) →' : 'Payload uploaded (MiB) →',
      labelOffset: marginBottom - 4,
      domain: [0, xMax],
      ticks: [0, ...sizes],
      tickFormat: (d: number) => formatInt(d),
    },
    y: {
      label: '↑ Peak RssAnon rise (MiB)',
      grid: true,
      domain: [0, yMax],
      ticks: Math.max(3, Math.floor((height - marginTop - marginBottom) / 45)),
    },
    color: { domain: [...colours.keys()], range: [...colours.values()] },
    marks: [
      Plot.ruleY([0]),
      Plot.line(reference, { x: 'x', y: 'y', strokeDasharray: '6,4', strokeOpacity: 0.8 }),
      Plot.text([reference[1]!], {
        x: 'x',
        y: 'y',
        text: () => referenceText,
        textAnchor: 'end',
        lineAnchor: 'bottom',
        dx: -4,
        dy: -6,
      }),
      Plot.line(mediansOf(rows), { x: 'payloadMiB', y: 'riseMiB', z: 'build', stroke: 'build', strokeWidth: 2 }),
      Plot.dot(writesOf(rows), {
        x: payloadMiB,
        y: (d: UploadRiseRow) => bytesToMiB(d.riseBytes!),
        stroke: 'build',
        r: 4,
        strokeWidth: 1.5,
      }),
      Plot.dot(controlsOf(rows), {
        x: payloadMiB,
        y: (d: UploadRiseRow) => bytesToMiB(d.riseBytes!),
        stroke: 'build',
        symbol: 'times',
        r: 4,
      }),
      Plot.text(labels, { x: 'payloadMiB', y: 'y', text: 'text', fill: 'build', textAnchor: 'start', dx: 8 }),
    ],
  };
}

function uploadRiseLegend(rows: readonly UploadRiseRow[], layout: Layout): LegendItem[] {
  const colours = buildColors(buildsOf(rows));
  const n = layout.narrow;
  return [
    ...[...colours].map(([label, color]): LegendItem => ({ label, swatch: 'rect', color })),
    {
      label: n ? 's3-write upload' : 'one Bun.write(s3file, Bun.file()) upload',
      swatch: 'ring',
      color: 'currentColor',
    },
    { label: n ? 'median' : 'median per payload', swatch: 'line', color: 'currentColor' },
    { label: n ? 'fetch() control' : 'fetch() control, same file', swatch: 'cross', color: 'currentColor' },
    { label: n ? 'rise = payload' : 'rise = payload', swatch: 'dash', color: 'currentColor' },
  ];
}

const mibText = (bytes: number) => `${bytes < 0 ? '−' : '+'}${Math.abs(bytesToMiB(bytes)).toFixed(0)} MiB`;

/** Each build's verdict with its rise at the largest payload, in one sentence: the headline. */
function uploadRiseHeadline(rows: readonly UploadRiseRow[]): string {
  const medians = mediansOf(rows);
  const parts = buildsOf(rows).map((b) => {
    const last = medians.filter((x) => x.build === b.build).at(-1);
    if (!last) return `${b.build}: no upload counted`;
    const at = `${mibText(last.riseMiB * 1024 * 1024)} for a ${formatInt(last.payloadMiB)} MiB file`;
    const words: Record<string, string> = {
      'buffers-payload': 'holds the payload in memory',
      streams: 'streams it',
      inconclusive: 'is inconclusive',
    };
    return `${b.build} ${words[b.verdict] ?? b.verdict} (${at})`;
  });
  return `In an S3 upload, ${parts.join('; ')}.`;
}

function uploadRiseSummary(rows: readonly UploadRiseRow[]): string {
  if (rows.length === 0) return 'No recorded run yet.';
  const medians = mediansOf(rows);
  const sentences = buildsOf(rows).map((b) => {
    const m = medians.filter((x) => x.build === b.build);
    const rises = listOf(m.map((x) => `${mibText(x.riseMiB * 1024 * 1024)} at ${formatInt(x.payloadMiB)} MiB`));
    const last = m.at(-1);
    const ratio = last ? ` (${(last.riseMiB / last.payloadMiB).toFixed(2)} × the larger payload)` : '';
    const words: Record<string, string> = {
      'buffers-payload': 'it holds the payload in memory',
      streams: 'it streams: the rise does not grow with the payload',
      inconclusive: 'neither rule holds: inconclusive',
    };
    const verdict = words[b.verdict] ?? b.verdict;
    return m.length
      ? `${b.build}: a median peak anonymous-memory rise of ${rises}${ratio}; ${verdict}`
      : `${b.build}: no upload counted (${b.verdict})`;
  });
  const control = controlsOf(rows);
  const controlText = control.length
    ? ` The fetch() control with the same file rose by at most ${mibText(Math.max(...control.map((r) => r.riseBytes!)))} on every build.`
    : '';
  const uncounted = rows.filter((r) => !r.counted);
  const uncountedText = uncounted.length
    ? ` ${uncounted.length} upload(s) are not drawn: ${listOf(uncounted.map((r) => `${r.build} ${r.method} ${formatInt(payloadMiB(r))} MiB ${r.outcome}`))}.`
    : '';
  return `${sentences.join('. ')}.${controlText}${uncountedText}`;
}

function uploadRiseTable(rows: readonly UploadRiseRow[]): TableView {
  const m = (v: number | null) => (v === null ? '' : bytesToMiB(v).toFixed(1));
  return {
    columns: [
      { label: 'Build', numeric: false },
      { label: 'Method', numeric: false },
      { label: 'Payload (MiB)', numeric: true },
      { label: 'Upload', numeric: true },
      { label: 'Outcome', numeric: false },
      { label: 'Peak RssAnon rise (MiB)', numeric: true },
    ],
    rows: rows.map((r) => [
      r.build,
      r.method,
      formatInt(payloadMiB(r)),
      String(r.repetition),
      r.outcome,
      m(r.riseBytes),
    ]),
  };
}

function uploadRiseSummaryTable(rows: readonly UploadRiseRow[]): TableView {
  const sizes = sizesOf(rows);
  return {
    columns: [
      { label: 'Build', numeric: false },
      { label: 'Verdict', numeric: false },
      ...sizes.map((s) => ({ label: `Rise at ${formatInt(s)} MiB (MiB)`, numeric: true })),
      { label: 'fetch() control, highest (MiB)', numeric: true },
    ],
    rows: buildsOf(rows).map((b) => {
      const writes = writesOf(rows).filter((r) => r.build === b.build);
      const control = controlsOf(rows).filter((r) => r.build === b.build);
      return [
        b.build,
        b.verdict,
        ...sizes.map((s) => {
          const at = writes.filter((r) => payloadMiB(r) === s).map((r) => bytesToMiB(r.riseBytes!));
          return at.length
            ? `${bytesToMiB(writes.find((r) => payloadMiB(r) === s)!.medianRiseBytes!).toFixed(0)} (${Math.min(...at).toFixed(0)} to ${Math.max(...at).toFixed(0)})`
            : '';
        }),
        control.length ? Math.max(...control.map((r) => bytesToMiB(r.riseBytes!))).toFixed(1) : '',
      ];
    }),
    note: 'Median over the repetitions, with the lowest and highest in brackets; every upload is on the data page and in the CSV.',
  };
}

export const s3UploadRise: FigureModule<UploadRiseRow> = {
  id: 's3-upload-rise',
  exportSubtitle: 'Peak RssAnon rise (MiB) during one S3 upload, by payload size (MiB)',
  csvColumns: uploadRiseColumns,
  scenario: 's3-upload',
  title: 'Memory an S3 upload takes, by payload size and Bun build',
  caption: 'On the dashed line, an upload holds the whole file in memory.',
  notes:
    'Each circle is one upload of a file of random bytes with Bun.write(s3file, Bun.file(path)), in a fresh process, to an embedded S3 server; ' +
    'its height is the highest anonymous resident memory (RssAnon) the harness read from /proc from outside the process during the upload, minus the level ' +
    "just before it. The solid line joins each build's medians. Crosses: the control, fetch() of a presigned PUT URL with the same Bun.file as body. " +
    'The dashed line is rise = payload: an upload on it holds a copy of the whole file. A build buffers the payload when its median rise at 256 MiB or more ' +
    'is at least the payload and grows by at least 0.5 MiB per MiB between the sizes; it streams when every rise stays under 160 MiB and the slope under 0.25.',
  select: selectUploadRise,
  spec: uploadRiseSpec,
  legend: uploadRiseLegend,
  headline: uploadRiseHeadline,
  summary: uploadRiseSummary,
  table: uploadRiseTable,
  summaryTable: uploadRiseSummaryTable,
};
