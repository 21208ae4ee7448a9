// Figure version-matrix: "Is my Bun affected?" as a heat map: one row per published build in
// version order, oldest at the top (as the table under it, so a failure reads as entering and then
// leaving down the page), one column per failure, each cell that build's recorded run. Every cell
// carries its status as a symbol (and, where wide, a word) besides its colour, and a header row
// opens each implementation line, so the Zig/Rust rewrite is a visible break in the rows.
import * as Plot from '@observablehq/plot';
import type { BunLine, RunRecord } from '../../repro/core/record/schema.ts';
import { formatInt } from '../lib/format.ts';
import {
  bracket,
  FAILURES,
  npmVersionOf,
  statusCounts,
  versionMatrix,
  type BuildRow,
  type CellStatus,
} from '../lib/version-matrix.ts';
import { matrixRecordHref, matrixRecordId } from '../lib/version-matrix-page.ts';
import { cellGridLegend, cellGridSpec, STATUS_LOOK, widestText } from './cell-grid.ts';
import { DOWNLOAD_LAYOUT } from './layout.ts';
import { buildColor } from './palette.ts';
import { ledger, ledgerHeadline } from '../lib/ledger.ts';
import type { FigureModule } from './types.ts';
import type { CsvColumn } from './csv-columns.ts';

export interface MatrixCellRow {
  [key: string]: string | null;
  /** The npm label the build was fetched by, e.g. 1.3.14-canary.20260519.1. */
  npmVersion: string;
  /** What the binary reports: `bun --revision`. */
  revision: string;
  line: BunLine;
  /** The failure's id (version-matrix.ts FAILURES). */
  failure: string;
  status: CellStatus;
  /** What the record says, with counts; "not recorded yet" where there is none. */
  detail: string;
  runId: string | null;
  /** Where the site serves the record: /matrix/<scenario>/<file>.json. */
  record: string | null;
}

const heading = (id: string, short: boolean) => {
  const f = FAILURES.find((x) => x.id === id);
  return f ? f.heading[short ? 'narrow' : 'wide'] : id;
};

const LINE_NAME: Record<BunLine, string> = { zig: 'Zig line', rust: 'Rust line', unknown: 'Line unknown' };

/** The rows back as the matrix's build rows, for version-matrix.ts's bracket and counts. */
function buildRows(rows: readonly MatrixCellRow[]): BuildRow[] {
  const byBuild = new Map<string, BuildRow>();
  for (const r of rows) {
    const b = byBuild.get(r.npmVersion) ?? { npmVersion: r.npmVersion, revision: r.revision, line: r.line, cells: {} };
    // The cells' key figures are each failure's own page's (failure-figure.ts), not this figure's.
    b.cells[r.failure] = { status: r.status, text: r.detail, runId: r.runId, figure: null };
    byBuild.set(r.npmVersion, b);
  }
  return [...byBuild.values()];
}

interface LineHeading {
  key: string;
  line: BunLine;
  /** The builds of this run of the line, and the first of them. */
  count: number;
  from: string;
  first: boolean;
}

/** The y domain: each build, with a heading row wherever the line changes (the first one included). */
function yDomain(builds: readonly BuildRow[]): { keys: string[]; headings: LineHeading[] } {
  const keys: string[] = [];
  const headings: LineHeading[] = [];
  builds.forEach((b, i) => {
    if (b.line !== builds[i - 1]?.line) {
      const end = builds.findIndex((c, j) => j > i && c.line !== b.line);
      const heading = {
        key: `§${i}`,
        line: b.line,
        count: (end < 0 ? builds.length : end) - i,
        from: b.npmVersion,
        first: i === 0,
      };
      headings.push(heading);
      keys.push(heading.key);
    }
    keys.push(b.npmVersion);
  });
  return { keys, headings };
}

const headingText = (h: LineHeading) => `${LINE_NAME[h.line]}: ${formatInt(h.count)} build${h.count === 1 ? '' : 's'}`;

/** A cell's tooltip and its link's name: build, failure, status and what the record says. */
const tip = (r: MatrixCellRow) =>
  `${r.npmVersion}, ${failureTitle(r.failure)}: ${STATUS_LOOK[r.status].label}${r.status === 'not-run' ? '' : ` — ${r.detail}`}`;

const failureTitle = (id: string) => FAILURES.find((f) => f.id === id)?.title ?? id;

// The CSV download's columns (csv-columns.ts): one per row field, each with its unit.
const versionMatrixColumns: CsvColumn[] = [
  {
    field: 'npmVersion',
    name: 'npm_label',
    datatype: 'string',
    description: 'The npm label the build was fetched by (@oven/bun-linux-x64), e.g. 1.3.14-canary.20260519.1.',
  },
  {
    field: 'revision',
    name: 'revision',
    datatype: 'string',
    description:
      'What the binary reports of itself (bun --revision): version and commit; differs from the npm label for canaries.',
  },
  {
    field: 'line',
    name: 'line',
    datatype: 'string',
    description: 'The implementation line, read from the binary: zig, rust or unknown.',
  },
  {
    field: 'failure',
    name: 'failure',
    datatype: 'string',
    description: `The failure, by id: ${FAILURES.map((f) => `${f.id} (${f.title})`).join(', ')}.`,
  },
  {
    field: 'status',
    name: 'status',
    datatype: 'string',
    description:
      'affected, not-affected, inconclusive (the record has no decisive verdict) or not-run (no complete record of this build yet).',
  },
  {
    field: 'detail',
    name: 'detail',
    datatype: 'string',
    description:
      'What the record says, with counts, e.g. "crossed 900 MiB at read 95" or "after: hangs 5/5 (57–100 %)".',
  },
  {
    field: 'runId',
    name: 'run_id',
    datatype: 'string',
    description: 'The run the cell was read from; empty where nothing is recorded.',
  },
  {
    field: 'record',
    name: 'record',
    datatype: 'string',
    description:
      "The record's address on the site, /matrix/<scenario>/<file>.json, as the harness wrote it; empty where nothing is recorded.",
  },
];

const STATUSES = Object.keys(STATUS_LOOK) as CellStatus[];

export const versionMatrixFigure: FigureModule<MatrixCellRow> = {
  id: 'version-matrix',
  exportSubtitle: 'Published Linux x64 builds, oldest first: affected by each failure or not',
  csvColumns: versionMatrixColumns,
  source: 'matrix',
  // The wide drawing alone, scrolling sideways on a phone: each of its 600-odd cells is a named link to
  // its record, and a second, narrow drawing of them all would double the page (issue 22: 801 KB).
  layouts: [DOWNLOAD_LAYOUT],
  title: 'Every recorded Bun build by failure',
  caption: 'One row per published Linux x64 build, oldest at the top; each cell is that build’s recorded run.',
  notes:
    'Rows are in the order of the version each binary reports, then of the npm labels, which carry the canaries’ dates; a heading row ' +
    'opens each implementation line, so the Zig-to-Rust rewrite is where the Rust line begins. ✕ affected, ✓ not affected, ? inconclusive ' +
    `(the record has no decisive verdict), – not recorded yet. Affected means: ${FAILURES.map((f) => `${f.title}: ${f.definition}`).join('; ')}. ` +
    'Each cell is the newest complete record of that build, from the quick protocol of its scenario.',

  select(records: readonly RunRecord[]): MatrixCellRow[] {
    const byKey = new Map(records.map((r) => [`${r.runId}|${npmVersionOf(r)}`, r]));
    return versionMatrix(records).flatMap((b) =>
      FAILURES.map((f) => {
        const cell = b.cells[f.id]!;
        const record = cell.runId ? byKey.get(`${cell.runId}|${b.npmVersion}`) : undefined;
        return {
          npmVersion: b.npmVersion,
          revision: b.revision,
          line: b.line,
          failure: f.id,
          status: cell.status,
          detail: cell.text,
          runId: cell.runId,
          record: record ? matrixRecordHref(matrixRecordId(record)) : null,
        };
      }),
    );
  },

  spec(rows, layout) {
    const { fontSize } = layout;
    const builds = buildRows(rows);
    const { keys, headings } = yDomain(builds);
    const failures = FAILURES.map((f) => f.id).filter((id) => rows.some((r) => r.failure === id));
    const rowHeight = Math.round(fontSize * 1.6);
    // Each column's share of the width decides how it is headed: the long headings across where they
    // fit, else the short ones, else the short ones upright, one line each.
    const rowLabelWidth =
      Math.ceil(
        widestText(
          builds.map((b) => b.npmVersion),
          layout,
        ),
      ) + 10;
    const columnWidth = (layout.width - rowLabelWidth) / Math.max(1, failures.length);
    const fits = (short: boolean) =>
      widestText(
        failures.flatMap((id) => heading(id, short).split('\n')),
        layout,
      ) +
        8 <=
      columnWidth;
    const short = !fits(false);
    const upright = !fits(short);
    const { options, marginLeft } = cellGridSpec({
      layout,
      rows,
      x: 'failure',
      y: 'npmVersion',
      columns: failures,
      columnText: (id) => (upright ? heading(id, short).replace(/\n/g, ' ') : heading(id, short)),
      upright,
      rowKeys: keys,
      rowText: (k) => (k.startsWith('§') ? '' : k),
      rowHeight,
      tip,
      href: 'record',
    });
    return {
      ...options,
      marks: [
        ...(options.marks ?? []),
        // Each line's heading row, from the chart's left edge, in the line's colour; a rule above every one after the first.
        Plot.text(headings, {
          y: 'key',
          text: headingText,
          frameAnchor: 'left',
          textAnchor: 'start',
          dx: -marginLeft,
          fill: (h: LineHeading) => buildColor[h.line],
          fontWeight: 700,
        }),
        Plot.tickY(
          headings.filter((h) => !h.first),
          { y: 'key', dy: -rowHeight / 2, stroke: 'currentColor', strokeWidth: 1.5, insetLeft: -marginLeft },
        ),
      ],
    };
  },

  legend: (rows) => cellGridLegend(rows),

  headline(rows) {
    // The ledger's classes, counted: what the rewrite did to the failures, in one line.
    const builds = buildRows(rows);
    const failures = FAILURES.filter((f) => rows.some((r) => r.failure === f.id));
    const entries = ledger(builds, failures);
    return entries.length > 0
      ? ledgerHeadline(entries)
      : `${formatInt(failures.length)} failures on ${formatInt(builds.length)} builds; none spans the rewrite yet.`;
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const builds = buildRows(rows);
    const { headings } = yDomain(builds);
    const lines = headings.map((h) => `${formatInt(h.count)} of the ${LINE_NAME[h.line]} from ${h.from}`);
    const failures = FAILURES.filter((f) => rows.some((r) => r.failure === f.id)).map((f) => {
      const b = bracket(builds, f.id);
      const c = statusCounts(builds, f.id);
      const where =
        b.firstBad === null
          ? 'no recorded build is affected'
          : `first affected build ${b.firstBad}, ${b.firstFixed ? `first build of the final unaffected run ${b.firstFixed}` : 'and the newest recorded build is still affected'}` +
            (b.regressions.length > 0 ? `, affected again after a fix in ${b.regressions.join(', ')}` : '');
      const counts = [
        `${c.affected} affected`,
        `${c['not-affected']} not affected`,
        ...(c.inconclusive ? [`${c.inconclusive} inconclusive`] : []),
        ...(c['not-run'] ? [`${c['not-run']} not recorded yet`] : []),
      ];
      return `${f.title}: ${where} (${counts.join(', ')})`;
    });
    return `${formatInt(builds.length)} builds, ${builds[0]!.npmVersion} to ${builds.at(-1)!.npmVersion} (${lines.join('; ')}). ${failures.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: ['npm label', 'bun --revision', 'Line', 'Failure', 'Status', 'What the record says'].map((label) => ({
        label,
        numeric: false,
      })),
      rows: rows.map((r) => [
        r.npmVersion,
        r.revision,
        r.line,
        failureTitle(r.failure),
        STATUS_LOOK[r.status].label,
        r.status === 'not-run' ? '' : r.detail,
      ]),
    };
  },

  summaryTable(rows) {
    const builds = buildRows(rows);
    return {
      columns: [
        { label: 'Failure', numeric: false },
        { label: 'First affected', numeric: false },
        { label: 'First fixed', numeric: false },
        ...STATUSES.map((s) => ({ label: STATUS_LOOK[s].label, numeric: true })),
      ],
      rows: FAILURES.filter((f) => rows.some((r) => r.failure === f.id)).map((f) => {
        const b = bracket(builds, f.id);
        const c = statusCounts(builds, f.id);
        return [f.title, b.firstBad ?? '–', b.firstFixed ?? '–', ...STATUSES.map((s) => formatInt(c[s]))];
      }),
      note: 'Per failure: its first affected build, the first build of its final unaffected run, and how many builds are in each status.',
    };
  },
};
