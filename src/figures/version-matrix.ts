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
import { DOWNLOAD_LAYOUT, lineHeight, type Layout } from './layout.ts';
import { textWidth } from './text-width.ts';
import { buildColor, verdictColor } from './palette.ts';
import { ledger, ledgerHeadline } from '../lib/ledger.ts';
import type { FigureModule, LegendItem } from './types.ts';
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

/**
 * Each status's look. The symbol makes a cell readable without colour; the fills differ in lightness
 * as well as hue (dark red, pale green, mid amber), and each ink keeps 4.5:1 on its fill, which the
 * page does not theme, so it holds in both themes. An unrecorded cell is left empty, outlined.
 */
export const STATUS_LOOK: Record<CellStatus, { label: string; mark: string; fill: string; ink: string }> = {
  affected: { label: 'affected', mark: '✕', fill: verdictColor.hangs, ink: '#ffffff' },
  'not-affected': { label: 'not affected', mark: '✓', fill: '#bfe3c9', ink: '#1c1e21' },
  inconclusive: { label: 'inconclusive', mark: '?', fill: '#e3b341', ink: '#1c1e21' },
  'not-run': { label: 'not recorded', mark: '–', fill: 'none', ink: 'currentColor' },
};
const STATUSES = Object.keys(STATUS_LOOK) as CellStatus[];

const heading = (id: string, narrow: boolean) => {
  const f = FAILURES.find((x) => x.id === id);
  return f ? f.heading[narrow ? 'narrow' : 'wide'] : id;
};

const LINE_NAME: Record<BunLine, string> = { zig: 'Zig line', rust: 'Rust line', unknown: 'Line unknown' };

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

interface PanelContext {
  layout: Layout;
  failures: string[];
  panels: number;
  keys: string[];
  headings: LineHeading[];
  label: (npmVersion: string) => string;
  marginLeft: number;
  rowHeight: number;
  widest: (texts: string[]) => number;
}

/**
 * The matrix on a phone with more failures than upright headings fit side by side: the columns split
 * into panels stacked down the figure (facets), each opening with its headings upright in rows of its
 * own and repeating the builds, so every cell keeps a column as wide as a line of text.
 */
function panelSpec(rows: readonly MatrixCellRow[], c: PanelContext): Plot.PlotOptions {
  const { layout, failures, keys, headings, label, marginLeft, rowHeight } = c;
  const perPanel = Math.ceil(failures.length / c.panels);
  const place = (id: string) => ({
    panel: Math.floor(failures.indexOf(id) / perPanel),
    slot: failures.indexOf(id) % perPanel,
  });
  const titles = failures.map((id) => ({ ...place(id), text: heading(id, true).replace(/\n/g, ' ') }));
  // Blank rows above each panel's builds hold its headings, upright.
  const headingRows = Math.ceil((c.widest(titles.map((t) => t.text)) + 8) / rowHeight);
  const headingKeys = Array.from({ length: headingRows }, (_, i) => `§h${i}`);
  const panelRows = rows.map((r) => ({ ...r, ...place(r.failure) }));
  const filled = panelRows.filter((r) => r.status !== 'not-run');
  const empty = panelRows.filter((r) => r.status === 'not-run');
  const inEveryPanel = <T>(items: readonly T[]) =>
    items.flatMap((item) => Array.from({ length: c.panels }, (_, panel) => ({ ...item, panel })));
  const lineHeadings = inEveryPanel(headings);
  const at = { x: 'slot', y: 'npmVersion', fy: 'panel' } as const;
  const gap = rowHeight;
  const panelHeight = (headingKeys.length + keys.length) * rowHeight;
  return {
    width: layout.width,
    height: c.panels * panelHeight + (c.panels - 1) * gap,
    marginLeft,
    marginRight: 0,
    marginTop: 0,
    marginBottom: 0,
    x: { domain: Array.from({ length: perPanel }, (_, i) => i), axis: null, padding: 0 },
    y: {
      domain: [...headingKeys, ...keys],
      label: null,
      tickSize: 0,
      tickFormat: (k: string) => (k.startsWith('§') ? '' : label(k)),
      padding: 0,
    },
    fy: {
      domain: Array.from({ length: c.panels }, (_, i) => i),
      axis: null,
      paddingInner: gap / (panelHeight + gap),
      paddingOuter: 0,
    },
    color: {
      domain: STATUSES.filter((s) => s !== 'not-run'),
      range: STATUSES.filter((s) => s !== 'not-run').map((s) => STATUS_LOOK[s].fill),
    },
    marks: [
      ...cellMarks(filled, empty, at, false),
      // Each column's heading, upright, standing on the panel's first row.
      Plot.text(titles, {
        x: 'slot',
        y: () => headingKeys.at(-1),
        fy: 'panel',
        text: 'text',
        rotate: -90,
        textAnchor: 'start',
        dy: rowHeight / 2 - 4,
      }),
      Plot.text(lineHeadings, {
        y: 'key',
        fy: 'panel',
        text: headingText,
        frameAnchor: 'left',
        textAnchor: 'start',
        dx: -marginLeft,
        fill: (h: LineHeading) => buildColor[h.line],
        fontWeight: 700,
      }),
      Plot.tickY(
        lineHeadings.filter((h) => !h.first),
        { y: 'key', fy: 'panel', dy: -rowHeight / 2, stroke: 'currentColor', strokeWidth: 1.5, insetLeft: -marginLeft },
      ),
    ],
  };
}

const headingText = (h: LineHeading) => `${LINE_NAME[h.line]}: ${formatInt(h.count)} build${h.count === 1 ? '' : 's'}`;

/** A cell's tooltip and its link's name: build, failure, status and what the record says. */
const tip = (r: CellFields) =>
  `${r.npmVersion}, ${failureTitle(r.failure)}: ${STATUS_LOOK[r.status].label}${r.status === 'not-run' ? '' : ` — ${r.detail}`}`;

/**
 * The cells, one mark per status so that its colour is set once on the mark's group, not on each of
 * 600-odd cells. Each recorded cell links to its record; its symbol lets clicks through to the cell
 * (pointer-events: none) rather than carrying a second link, which halves the links of the page.
 */
type CellFields = Pick<MatrixCellRow, 'npmVersion' | 'failure' | 'status' | 'detail'>;

function cellMarks<R extends CellFields>(
  filled: readonly R[],
  empty: readonly R[],
  at: Record<string, string>,
  words: boolean,
): Plot.Markish[] {
  const recorded = STATUSES.filter((s) => s !== 'not-run').filter((s) => filled.some((r) => r.status === s));
  return [
    ...recorded.map((s) =>
      Plot.cell(
        filled.filter((r) => r.status === s),
        { ...at, fill: STATUS_LOOK[s].fill, inset: 1, title: tip, href: 'record' },
      ),
    ),
    // Nothing recorded: an outline, not a colour, and the dash inside it.
    Plot.cell(empty, {
      ...at,
      fill: 'none',
      stroke: 'currentColor',
      strokeOpacity: 0.45,
      strokeDasharray: '3,3',
      inset: 1.5,
      title: tip,
    }),
    ...recorded.map((s) =>
      Plot.text(
        filled.filter((r) => r.status === s),
        {
          ...at,
          text: (r: R) => cellText(r, words),
          fill: STATUS_LOOK[s].ink,
          fontWeight: 600,
          ariaHidden: 'true',
          pointerEvents: 'none',
        },
      ),
    ),
    Plot.text(empty, { ...at, text: (r: R) => cellText(r, words), pointerEvents: 'none' }),
  ];
}

/** The symbol, and where the column has room the word too; an unrecorded cell keeps only its dash, so the recorded ones stand out. */
const cellText = (r: CellFields, words: boolean) =>
  !words || r.status === 'not-run'
    ? STATUS_LOOK[r.status].mark
    : `${STATUS_LOOK[r.status].mark} ${STATUS_LOOK[r.status].label}`;

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
    'Each cell is the newest complete record of that build, from the quick protocol of its scenario. On a phone, canary labels are ' +
    'shortened: 1.3.14-c.260519 stands for 1.3.14-canary.20260519.1.',

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
    const { narrow, fontSize } = layout;
    const builds = buildRows(rows);
    const { keys, headings } = yDomain(builds);
    const label = (v: string) => (narrow ? shortLabel(v) : v);
    const failures = FAILURES.map((f) => f.id).filter((id) => rows.some((r) => r.failure === id));
    const marginLeft =
      Math.ceil(Math.max(...builds.map((b) => textWidth(label(b.npmVersion), fontSize)))) + (narrow ? 6 : 10);
    const rowHeight = Math.round(fontSize * 1.6);
    // On a phone five columns are narrower than their headings: the headings turn upright, one line each.
    // Each column's share of the width decides what fits in it: the headings across, or upright on one
    // line each; the status words beside the symbols, or the symbols alone.
    const columnWidth = (layout.width - marginLeft) / Math.max(1, failures.length);
    const widest = (texts: string[]) => Math.max(...texts.map((t) => textWidth(t, fontSize)));
    // On a phone a column cannot be narrower than an upright heading's line: past that many failures
    // the matrix is cut into panels of columns, one under the other, each with the builds beside it.
    const narrowest = Math.ceil(lineHeight(fontSize)) + 2;
    const perPanel = Math.max(1, Math.floor((layout.width - marginLeft) / narrowest));
    if (narrow && failures.length > perPanel) {
      return panelSpec(rows, {
        layout,
        failures,
        panels: Math.ceil(failures.length / perPanel),
        keys,
        headings,
        label,
        marginLeft,
        rowHeight,
        widest,
      });
    }
    const fits = (short: boolean) =>
      widest(failures.flatMap((id) => heading(id, short).split('\n'))) + 8 <= columnWidth;
    // The long headings where they fit, else the short ones, else the short ones upright.
    const short = narrow || !fits(false);
    const upright = !fits(short);
    const words =
      !narrow &&
      widest(
        STATUSES.filter((st) => st !== 'not-run').map((st) => `${STATUS_LOOK[st].mark} ${STATUS_LOOK[st].label}`),
      ) +
        8 <=
        columnWidth;
    const columnHeading = (id: string) => (upright ? heading(id, short).replace(/\n/g, ' ') : heading(id, short));
    const headingLines = Math.max(...failures.map((id) => heading(id, short).split('\n').length));
    const marginTop = upright
      ? Math.ceil(widest(failures.map(columnHeading))) + 10
      : headingLines * lineHeight(fontSize) + 6;
    const filled = rows.filter((r) => r.status !== 'not-run');
    const empty = rows.filter((r) => r.status === 'not-run');
    const xy = { x: 'failure', y: 'npmVersion' } as const;
    return {
      width: layout.width,
      height: marginTop + keys.length * rowHeight,
      marginLeft,
      marginRight: 0,
      marginTop,
      marginBottom: 0,
      x: {
        domain: failures,
        axis: 'top',
        label: null,
        tickSize: 0,
        tickPadding: 4,
        tickFormat: columnHeading,
        tickRotate: upright ? -90 : 0,
        padding: 0,
      },
      y: {
        domain: keys,
        label: null,
        tickSize: 0,
        tickFormat: (k: string) => (k.startsWith('§') ? '' : label(k)),
        padding: 0,
      },
      color: {
        domain: STATUSES.filter((s) => s !== 'not-run'),
        range: STATUSES.filter((s) => s !== 'not-run').map((s) => STATUS_LOOK[s].fill),
      },
      marks: [
        ...cellMarks(filled, empty, xy, words),
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

  legend(rows): LegendItem[] {
    return STATUSES.filter((s) => rows.some((r) => r.status === s)).map((s) => ({
      label: `${STATUS_LOOK[s].mark} ${STATUS_LOOK[s].label}`,
      swatch: s === 'not-run' ? 'dash' : 'rect',
      color: s === 'not-run' ? 'currentColor' : STATUS_LOOK[s].fill,
    }));
  },

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
