// The live page's script (served by repro/harness/live/server.ts): reads the event stream, folds the
// events back into run records, and draws them with the site's figure modules and render.ts, the
// same code the articles are drawn with. Built into repro/harness/live/client.js by build-client.ts.
// Text from records reaches the page through textContent or render.ts's escaping only.
import type { LiveCompare, LiveEvent } from '../../repro/harness/live/events.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { LAYOUTS, type Layout } from '../figures/layout.ts';
import { renderFigure } from '../figures/render.ts';
import type { FigureModule, Row } from '../figures/types.ts';
import { svgNode } from '../client/svg-node.ts';
import { siteScenario } from '../scenarios/registry.ts';
import { modeLabel } from '../../repro/harness/live/page.ts';
import { progressLines } from './progress.ts';
import type { LiveFigure } from '../scenarios/types.ts';

const $ = (id: string) => document.getElementById(id)!;
// The scenario's live view: its figures, and how it folds the harness's updates into each build's state.
const scenario = siteScenario(document.body.dataset.scenario ?? '');
const view = scenario.live;
/** Each build's state, by the index the harness gives it. */
const builds: unknown[] = [];
/** Each build's name, from its record, for the status line. */
const labels: string[] = [];
let reference: RunRecord[] = [];
let referenceRunId: string | null = null;
let mode: 'live' | 'replay' = document.body.dataset.mode === 'replay' ? 'replay' : 'live';
let ended = false;
let pending = false;
let points = 0;
/** The replay's speed: the time left is on the reader's clock, not the recorded one. */
let speed = 1;

// The heading names what the run reproduces, in the words the site and the bundles use for it.
setText($('heading'), `${modeLabel(mode)}: ${scenario.title}`);

// One <figure> per figure of the view, in its order, each named after the figure (#fig-<id>).
const boxes = view.figures.map((f) => {
  const box = document.createElement('figure');
  box.id = `fig-${f.figure.id}`;
  box.className = 'live-figure';
  const layers = document.createElement('div');
  layers.className = 'layers';
  box.append(layers, document.createElement('figcaption'));
  return box;
});
$('figures').replaceChildren(...boxes);

function setText(el: Element, text: string) {
  el.textContent = text;
}

/** The layout a figure is drawn at: the wide one where it has the width, the narrow one on a phone. */
function layoutFor(box: HTMLElement): Layout {
  const fits = LAYOUTS.filter((l) => l.width <= box.clientWidth);
  return fits.at(-1) ?? LAYOUTS[0]!;
}

/**
 * A figure drawn on one frame for every layer shown (the published run's and the run's): the
 * dimensions, axes, colours and legend of all their rows together, so that the layers line up.
 */
function framed(figure: FigureModule<Row>, all: Row[], layout: Layout): FigureModule<Row> {
  const { width, height, marginTop, marginRight, marginBottom, marginLeft, x, y, color } = figure.spec(all, layout);
  const frame = { width, height, marginTop, marginRight, marginBottom, marginLeft, x, y, color };
  return {
    ...figure,
    spec: (rows, l) => ({ ...figure.spec(rows, l), ...frame }),
    ...(figure.legend ? { legend: (_rows: readonly Row[], l: Layout) => figure.legend!(all, l) } : {}),
  };
}

const overlaps = (a: DOMRect, b: DOMRect) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Labels never overlap. The run's own layer comes first: it is drawn from the rows so far, on the
 * frame of them all, so a label it places from its own rows (the end of a reference line while only
 * the small payloads are in) can land on one of its axes' ticks; a label that meets one before it (the
 * axes come first) is hidden. Then the published run's labels give way to every label shown: its axes'
 * ticks, which fall on the same spots, the peak and limit labels, and its own labels placed from a
 * run cut short at the same point. A label the screen would cut (that reference line's label, anchored
 * at its end, left of a first upload of 8 MiB) is hidden too: half a label misleads.
 */
function hideCollidingLabels(layers: readonly Element[]) {
  const taken: DOMRect[] = [];
  const screenWidth = document.documentElement.clientWidth;
  for (const layer of [...layers].reverse())
    for (const text of layer.querySelectorAll('text')) {
      const box = text.getBoundingClientRect();
      // The published run's legend is hidden (live.css): it takes no room.
      const drawn = box.width > 0 && box.height > 0 && getComputedStyle(text).visibility !== 'hidden';
      const hidden = drawn && (taken.some((t) => overlaps(t, box)) || box.left < 0 || box.right > screenWidth);
      text.classList.toggle('label-hidden', hidden);
      if (drawn && !hidden) taken.push(box);
    }
}

function drawFigure(box: HTMLElement, { figure, records, reference: behind }: LiveFigure<unknown>) {
  const rows = figure.select(records(builds));
  const faint = behind ? figure.select(behind(reference, builds)) : [];
  if (rows.length === 0 && faint.length === 0) return;
  const layout = layoutFor(box);
  const drawn = faint.length > 0 ? framed(figure, [...faint, ...rows], layout) : figure;
  const layers = [
    ...(faint.length > 0 ? [{ rows: faint, className: 'reference' }] : []),
    ...(rows.length > 0 ? [{ rows, className: 'current' }] : []),
  ].map((l) => svgNode(renderFigure(drawn, l.rows, drawn.summary(l.rows), layout).svg, l.className));
  box.querySelector('.layers')!.replaceChildren(...layers);
  if (layers.length > 0) hideCollidingLabels(layers);
  box.dataset.layout = String(layout.width);
  // The summary reads the verdicts, which are the run's only once it has ended.
  setText(
    box.querySelector('figcaption')!,
    ended && rows.length > 0 ? `${figure.title}. ${figure.summary(rows)}` : `${figure.title}.`,
  );
}

function draw() {
  pending = false;
  view.figures.forEach((f, i) => drawFigure(boxes[i]!, f));
  document.body.dataset.points = String(points);
}

function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(draw);
}

function status() {
  const word = mode === 'replay' ? 'Replaying' : 'Running';
  const detail = progressLines(
    builds.map((b, i) => ({ label: labels[i]!, progress: view.progress(b) })),
    view.together,
    speed,
  );
  setText($('status'), `${word}… ${detail}${referenceRunId ? ` (faint: the published run ${referenceRunId})` : ''}`);
}

function showEnd(e: Extract<LiveEvent, { type: 'end' }>) {
  const result = $('result');
  result.hidden = false;
  setText($('status'), `${mode === 'replay' ? 'Replay' : 'Run'} ended: ${e.message}`);
  setText($('end-message'), e.message);
  showCompare(e.compare);
  const list = $('records');
  list.replaceChildren(
    ...e.records.map((r) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = r.href;
      setText(a, r.file);
      li.append(`${r.label}: `, a);
      return li;
    }),
  );
  document.body.dataset.ended = e.status;
  ended = true;
}

function showCompare(c: LiveCompare | null) {
  const verdict = $('verdict');
  if (!c) return setText(verdict, 'Not compared.');
  verdict.className = `verdict-${c.verdict}`;
  const table = $('compare-rows');
  // Replaying the published run itself: the reference leaves it out (a run is never compared with
  // itself), so every row would read "none". Say why instead.
  table.hidden = c.reference === null;
  if (c.reference === null) {
    return setText(
      verdict,
      `Compare verdict: ${c.verdict.toUpperCase()} — there is no other published run of this scenario to compare with (a run is never compared with itself; replay or run your own to compare).`,
    );
  }
  const { reproduced, differs, notComparable } = c.counts;
  setText(
    verdict,
    `Compare verdict: ${c.verdict.toUpperCase()} — ${reproduced} reproduced, ${differs} differ, ${notComparable} not comparable (published run: ${c.reference ?? 'none'})`,
  );
  // Each cell carries its column's name, which the narrow layout shows beside it (live.css).
  const columns = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
  table.querySelector('tbody')!.replaceChildren(
    ...c.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const [i, cell] of [row.build, row.item, row.published, row.yours, row.verdict, row.rule].entries()) {
        const td = document.createElement('td');
        td.dataset.label = columns[i] ?? '';
        setText(td, cell);
        tr.append(td);
      }
      return tr;
    }),
  );
}

const source = new EventSource('/events');
const on = (type: LiveEvent['type'], handle: (e: never) => void) =>
  source.addEventListener(type, (m) => handle(JSON.parse((m as MessageEvent<string>).data) as never));

on('hello', (e: Extract<LiveEvent, { type: 'hello' }>) => {
  mode = e.mode;
  speed = e.speed ?? 1;
  reference = e.reference;
  referenceRunId = e.referenceRunId;
  builds.length = 0;
  setText($('status'), mode === 'replay' ? `Replaying at ${e.speed}× the recorded speed…` : 'Running…');
});
on('record', (e: Extract<LiveEvent, { type: 'record' }>) => {
  builds[e.index] = view.start(e.record);
  labels[e.index] = e.record.runtime.label;
  status();
  schedule();
});
on('update', (e: Extract<LiveEvent, { type: 'update' }>) => {
  if (builds[e.index] === undefined) return;
  builds[e.index] = view.fold(builds[e.index], e.payload);
  points++;
  status();
  schedule();
});
on('end', (e: Extract<LiveEvent, { type: 'end' }>) => {
  showEnd(e);
  schedule();
  // The run is over: no reconnecting once the harness has gone.
  source.close();
});
// A phone turned, a window resized: the figures are drawn again at the layout that fits.
let width = document.documentElement.clientWidth;
window.addEventListener('resize', () => {
  if (document.documentElement.clientWidth === width) return;
  width = document.documentElement.clientWidth;
  schedule();
});
source.onerror = () => {
  if (source.readyState === EventSource.CLOSED)
    setText($('status'), 'The harness has stopped (the event stream closed).');
};
