// The live page's script (served by repro/harness/live/server.ts): reads the event stream, folds the
// events back into run records, and draws them with the site's figure modules and render.ts, the
// same code the articles are drawn with. Built into repro/harness/live/client.js by build-client.ts.
// Text from records reaches the page through textContent or render.ts's escaping only.
import type { LiveCompare, LiveEvent } from '../../repro/harness/live/events.ts';
import type { RunRecord, S3LeakRecord, SqlTrial } from '../../repro/harness/record/schema.ts';
import { DOWNLOAD_LAYOUT } from '../figures/layout.ts';
import { renderFigure } from '../figures/render.ts';
import { s3Rss } from '../scenarios/s3-leak/figures/s3-rss.ts';
import { sqlTimeline } from '../scenarios/sql-pool/figures/sql-timeline.ts';
import { sqlVerdicts } from '../scenarios/sql-pool/figures/sql-verdicts.ts';
import type { FigureModule, Row } from '../figures/types.ts';
import type { PlotOptions } from '@observablehq/plot';
import { svgNode } from '../client/svg-node.ts';

const $ = (id: string) => document.getElementById(id)!;
const records: RunRecord[] = [];
/** sql-pool: each build's trial in progress, for the timeline. */
const currents: (SqlTrial | undefined)[] = [];
let reference: RunRecord[] = [];
let referenceRunId: string | null = null;
let mode: 'live' | 'replay' = document.body.dataset.mode === 'replay' ? 'replay' : 'live';
let pending = false;
let points = 0;

function setText(el: Element, text: string) {
  el.textContent = text;
}

function show(id: string, figure: FigureModule<Row>, rows: Row[], layers: { figure: FigureModule<Row>; rows: Row[]; className?: string }[] = []) {
  const box = $(id);
  const rendered = [...layers, { figure, rows, className: 'current' }].map((l) => svgNode(renderFigure(l.figure, l.rows).svg, l.className));
  box.querySelector('.layers')!.replaceChildren(...rendered);
  setText(box.querySelector('figcaption')!, `${figure.title}. ${rows.length > 0 ? figure.summary(rows) : ''}`);
}

/**
 * s3-rss, read by read, with the published run faint behind it up to the same read. Both layers are
 * the one figure module, drawn on one frame (the axes and legend of everything shown), so they line up.
 */
function drawS3() {
  const live = records.filter((r): r is S3LeakRecord => r.scenario === 's3-leak' && r.samples.length > 0);
  const liveRows = s3Rss.select(live);
  if (liveRows.length === 0) return;
  const lastRead = Math.max(1, ...live.map((r) => r.samples.at(-1)!.iteration));
  const refRows = s3Rss.select(reference).filter((r) => r.iteration <= lastRead);
  const all = [...refRows, ...liveRows];
  const frame = s3Rss.spec(all, DOWNLOAD_LAYOUT) as PlotOptions & { x: { domain: number[] }; y: { domain: number[] } };
  const framed: FigureModule<Row> = {
    ...(s3Rss as unknown as FigureModule<Row>),
    spec(rows, layout) {
      const options = s3Rss.spec(rows as never, layout);
      return { ...options, x: { ...options.x, domain: frame.x.domain }, y: { ...options.y, domain: frame.y.domain } };
    },
    legend: (_rows, layout) => s3Rss.legend!(all, layout),
  };
  const layers = refRows.length > 0 ? [{ figure: framed, rows: refRows as Row[], className: 'reference' }] : [];
  show('fig-s3-rss', framed, liveRows as Row[], layers);
}

function drawSql() {
  const sql = records.filter((r) => r.scenario === 'sql-pool');
  show('fig-sql-verdicts', sqlVerdicts as unknown as FigureModule<Row>, sqlVerdicts.select(sql) as Row[]);
  // The timeline of the repetition that came in last: each build's latest trial, its latest repetition.
  const current = sql.map((r, i) => {
    const trial = currents[i] ?? r.trials.at(-1);
    return { ...r, trials: trial ? [{ ...trial, repetitions: trial.repetitions.slice(-1) }] : [] };
  });
  show('fig-sql-timeline', sqlTimeline as unknown as FigureModule<Row>, sqlTimeline.select(current) as Row[]);
}

function draw() {
  pending = false;
  if (document.body.dataset.scenario === 's3-leak') drawS3();
  else drawSql();
  document.body.dataset.points = String(points);
}

function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(draw);
}

function status() {
  const word = mode === 'replay' ? 'Replaying' : 'Running';
  const s3 = records.filter((r): r is S3LeakRecord => r.scenario === 's3-leak');
  const detail = s3.length > 0
    ? s3.map((r) => `${r.runtime.label}: ${r.samples.length > 0 ? `read ${r.samples.at(-1)!.iteration}` : 'starting'}`).join(' · ')
    : records.map((r) => `${r.runtime.label}: ${r.scenario === 'sql-pool' ? `${r.trials.length} trial(s)` : ''}`).join(' · ');
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
}

function showCompare(c: LiveCompare | null) {
  const verdict = $('verdict');
  if (!c) return setText(verdict, 'Not compared.');
  verdict.className = `verdict-${c.verdict}`;
  const { reproduced, differs, notComparable } = c.counts;
  setText(verdict, `Compare verdict: ${c.verdict.toUpperCase()} — ${reproduced} reproduced, ${differs} differ, ${notComparable} not comparable (published run: ${c.reference ?? 'none'})`);
  $('compare-rows').querySelector('tbody')!.replaceChildren(
    ...c.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const cell of [row.build, row.item, row.published, row.yours, row.verdict, row.rule]) {
        const td = document.createElement('td');
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
  reference = e.reference;
  referenceRunId = e.referenceRunId;
  records.length = 0;
  setText($('status'), mode === 'replay' ? `Replaying at ${e.speed}× the recorded speed…` : 'Running…');
});
on('record', (e: Extract<LiveEvent, { type: 'record' }>) => {
  records[e.index] = e.record;
  status();
  schedule();
});
on('sample', (e: Extract<LiveEvent, { type: 'sample' }>) => {
  const r = records[e.index];
  if (r?.scenario !== 's3-leak') return;
  r.samples.push(e.sample);
  // The figure rings each build's peak: until the verdict, the highest sample so far.
  if (e.sample.rss > r.verdict.peakRssBytes) r.verdict.peakRssBytes = e.sample.rss;
  points++;
  status();
  schedule();
});
on('trial', (e: Extract<LiveEvent, { type: 'trial' }>) => {
  const r = records[e.index];
  if (r?.scenario !== 'sql-pool') return;
  if (e.done) {
    r.trials[e.position] = e.trial;
    currents[e.index] = undefined;
  } else currents[e.index] = e.trial;
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
source.onerror = () => {
  if (source.readyState === EventSource.CLOSED) setText($('status'), 'The harness has stopped (the event stream closed).');
};
