// The only DOM code of the figures: runs Plot against a jsdom document at build time and returns
// SVG markup, plus tooltip anchor points converted to SVG pixel coordinates.
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import type { FigureModule, Row } from './types.ts';

export interface RenderedFigure {
  svg: string;
  width: number;
  height: number;
  /** Tooltip anchors in the SVG's own coordinates; empty for figures without tooltips. */
  tips: { x: number; y: number; text: string }[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function renderFigure(figure: FigureModule<Row>, rows: readonly Row[], summary = figure.summary(rows)): RenderedFigure {
  if (rows.length === 0) return renderEmpty(figure);
  const { document } = new JSDOM('').window;
  const options = figure.spec(rows);
  const svg = Plot.plot({ ...options, document, ariaLabel: figure.title, ariaDescription: summary }) as unknown as SVGSVGElement & Plot.Plot;
  if (svg.tagName.toLowerCase() !== 'svg') throw new Error(`Figure ${figure.id}: the spec must produce a bare <svg> (no legend or title wrappers).`);
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  svg.setAttribute('role', 'img');
  // role=img makes the chart one image to assistive tech: the label and description above (and
  // the data table beside it) carry its content, so the per-mark aria labels Plot adds to <g>
  // elements are dropped rather than left as attributes that generic elements may not carry.
  for (const el of svg.querySelectorAll('[aria-label], [aria-description], [aria-hidden]')) {
    for (const attr of ['aria-label', 'aria-description', 'aria-hidden']) el.removeAttribute(attr);
  }
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const tips = figure.tips
    ? figure.tips(rows).map((t) => ({ x: round(svg.scale('x')!.apply(t.x)), y: round(svg.scale('y')!.apply(t.y)), text: t.text }))
    : [];
  return { svg: svg.outerHTML, width, height, tips };
}

/** What a figure shows before its scenario has a recorded run: a labelled empty frame, no data. */
function renderEmpty(figure: FigureModule<Row>): RenderedFigure {
  const width = 720;
  const height = 160;
  const svg =
    `<svg xmlns="${SVG_NS}" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `aria-label="${escapeXml(figure.title)}" aria-description="No recorded run yet." fill="currentColor" ` +
    `font-family="system-ui, sans-serif" font-size="14" text-anchor="middle">` +
    `<rect x="1" y="1" width="${width - 2}" height="${height - 2}" fill="none" stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="6,4"/>` +
    `<text x="${width / 2}" y="${height / 2}" dy="0.35em">No recorded run yet for ${escapeXml(figure.scenario)}.</text></svg>`;
  return { svg, width, height, tips: [] };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
