// "Compare with your run", in the browser: the chunk CompareRun.astro's loader fetches on first use.
// It reads the reader's files (src/figures/overlay.ts), fetches the figure's published records (its
// JSON download), and draws the reader's run on the figure itself: each layout's chart is drawn again
// on one frame for both runs (render.ts onFrameOf), the published marks faint and the reader's over
// them in the same build colours, dashed or hollow, with "your run" in the legend. Below the control:
// the CLI's verdict and compare table, and a button that puts the published figure back. Nothing
// leaves the browser. Record text reaches the page only through textContent, or as SVG text escaped
// by Plot and render.ts.
import './zod-jitless.ts';
import { reportTable, verdictLine } from '../../repro/core/compare/compare.ts';
import type { CompareReport } from '../../repro/core/compare/report.ts';
import { recordFrom } from '../../repro/core/record/parse.ts';
import type { LoadedRecord } from '../../repro/core/record/parse.ts';
import { LAYOUTS, type Layout } from '../figures/layout.ts';
import { compareOverlay, compareStatus, overlayRows, readDropped, type DroppedFile } from '../figures/overlay.ts';
import { getFigure } from '../figures/registry.ts';
import { onFrameOf, renderFigure } from '../figures/render.ts';
import type { FigureModule, LegendItem, Row } from '../figures/types.ts';
import { svgNode } from './svg-node.ts';

/** The published records of each figure, fetched once per page. */
const published = new Map<string, Promise<LoadedRecord[]>>();

function publishedRecords(figure: FigureModule<Row>): Promise<LoadedRecord[]> {
  const url = `/figures/${figure.id}.json`;
  let records = published.get(url);
  if (!records) {
    records = fetch(url)
      .then((r) =>
        r.ok ? (r.json() as Promise<{ records: unknown[] }>) : Promise.reject(new Error(`${url} answered ${r.status}`)),
      )
      .then((json) => json.records.map((r, i) => ({ file: url, record: recordFrom(`${url} [${i}]`, r) })));
    // A failed fetch is tried again next time, not remembered.
    records.catch(() => published.delete(url));
    published.set(url, records);
  }
  return records;
}

/** Compares the reader's files with the figure's published run, draws them on the figure, and shows the table in the control's box. */
export async function compareFiles(box: HTMLElement, files: readonly DroppedFile[]): Promise<void> {
  const status = box.querySelector<HTMLElement>('[data-compare-status]')!;
  const result = box.querySelector<HTMLElement>('[data-compare-result]')!;
  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('compare-error', error);
  };
  say('Reading your files…');
  try {
    const figure = getFigure(box.dataset.compareRun ?? '');
    const dropped = await readDropped(files, figure);
    if (!dropped.ok) return say(dropped.error, true);
    const reference = await publishedRecords(figure);
    const report = compareOverlay(figure, dropped.records, reference);
    const frame = figureFrame(box, figure);
    drawOnFigure(frame, (layout) => drawing(figure, dropped.records, reference, layout));
    result.replaceChildren(...compareTable(report), putBackButton(frame, result, say));
    result.hidden = false;
    say(compareStatus(dropped.records.length, report));
  } catch (error) {
    // Whatever went wrong (the download unreachable, a chart that cannot be drawn), one line, and the control stays usable.
    say(
      `Could not compare: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200)}`,
      true,
    );
  }
}

/** The figure's chart box, where each layout's SVG sits (Figure.astro's .figure-chart). */
function figureFrame(box: HTMLElement, figure: FigureModule<Row>): HTMLElement {
  const frame =
    box.closest('figure')?.querySelector<HTMLElement>('.figure-chart') ??
    document.querySelector<HTMLElement>(`#fig-${figure.id} .figure-chart`);
  if (!frame) throw new Error('the figure to draw on is not on this page');
  return frame;
}

/** Each layout's published SVG and tooltip scales, kept to put back. */
const originals = new WeakMap<HTMLElement, { svg: Element; x?: string; y?: string }>();

/**
 * Replaces each layout's chart with the drawing for that layout (the page's CSS shows the one that
 * fits, as for the published chart), and moves the tooltips' scales to the new frame, whose axes
 * may have grown to hold the reader's run.
 */
function drawOnFigure(
  frame: HTMLElement,
  draw: (layout: Layout) => { svg: SVGSVGElement; x?: string; y?: string },
): void {
  for (const slot of frame.querySelectorAll<HTMLElement>('.fig-layout')) {
    const layout = LAYOUTS.find((l) => String(l.width) === slot.dataset.width);
    const current = slot.querySelector(':scope > svg');
    if (!layout || !current) continue;
    if (!originals.has(slot)) originals.set(slot, { svg: current, x: slot.dataset.x, y: slot.dataset.y });
    const drawn = draw(layout);
    current.replaceWith(drawn.svg);
    setOrDrop(slot, 'x', drawn.x);
    setOrDrop(slot, 'y', drawn.y);
  }
}

function setOrDrop(el: HTMLElement, key: 'x' | 'y', value: string | undefined): void {
  if (value === undefined) delete el.dataset[key];
  else el.dataset[key] = value;
}

/** "Remove your run from the figure": the published charts back, the table gone. */
function putBackButton(frame: HTMLElement, result: HTMLElement, say: (text: string) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'compare-button';
  button.textContent = 'Remove your run from the figure';
  button.addEventListener('click', () => {
    for (const slot of frame.querySelectorAll<HTMLElement>('.fig-layout')) {
      const original = originals.get(slot);
      if (!original) continue;
      slot.querySelector(':scope > svg')?.replaceWith(original.svg);
      setOrDrop(slot, 'x', original.x);
      setOrDrop(slot, 'y', original.y);
      originals.delete(slot);
    }
    result.replaceChildren();
    result.hidden = true;
    say('Your run was removed: the figure shows the published run again.');
  });
  return button;
}

/** The legend's words for the two layers: the published marks as drawn, the reader's dashed (run figures) or outlined (the matrix). */
const LAYER_KEY: Record<'runs' | 'matrix', LegendItem[]> = {
  runs: [
    { label: 'published run (faint)', swatch: 'line', color: 'currentColor' },
    { label: 'your run (dashed, hollow)', swatch: 'longdash', color: 'currentColor' },
  ],
  matrix: [{ label: 'your run (outlined cells)', swatch: 'hatch', color: 'none' }],
};

/**
 * Both runs on one frame at `layout`, in one SVG: the published layer as the figure draws it (its
 * build-coloured marks faint), the reader's chart group over it in the same colours, every line
 * dashed and every filled mark hollow, so each build keeps its one colour and the layers differ by
 * stroke. On the version matrix, whose merged cells already show the reader's statuses, the reader's
 * layer is an outline round each of their cells.
 */
function drawing(
  figure: FigureModule<Row>,
  yours: readonly LoadedRecord[],
  reference: readonly LoadedRecord[],
  layout: Layout,
): { svg: SVGSVGElement; x?: string; y?: string } {
  const rows = overlayRows(
    figure,
    reference.map((l) => l.record),
    yours.map((l) => l.record),
  );
  const matrix = figure.source === 'matrix';
  const framed = onFrameOf(figure, rows.frame, layout, LAYER_KEY[matrix ? 'matrix' : 'runs']);
  const base = renderFigure(framed, rows.published, undefined, layout);
  const svg = svgNode(base.svg, 'overlay-svg');
  // Faint: the outermost of each mark's coloured elements (opacity compounds), never a label's text.
  if (!matrix)
    for (const el of coloured(chartGroup(svg)))
      if (!el.closest('text') && !el.parentElement?.closest('.overlay-faint')) el.classList.add('overlay-faint');
  if (rows.yours.length > 0) {
    const layer = chartGroup(svgNode(renderFigure(framed, rows.yours, undefined, layout).svg));
    svg.append(asReadersLayer(layer, matrix));
  }
  svg.setAttribute(
    'aria-label',
    `${figure.title}, with your run drawn over the published one (${[...new Set(yours.map((l) => l.record.runtime.label))].join(', ')})`,
  );
  return { svg, x: base.x?.join(','), y: base.y?.join(',') };
}

/** The chart under the legend (render.ts draws the legend, then the chart in a group of its own). */
function chartGroup(svg: SVGSVGElement): SVGGElement {
  const group = [...svg.children].find(
    (el) => el.tagName.toLowerCase() === 'g' && !el.classList.contains('fig-legend'),
  );
  if (!group) throw new Error('the chart could not be drawn from these records');
  return group as SVGGElement;
}

// Colours that are not a mark's: the theme's text and axes, no paint, and the inks drawn on top of fills.
const NEUTRAL = /^(none|currentcolor|transparent|white|#fff|#ffffff|#1c1e21)$/i;
const paint = (el: Element, attr: 'fill' | 'stroke') => {
  const value = el.getAttribute(attr);
  return value !== null && !NEUTRAL.test(value) ? value : null;
};

/** The elements painted in a build's, an outcome's or a status's colour: the marks, not the axes. */
function coloured(root: Element): Element[] {
  return [...root.querySelectorAll('[fill], [stroke]')].filter(
    (el) => paint(el, 'fill') !== null || paint(el, 'stroke') !== null,
  );
}

/**
 * The reader's chart group restyled as their layer. Its axes, rules and labels (already drawn by
 * the published layer on the same frame) go, and its links (the matrix's cells) become plain marks,
 * so the figure keeps one link per cell. Lines keep their colour and take a dash (those already
 * dashed, like a memory figure's heap line, keep theirs); filled marks become hollow outlines in
 * their colour; the matrix's cells, whose fill is the status the published layer already shows, get
 * an outline in the text colour.
 */
function asReadersLayer(layer: SVGGElement, matrix: boolean): SVGGElement {
  layer.classList.add('overlay-yours');
  layer.setAttribute('aria-hidden', 'true');
  for (const el of layer.querySelectorAll('text, title')) el.remove();
  for (const a of layer.querySelectorAll('a')) a.replaceWith(...a.childNodes);
  // Whatever holds no coloured mark is frame: axes, grid, rules, the empty cells' dashes.
  for (const el of [...layer.querySelectorAll('[fill], [stroke]')].reverse()) {
    if (el.isConnected && coloured(el).length === 0 && paint(el, 'fill') === null && paint(el, 'stroke') === null)
      el.remove();
  }
  for (const el of coloured(layer)) {
    const fill = paint(el, 'fill');
    if (matrix) {
      if (fill) el.classList.add('overlay-outline');
      continue;
    }
    if (fill) {
      // Hollow: the fill's colour moves to the stroke (and its theme class with it, for the dark shade).
      el.setAttribute('stroke', fill);
      el.setAttribute('fill', 'none');
      el.setAttribute('stroke-width', '2');
      for (const cls of [...el.classList])
        if (cls.startsWith('fig-fill-')) el.classList.replace(cls, cls.replace('fig-fill-', 'fig-stroke-'));
      if (el.tagName.toLowerCase() !== 'circle') el.setAttribute('stroke-dasharray', '4,2');
    }
    if (paint(el, 'stroke') && !el.closest('[stroke-dasharray]')) el.setAttribute('stroke-dasharray', '6,3');
    el.classList.add('overlay-mark');
  }
  return layer;
}

/**
 * The verdict line and the CLI's table (compare.ts reportTable), every cell as text. Each cell also
 * carries its column's name, which a narrow box shows beside it when the rows stack as cards
 * (figures.css); the roles keep it a table to assistive tech whatever its display.
 */
function compareTable(report: CompareReport): HTMLElement[] {
  const verdict = document.createElement('p');
  verdict.className = `compare-verdict compare-${report.verdict}`;
  const against = report.reference.map((r) => r.runId).join(', ') || 'none';
  verdict.textContent = `${verdictLine(report)} (compared with the published ${against.includes(',') ? 'records' : 'run'} ${against})`;
  const { header, rows } = reportTable(report);
  const table = document.createElement('table');
  table.className = 'compare-table';
  table.setAttribute('role', 'table');
  const thead = table.createTHead();
  thead.setAttribute('role', 'rowgroup');
  const head = thead.insertRow();
  head.setAttribute('role', 'row');
  for (const h of header) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.setAttribute('role', 'columnheader');
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  body.setAttribute('role', 'rowgroup');
  for (const row of rows) {
    const tr = body.insertRow();
    tr.setAttribute('role', 'row');
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      td.setAttribute('role', 'cell');
      td.dataset.label = header[i]!;
      td.textContent = cell;
    });
  }
  const scroll = document.createElement('div');
  scroll.className = 'compare-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', 'Compare table');
  scroll.append(table);
  return [verdict, scroll];
}
