// The only DOM code of the figures: runs Plot against a jsdom document at build time and returns
// SVG markup for one layout (layout.ts), with its legend drawn above the chart, plus the x and y
// scales a tooltip needs to place a data point on this layout. What it adds to Plot's drawing (the
// legend, the empty frame) it builds as a tree (svg-tree.ts), which toDom puts into the document.
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { DOWNLOAD_LAYOUT, lineHeight, type Layout } from './layout.ts';
import { textWidth } from './text-width.ts';
import { themedClass } from './palette.ts';
import { sourceName } from './source.ts';
import type { FigureModule, LegendItem, Row } from './types.ts';
import { el, serializeSvg, toDom, type SvgElement } from './svg-tree.ts';

/** A linear scale as [domain start, domain end, range start, range end], in the SVG's own px. */
/**
 * A position scale as the tooltips need it: domain, range, and how values are spaced between them
 * (SCALE_KINDS: 0 linear, 1 log, 2 symlog with Plot's constant 1). Pure numbers, for a data attribute.
 */
type PositionScale = [d0: number, d1: number, r0: number, r1: number, kind: number];
const SCALE_KINDS = ['linear', 'log', 'symlog'] as const;

export interface RenderedFigure {
  svg: string;
  width: number;
  height: number;
  /** The scales tooltips use to place data points; absent when the figure has none (or no data). */
  x?: PositionScale;
  y?: PositionScale;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A standalone SVG (the downloads use it as is); the layout defaults to the downloads' one. On a page
 * that shows the summary beside the chart, `describedBy` names that paragraph's id, and the SVG points
 * to it rather than carrying the text again in each layout.
 */
export function renderFigure(
  figure: FigureModule<Row>,
  rows: readonly Row[],
  summary = figure.summary(rows),
  layout: Layout = DOWNLOAD_LAYOUT,
  describedBy?: string,
): RenderedFigure {
  if (rows.length === 0) return renderEmpty(figure, layout);
  const { document } = new JSDOM('').window;
  const options = figure.spec(rows, layout);
  const svg = Plot.plot({
    ...options,
    document,
    ariaLabel: figure.title,
    ariaDescription: summary,
  }) as unknown as SVGSVGElement & Plot.Plot;
  if (svg.tagName.toLowerCase() !== 'svg')
    throw new Error(`Figure ${figure.id}: the spec must produce a bare <svg> (no legend or title wrappers).`);
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  // One image to assistive tech, unless its marks are links (the version matrix's cells, to their
  // records): then a group, so the links are reachable rather than nested inside an image.
  svg.setAttribute('role', svg.querySelector('a') ? 'group' : 'img');
  svg.setAttribute('font-size', String(layout.fontSize));
  if (describedBy) {
    svg.removeAttribute('aria-description');
    svg.setAttribute('aria-describedby', describedBy);
  }
  // role=img makes the chart one image to assistive tech: the label and description above (and
  // the data table beside it) carry its content, so the per-mark aria labels Plot adds to <g>
  // elements are dropped rather than left as attributes that generic elements may not carry.
  for (const el of svg.querySelectorAll('[aria-label], [aria-description], [aria-hidden]')) {
    for (const attr of ['aria-label', 'aria-description', 'aria-hidden']) el.removeAttribute(attr);
  }
  compact(svg);
  themeColours(svg);
  const width = Number(svg.getAttribute('width'));
  let height = Number(svg.getAttribute('height'));
  const legend = figure.legend?.(rows, layout) ?? [];
  const offset = legend.length > 0 ? drawLegend(svg, legend, layout, width) : 0;
  height += offset;
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // Tooltips place data points with these; the chart sits `offset` px below the legend.
  const position = (name: 'x' | 'y', shift: number): PositionScale | undefined => {
    const s = figure.tips ? svg.scale(name) : undefined;
    const kind = SCALE_KINDS.indexOf(s?.type as (typeof SCALE_KINDS)[number]);
    if (!s || kind < 0) return undefined;
    const [d0, d1] = s.domain as number[];
    const [r0, r1] = s.range as number[];
    return [d0, d1, round(r0 + shift), round(r1 + shift), kind];
  };
  const x = position('x', 0);
  const y = position('y', offset);
  return { svg: svg.outerHTML, width, height, ...(x && y ? { x, y } : {}) };
}

// The scales a layer takes from the frame, and the size options that place them.
const SCALES = ['x', 'y', 'fx', 'fy', 'color', 'symbol'] as const;
const SIZE = ['width', 'height', 'marginTop', 'marginRight', 'marginBottom', 'marginLeft'] as const;

/**
 * The figure drawn on the frame of `frame` rows: its spec for any subset of them keeps the size and
 * the scales (domains as Plot resolved them, ranges as the frame's spec gave them) of the whole, and
 * its legend is the whole's. Layers drawn with it (a published run and a reader's) line up exactly,
 * whatever each one's own rows would have made of the axes. `extraLegend` follows the figure's own
 * entries (the overlay's "published run" and "your run").
 */
export function onFrameOf(
  figure: FigureModule<Row>,
  frame: readonly Row[],
  layout: Layout,
  extraLegend: readonly LegendItem[] = [],
): FigureModule<Row> {
  const { document } = new JSDOM('').window;
  const whole = figure.spec(frame, layout);
  const plotted = Plot.plot({ ...whole, document });
  const scales = SCALES.flatMap((name) => {
    const resolved = plotted.scale(name);
    const given = (whole as Record<string, unknown>)[name] as Record<string, unknown> | undefined;
    return resolved ? [[name, { ...given, domain: resolved.domain }] as const] : [];
  });
  const size = SIZE.flatMap((name) => (whole[name] === undefined ? [] : [[name, whole[name]] as const]));
  return {
    ...figure,
    spec: (rows, l) => ({ ...figure.spec(rows, l), ...Object.fromEntries(size), ...Object.fromEntries(scales) }),
    legend: (_rows, l) => [...(figure.legend?.(frame, l) ?? []), ...extraLegend],
  };
}

/** What a figure shows before its scenario has a recorded run: a labelled empty frame, no data. */
function renderEmpty(figure: FigureModule<Row>, layout: Layout): RenderedFigure {
  const width = layout.width;
  const height = 160;
  const text = layout.narrow ? 'No recorded run yet.' : `No recorded run yet for ${sourceName(figure)}.`;
  const svg = el(
    'svg',
    {
      xmlns: SVG_NS,
      role: 'img',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'aria-label': figure.title,
      'aria-description': 'No recorded run yet.',
      fill: 'currentColor',
      'font-family': 'system-ui, sans-serif',
      'font-size': layout.fontSize,
      'text-anchor': 'middle',
    },
    [
      el('rect', {
        x: 1,
        y: 1,
        width: width - 2,
        height: height - 2,
        fill: 'none',
        stroke: 'currentColor',
        'stroke-opacity': 0.3,
        'stroke-dasharray': '6,4',
      }),
      el('text', { x: width / 2, y: height / 2, dy: '0.35em' }, [text]),
    ],
  );
  return { svg: serializeSvg(svg), width, height };
}

// ---------------------------------------------------------------- legend

const SWATCH = 22;

/** Draws the legend in rows above the chart, moves the chart down under it, and returns its height. */
function drawLegend(svg: SVGSVGElement, items: readonly LegendItem[], layout: Layout, width: number): number {
  const doc = svg.ownerDocument;
  const row = lineHeight(layout.fontSize);
  const chart = doc.createElementNS(SVG_NS, 'g');
  for (const child of [...svg.childNodes]) if ((child as Element).tagName !== 'style') chart.append(child);
  const legend = doc.createElementNS(SVG_NS, 'g');
  legend.setAttribute('class', 'fig-legend');
  legend.setAttribute('text-anchor', 'start');
  let x = 0;
  let line = 0;
  for (const item of items) {
    const w = SWATCH + 6 + textWidth(item.label, layout.fontSize);
    if (x > 0 && x + w > width) {
      x = 0;
      line++;
    }
    const cy = line * row + row / 2;
    const g = doc.createElementNS(SVG_NS, 'g');
    g.setAttribute('transform', `translate(${round(x)},${round(cy)})`);
    g.append(
      toDom(doc, swatch(item)),
      toDom(doc, el('text', { x: SWATCH + 6, dy: '0.35em', fill: 'currentColor' }, [item.label])),
    );
    legend.append(g);
    x += w + 14;
  }
  const height = (line + 1) * row + 6;
  chart.setAttribute('transform', `translate(0,${height})`);
  svg.append(legend, chart);
  themeColours(legend);
  return height;
}

function swatch({ swatch, color }: LegendItem): SvgElement {
  const line = (dash?: string) =>
    el('line', { x1: 0, x2: SWATCH, stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash });
  switch (swatch) {
    case 'line':
      return line();
    case 'dash':
      return line('2,3');
    case 'longdash':
      return line('8,4');
    case 'dot':
      return el('circle', { cx: SWATCH / 2, r: 2.5, fill: 'none', stroke: color, 'stroke-opacity': 0.6 });
    case 'circle':
      return el('circle', { cx: SWATCH / 2, r: 4.5, fill: color });
    case 'ring':
      return el('circle', { cx: SWATCH / 2, r: 5, fill: 'none', stroke: color, 'stroke-width': 1.5 });
    case 'rect':
      return el('rect', { x: 2, y: -6, width: SWATCH - 4, height: 12, fill: color });
    case 'hatch':
      return el('rect', {
        x: 3,
        y: -5,
        width: SWATCH - 6,
        height: 10,
        fill: color,
        stroke: 'currentColor',
        'stroke-width': 2,
      });
    case 'tick':
      return el('line', { x1: SWATCH / 2, x2: SWATCH / 2, y1: -7, y2: 7, stroke: color, 'stroke-width': 1.5 });
    case 'diamond':
      return el('path', { d: 'M11,-6L17,0L11,6L5,0Z', fill: color });
    case 'cross':
      return el('path', { d: 'M6,-5L16,5M6,5L16,-5', stroke: color, 'stroke-width': 2.5 });
  }
}

// ---------------------------------------------------------------- output

/**
 * Rounds coordinates to a tenth of a px (the SVG is never shown much larger than its own size) and
 * drops the middle of runs of points on one horizontal or vertical: a flat series costs two points.
 */
function compact(svg: SVGSVGElement): void {
  for (const el of svg.querySelectorAll('path[d]')) {
    const d = el.getAttribute('d')!;
    // A path with markers draws one at every vertex: keep them all.
    const marked = el.hasAttribute('marker-mid') || el.hasAttribute('marker-start');
    el.setAttribute('d', !marked && /^M[\d.,eL-]+$/.test(d) ? polyline(d) : roundNumbers(d));
  }
  for (const el of svg.querySelectorAll('*')) {
    for (const attr of ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'width', 'height', 'transform', 'points']) {
      const v = el.getAttribute(attr);
      if (v !== null && el !== svg) el.setAttribute(attr, roundNumbers(v));
    }
  }
}

/** A line's points to the half px (a 2 px line drawn at most 1.2 times its size), collinear ones dropped. */
function polyline(d: string): string {
  const points = d
    .slice(1)
    .split('L')
    .map((p) => p.split(',').map((n) => Math.round(Number(n) * 2) / 2));
  const kept = points.filter((p, i) => {
    const a = points[i - 1];
    const b = points[i + 1];
    if (!a || !b) return true;
    return !((a[1] === p[1] && p[1] === b[1]) || (a[0] === p[0] && p[0] === b[0]));
  });
  return 'M' + kept.map((p) => p.join(',')).join('L');
}

function roundNumbers(s: string): string {
  return s.replace(/-?\d+\.\d+(e-?\d+)?/g, (n) => String(round(Number(n))));
}

/** Build colours get a class, so the page's stylesheet can give them their dark-theme shade. */
function themeColours(root: Element): void {
  for (const el of root.querySelectorAll('[fill], [stroke]')) {
    for (const attr of ['fill', 'stroke'] as const) {
      const cls = themedClass(el.getAttribute(attr), attr);
      if (cls) el.setAttribute('class', `${el.getAttribute('class') ?? ''} ${cls}`.trim());
    }
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
