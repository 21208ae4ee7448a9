// Figure failure-<id>: one failure on every recorded build, for its page (/failures/<id>/). One row
// per build in version order (the matrix's), its key figure as a dot in the status's colour and with
// its symbol, and the rule's threshold as a line: a failure entering and leaving reads down the page.
// Drawn from the matrix rows (version-matrix.ts), so the same figure serves a catalogue failure and
// one of a deep scenario.
import * as Plot from '@observablehq/plot';
import type { BunLine, RunRecord } from '../../repro/core/record/schema.ts';
import { formatFigure } from '../../repro/scenarios/catalogue/verdict.ts';
import { formatInt } from '../lib/format.ts';
import { classSentence } from '../lib/ledger.ts';
import {
  bracket,
  statusCounts,
  versionMatrix,
  type BuildRow,
  type CellStatus,
  type ScenarioFailure,
} from '../lib/version-matrix.ts';
import type { CsvColumn } from './csv-columns.ts';
import { textWidth } from './text-width.ts';
import type { FigureModule, LegendItem } from './types.ts';
import { STATUS_LOOK } from './cell-grid.ts';

export interface FailureBuildRow {
  [key: string]: string | number | null;
  npmVersion: string;
  revision: string;
  line: BunLine;
  status: CellStatus;
  /** The failure's key figure on this build, in its unit; null where it was not measured. */
  figure: number | null;
  /** What the record says, with counts. */
  detail: string;
}

const DRAWN: readonly CellStatus[] = ['affected', 'not-affected', 'inconclusive'];

/** A key figure's unit as the end of its CSV column's name (csv-columns.ts: each name ends in its unit). */
const UNIT_SUFFIX: Record<string, string> = { MiB: 'mib', ms: 'ms', '%': 'percent', '×': 'ratio', s: 's' };

/**
 * On a phone, "1.3.14-canary.20260519.1" becomes "1.3.14-c.260519" (the date as yymmdd): with a dozen
 * failure columns, every character of the label column is taken from the cells and their upright headings.
 */
export function shortLabel(npmVersion: string): string {
  return npmVersion.replace(
    /-canary\.\d{2}(\d{6})(?:\.1)?$|-canary\.\d{2}(\d{6}\.\d+)$/,
    (_, day, dayN) => `-c.${day ?? dayN}`,
  );
}

export function failureFigureId(failureId: string): string {
  return `failure-${failureId}`;
}

export function failureFigure(failure: ScenarioFailure): FigureModule<FailureBuildRow> {
  const buildRowsOf = (rows: readonly FailureBuildRow[]): BuildRow[] =>
    rows.map((r) => ({
      npmVersion: r.npmVersion,
      revision: r.revision,
      line: r.line,
      cells: { [failure.id]: { status: r.status, text: r.detail, runId: null, figure: r.figure } },
    }));
  const { label, unit, threshold } = failure.keyFigure;
  const axis = `${label} (${unit})`;
  const Label = `${label[0]!.toUpperCase()}${label.slice(1)}`;
  const columns: CsvColumn[] = [
    {
      field: 'npmVersion',
      name: 'npm_label',
      datatype: 'string',
      description: 'The npm label the build was fetched by (@oven/bun-linux-x64).',
    },
    {
      field: 'revision',
      name: 'revision',
      datatype: 'string',
      description: 'What the binary reports of itself (bun --revision).',
    },
    {
      field: 'line',
      name: 'line',
      datatype: 'string',
      description: 'The implementation line, read from the binary: zig, rust or unknown.',
    },
    {
      field: 'status',
      name: 'status',
      datatype: 'string',
      description: `affected, not-affected, inconclusive or not-run, by the rule: ${failure.definition}.`,
    },
    {
      field: 'figure',
      name: `key_figure_${UNIT_SUFFIX[unit] ?? 'value'}`,
      datatype: 'number',
      unit,
      description: `${label}, ${unit}; empty where not measured.`,
    },
    { field: 'detail', name: 'detail', datatype: 'string', description: 'What the record says, with counts.' },
  ];
  return {
    id: failureFigureId(failure.id),
    source: 'matrix',
    // Its page's provenance and JSON download carry this failure's records, not the whole matrix's.
    failures: [failure],
    title: failure.title,
    exportSubtitle: `Per build, oldest first: ${label}, ${unit}`,
    csvColumns: columns,
    caption: `Per build, oldest first: ${label}.`,
    notes:
      `Each row is a published Linux x64 build, in the order of the version each binary reports, and its dot is ${label.toLowerCase()} ` +
      `(${unit}) from its newest complete record of the failure. ${STATUS_LOOK.affected.mark} affected, ${STATUS_LOOK['not-affected'].mark} not affected, ` +
      `${STATUS_LOOK.inconclusive.mark} inconclusive; a build with nothing measured has no dot. Affected means: ${failure.definition}.` +
      (threshold === undefined ? '' : ` The line marks ${formatFigure(threshold)} ${unit}, the rule's threshold.`),

    select(records: readonly RunRecord[]): FailureBuildRow[] {
      return versionMatrix(records)
        .filter((b) => b.cells[failure.id] && b.cells[failure.id]!.status !== 'not-run')
        .map((b) => {
          const cell = b.cells[failure.id]!;
          return {
            npmVersion: b.npmVersion,
            revision: b.revision,
            line: b.line,
            status: cell.status,
            figure: cell.figure,
            detail: cell.text,
          };
        });
    },

    spec(rows, layout) {
      const { narrow, fontSize } = layout;
      const label = (v: string) => (narrow ? shortLabel(v) : v);
      const marginLeft = Math.ceil(Math.max(60, ...rows.map((r) => textWidth(label(r.npmVersion), fontSize)))) + 10;
      const measured = rows.filter((r) => r.figure !== null);
      const values = [...measured.map((r) => r.figure!), ...(threshold === undefined ? [] : [threshold]), 0];
      return {
        width: layout.width,
        height: 56 + rows.length * Math.round(fontSize * 1.6),
        marginLeft,
        marginRight: 16,
        marginTop: 40,
        marginBottom: 0,
        x: {
          domain: [Math.min(...values), Math.max(...values)],
          nice: true,
          axis: 'top',
          label: narrow ? unit : axis,
          grid: true,
          ticks: narrow ? 3 : 6,
        },
        y: { domain: rows.map((r) => r.npmVersion), label: null, tickSize: 0, tickFormat: label },
        color: { domain: DRAWN, range: DRAWN.map((s) => STATUS_LOOK[s].fill) },
        marks: [
          ...(threshold === undefined
            ? []
            : [Plot.ruleX([threshold], { stroke: 'currentColor', strokeDasharray: '4,3', strokeOpacity: 0.7 })]),
          Plot.dot(measured, {
            x: 'figure',
            y: 'npmVersion',
            fill: 'status',
            r: 8,
            stroke: 'currentColor',
            strokeWidth: 0.5,
            title: (r: FailureBuildRow) => tip(r),
          }),
          Plot.text(measured, {
            x: 'figure',
            y: 'npmVersion',
            text: (r: FailureBuildRow) => STATUS_LOOK[r.status].mark,
            fill: (r: FailureBuildRow) => STATUS_LOOK[r.status].ink,
            fontSize,
            fontWeight: 700,
          }),
        ],
      };
    },

    legend(rows): LegendItem[] {
      return DRAWN.filter((s) => rows.some((r) => r.status === s && r.figure !== null)).map((s) => ({
        label: `${STATUS_LOOK[s].mark} ${STATUS_LOOK[s].label}`,
        swatch: 'circle',
        color: STATUS_LOOK[s].fill,
      }));
    },

    headline(rows) {
      // The ledger's own words for this failure, so the figure and the ledger never disagree.
      const sentence = classSentence(buildRowsOf(rows), failure);
      const b = bracket(buildRowsOf(rows), failure.id);
      const fallback = b.firstBad === null ? 'Not seen on any recorded build' : `First affected build ${b.firstBad}`;
      return `${failure.title}: ${(sentence ?? fallback).replace(/^./, (c) => c.toLowerCase())}.`;
    },

    summary(rows) {
      if (rows.length === 0) return 'No recorded run yet.';
      const builds = buildRowsOf(rows);
      const b = bracket(builds, failure.id);
      const c = statusCounts(builds, failure.id);
      const measured = rows.filter((r) => r.figure !== null).map((r) => r.figure!);
      const range = measured.length
        ? ` ${Label} ranges from ${formatFigure(Math.min(...measured))} to ${formatFigure(Math.max(...measured))} ${unit}.`
        : '';
      const where =
        b.firstBad === null
          ? 'No recorded build is affected.'
          : `First affected build ${b.firstBad}; ${b.firstFixed ? `first build of the final unaffected run ${b.firstFixed}` : 'the newest recorded build is still affected'}.`;
      return `${formatInt(rows.length)} builds recorded, ${rows[0]!.npmVersion} to ${rows.at(-1)!.npmVersion}: ${c.affected} affected, ${c['not-affected']} not affected${c.inconclusive ? `, ${c.inconclusive} inconclusive` : ''}. ${where}${range}`;
    },

    table(rows) {
      return {
        columns: [
          { label: 'npm label', numeric: false },
          { label: 'bun --revision', numeric: false },
          { label: 'Status', numeric: false },
          { label: `${label} (${unit})`, numeric: true },
          { label: 'What the record says', numeric: false },
        ],
        rows: rows.map((r) => [
          r.npmVersion,
          r.revision,
          STATUS_LOOK[r.status].label,
          r.figure === null ? '–' : formatFigure(r.figure),
          r.detail,
        ]),
      };
    },
  };

  function tip(r: FailureBuildRow): string {
    return `${r.npmVersion} (${r.revision}): ${STATUS_LOOK[r.status].label}, ${formatFigure(r.figure!)} ${unit}`;
  }
}
