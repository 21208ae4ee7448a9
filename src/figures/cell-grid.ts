// The grid of status cells that the version matrix (every build × every failure) and the ledger (the
// key builds × every failure) both draw: each cell a recorded state, coloured and marked so it reads
// without colour, an unrecorded one outlined; the columns headed across the top (upright where they
// are narrow), the rows labelled at the left. Each figure gives its rows and labels; this gives the
// margins, what fits in a cell, the marks and the legend.
import * as Plot from '@observablehq/plot';
import type { CellStatus } from '../lib/version-matrix.ts';
import { lineHeight, type Layout } from './layout.ts';
import { verdictColor } from './palette.ts';
import { textWidth } from './text-width.ts';
import type { LegendItem } from './types.ts';

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
const RECORDED = STATUSES.filter((s) => s !== 'not-run');

/** The symbol and the word: a recorded cell's text where its column has room, and the legend's. */
const statusText = (s: CellStatus) => `${STATUS_LOOK[s].mark} ${STATUS_LOOK[s].label}`;

/** The cell texts are set at this weight, and measured so. */
const CELL_WEIGHT = 600;

export interface CellGrid<R extends { status: CellStatus }> {
  layout: Layout;
  rows: readonly R[];
  /** The row fields that place a cell: its column and its row. */
  x: keyof R & string;
  y: keyof R & string;
  columns: readonly string[];
  /** A column's heading; lines split at \n (not when upright: one line each). */
  columnText: (column: string) => string;
  /** Headings upright, for columns narrower than their headings. */
  upright: boolean;
  rowKeys: readonly string[];
  /** A row's label at the left; empty for a row the figure labels with marks of its own. */
  rowText: (key: string) => string;
  rowHeight: number;
  /** The cell's tooltip and, with `href`, its link's name. */
  tip: (row: R) => string;
  /** The row field holding the cell's link, when cells link somewhere. */
  href?: keyof R & string;
}

/** The widest of `texts` at the layout's size, in px. */
export const widestText = (texts: readonly string[], layout: Layout, bold = false) =>
  Math.max(0, ...texts.map((t) => textWidth(t, layout.fontSize, bold)));

/**
 * Plot options for the grid, with the margins it took: the row labels' column at the left (Plot sets
 * axis labels 9 px from the frame), the headings' rows (or upright length) at the top.
 */
export function cellGridSpec<R extends { status: CellStatus }>(
  g: CellGrid<R>,
): { options: Plot.PlotOptions; marginLeft: number } {
  const { layout } = g;
  const marginLeft =
    Math.ceil(
      widestText(
        g.rowKeys.flatMap((k) => g.rowText(k).split('\n')),
        layout,
      ),
    ) + 10;
  const marginTop = g.upright
    ? Math.ceil(widestText(g.columns.map(g.columnText), layout)) + 10
    : Math.max(...g.columns.map((c) => g.columnText(c).split('\n').length)) * lineHeight(layout.fontSize) + 6;
  const columnWidth = (layout.width - marginLeft) / Math.max(1, g.columns.length);
  const words = !layout.narrow && widestText(RECORDED.map(statusText), layout, true) + 8 <= columnWidth;
  const cellText = (r: R) => (words && r.status !== 'not-run' ? statusText(r.status) : STATUS_LOOK[r.status].mark);
  const at = { x: g.x, y: g.y };
  const filled = g.rows.filter((r) => r.status !== 'not-run');
  const empty = g.rows.filter((r) => r.status === 'not-run');
  const recorded = RECORDED.filter((s) => filled.some((r) => r.status === s));
  return {
    marginLeft,
    options: {
      width: layout.width,
      height: marginTop + g.rowKeys.length * g.rowHeight,
      marginLeft,
      marginRight: 0,
      marginTop,
      marginBottom: 0,
      x: {
        domain: [...g.columns],
        axis: 'top',
        label: null,
        tickSize: 0,
        tickPadding: 4,
        tickFormat: g.columnText,
        tickRotate: g.upright ? -90 : 0,
        padding: 0,
      },
      y: { domain: [...g.rowKeys], label: null, tickSize: 0, tickFormat: g.rowText, padding: 0 },
      color: { domain: RECORDED, range: RECORDED.map((s) => STATUS_LOOK[s].fill) },
      // One mark per status, so that its colour is set once on the mark's group, not on each of 600-odd
      // cells. A linked cell's symbol lets clicks through to the cell (pointer-events: none) rather than
      // carrying a second link, which halves the links of the page.
      marks: [
        ...recorded.map((s) =>
          Plot.cell(
            filled.filter((r) => r.status === s),
            { ...at, fill: STATUS_LOOK[s].fill, inset: 1, title: g.tip, ...(g.href ? { href: g.href } : {}) },
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
          title: g.tip,
        }),
        ...recorded.map((s) =>
          Plot.text(
            filled.filter((r) => r.status === s),
            {
              ...at,
              text: cellText,
              fill: STATUS_LOOK[s].ink,
              fontWeight: CELL_WEIGHT,
              ariaHidden: 'true',
              pointerEvents: 'none',
            },
          ),
        ),
        Plot.text(empty, { ...at, text: cellText, pointerEvents: 'none' }),
      ],
    },
  };
}

/** The statuses the rows hold, each as its cells look. */
export function cellGridLegend(rows: readonly { status: CellStatus }[]): LegendItem[] {
  return STATUSES.filter((s) => rows.some((r) => r.status === s)).map((s) => ({
    label: statusText(s),
    swatch: s === 'not-run' ? 'dash' : 'rect',
    color: s === 'not-run' ? 'currentColor' : STATUS_LOOK[s].fill,
  }));
}
