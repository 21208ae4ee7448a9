// "Compare with your run", in the browser: the chunk CompareRun.astro's loader fetches on first use.
// It reads the reader's files (src/figures/overlay.ts), fetches the figure's published records (its
// JSON download), draws both with the figure's own module and render.ts on one frame, the reader's in
// the overlay colour, and shows the CLI's compare table. Nothing leaves the browser. Record text
// reaches the page only through textContent, or as SVG text escaped by Plot and render.ts.
import './zod-jitless.ts';
import { reportTable, verdictLine } from '../../repro/core/compare/compare.ts';
import type { CompareReport } from '../../repro/core/compare/report.ts';
import { recordFrom } from '../../repro/core/record/parse.ts';
import type { LoadedRecord } from '../../repro/core/record/parse.ts';
import { LAYOUTS, type Layout } from '../figures/layout.ts';
import { compareOverlay, overlayRows, readDropped, type DroppedFile } from '../figures/overlay.ts';
import { getFigure } from '../figures/registry.ts';
import { onFrameOf, renderFigure } from '../figures/render.ts';
import type { FigureModule, Row } from '../figures/types.ts';
import { svgNode } from './svg-node.ts';

/** The published records of each figure, fetched once per page. */
const published = new Map<string, Promise<LoadedRecord[]>>();

function publishedRecords(figure: FigureModule<Row>): Promise<LoadedRecord[]> {
  const url = `/figures/${figure.id}.json`;
  let records = published.get(url);
  if (!records) {
    records = fetch(url)
      .then((r) => (r.ok ? (r.json() as Promise<{ records: unknown[] }>) : Promise.reject(new Error(`${url} answered ${r.status}`))))
      .then((json) => json.records.map((r, i) => ({ file: url, record: recordFrom(`${url} [${i}]`, r) })));
    // A failed fetch is tried again next time, not remembered.
    records.catch(() => published.delete(url));
    published.set(url, records);
  }
  return records;
}

/** Compares the reader's files with the figure's published run and shows the result in the control's box. */
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
    const draw = (layout: Layout) => drawing(figure, dropped.records, reference, layout);
    const layout = layoutFor(box);
    const chart = draw(layout);
    result.replaceChildren(chart, ...compareTable(report));
    keepFitted(box, draw, chart, layout);
    result.hidden = false;
    // The published run itself, dropped back in: drawn, but, as in the CLI, never compared with itself.
    const itself = reference.some((p) => dropped.records.some((d) => d.record.runId === p.record.runId));
    const why = itself ? ' These are the published records themselves, and a run is never compared with itself: rerun or replay it to compare.' : '';
    say(`${dropped.records.length} record${dropped.records.length === 1 ? '' : 's'} of yours compared: ${report.verdict.toUpperCase()}.${why}`);
  } catch (error) {
    // Whatever went wrong (the download unreachable, a chart that cannot be drawn), one line, and the control stays usable.
    say(`Could not compare: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200)}`, true);
  }
}

/** The widest layout the box has room for (the narrow one on a phone). */
function layoutFor(box: HTMLElement): Layout {
  return [...LAYOUTS].reverse().find((l) => l.width <= box.clientWidth) ?? LAYOUTS[0]!;
}

const fitting = new WeakMap<HTMLElement, ResizeObserver>();

/** Draws the chart again when the box comes to fit another layout (a phone turned, a window resized). */
function keepFitted(box: HTMLElement, draw: (layout: Layout) => HTMLElement, chart: HTMLElement, layout: Layout): void {
  fitting.get(box)?.disconnect();
  let shown = { chart, layout };
  const observer = new ResizeObserver(() => {
    const next = layoutFor(box);
    if (next === shown.layout) return;
    const redrawn = draw(next);
    shown.chart.replaceWith(redrawn);
    shown = { chart: redrawn, layout: next };
  });
  observer.observe(box);
  fitting.set(box, observer);
}

/** Both layers on one frame, with a key, at `layout`. */
function drawing(figure: FigureModule<Row>, yours: readonly LoadedRecord[], reference: readonly LoadedRecord[], layout: Layout): HTMLElement {
  const rows = overlayRows(figure, reference.map((l) => l.record), yours.map((l) => l.record));
  const framed = onFrameOf(figure, rows.frame, layout);
  const matrix = figure.source === 'matrix';
  const theirs = svgNode(renderFigure(framed, rows.published, undefined, layout).svg, matrix ? 'overlay-matrix' : 'overlay-published');
  const mine = inOverlayColour(svgNode(renderFigure(framed, rows.yours, undefined, layout).svg, 'overlay-yours'), matrix);
  // One image to assistive tech: the reader's layer, labelled; the published one is what the figure above already says.
  theirs.setAttribute('aria-hidden', 'true');
  mine.setAttribute('aria-label', `${figure.title}: your run${matrix ? "'s cells outlined" : ''} over the published one`);
  const layers = document.createElement('div');
  layers.className = 'overlay-layers';
  layers.append(theirs, mine);
  const key = document.createElement('p');
  key.className = 'overlay-key';
  const swatch = document.createElement('span');
  swatch.className = 'overlay-swatch';
  swatch.setAttribute('aria-hidden', 'true');
  const names = [...new Set(yours.map((l) => l.record.runtime.label))].join(', ');
  key.append(swatch, matrix ? `Outlined: the cells of your records (${names}).` : `Your run (${names}); faint behind it: the published run.`);
  const wrap = document.createElement('div');
  wrap.append(key, layers);
  return wrap;
}

// Colours a layer leaves alone: the theme's text and axes, no paint, and the inks drawn on top of fills.
const NEUTRAL = /^(none|currentcolor|transparent|white|#fff|#ffffff|#1c1e21)$/i;

/**
 * The reader's layer in the overlay colour (figures.css): every mark painted in a build's or an
 * outcome's colour takes it. On the version matrix, whose merged cells already show the reader's
 * statuses, the layer keeps only an outline around each of the reader's cells.
 */
function inOverlayColour(svg: SVGSVGElement, outlineOnly: boolean): SVGSVGElement {
  for (const el of svg.querySelectorAll('.fig-legend')) el.remove();
  if (outlineOnly) for (const el of svg.querySelectorAll('text, [stroke="currentColor"]')) el.remove();
  for (const el of svg.querySelectorAll('[fill], [stroke]')) {
    for (const attr of ['fill', 'stroke'] as const) {
      const value = el.getAttribute(attr);
      if (value === null || NEUTRAL.test(value)) continue;
      el.classList.add(outlineOnly ? 'overlay-outline' : el.tagName === 'text' ? 'overlay-text' : `overlay-${attr}`);
    }
  }
  return svg;
}

/** The verdict line and the CLI's table (compare.ts reportTable), every cell as text. */
function compareTable(report: CompareReport): HTMLElement[] {
  const verdict = document.createElement('p');
  verdict.className = `compare-verdict compare-${report.verdict}`;
  const against = report.reference.map((r) => r.runId).join(', ') || 'none';
  verdict.textContent = `${verdictLine(report)} (compared with the published ${against.includes(',') ? 'records' : 'run'} ${against})`;
  const { header, rows } = reportTable(report);
  const table = document.createElement('table');
  table.className = 'compare-table';
  const head = table.createTHead().insertRow();
  for (const h of header) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  const scroll = document.createElement('div');
  scroll.className = 'compare-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'region');
  scroll.setAttribute('aria-label', 'Compare table');
  scroll.append(table);
  return [verdict, scroll];
}
