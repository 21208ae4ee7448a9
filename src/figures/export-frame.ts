// The frame around a downloaded chart (SVG and PNG), laid out like an Our World in Data export:
// title, a one-line subtitle and the builds above the chart; the source (site, run, date), the
// figure's URL and the licence below it. A download is not themed: plain fonts, dark text on a
// white rectangle, every colour explicit, so it reads the same pasted into a review or a slide.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { isoDay } from '../lib/format.ts';
import { figureProvenance, provenanceLabel } from '../lib/provenance.ts';
import { dataDate } from '../lib/runs.ts';
import { SITE_LICENSE, SITE_TITLE } from '../lib/site.ts';
import { figureHeadline } from './registry.ts';
import { figureSource } from './source.ts';
import { textWidth } from './text-width.ts';
import { el, parseSvg, serializeSvg, walkSvg, type SvgElement } from './svg-tree.ts';
import type { FigureModule, Row } from './types.ts';

/** Text and background of a download; the chart's currentColor resolves to INK. */
const INK = '#1c1e21';
const MUTED = '#4a4d52'; // 8.4:1 on white
const LINK = '#1d4ed8';
const RULE = '#c9ccd1';
/** Fonts every desktop has (Liberation Sans and DejaVu Sans on Linux), no web font to fetch. */
export const FRAME_FONT = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

const MARGIN = 24;
const MIN_WIDTH = 560;

export interface FrameText {
  /** The figure's headline (registry.ts figureHeadline), as the page's caption says it. */
  title: string;
  subtitle: string;
  /** "Bun 1.3.14 (Zig), revision 1.3.14+0d9b296af", one per build; for the matrix, how many and which. */
  builds: string[];
  /** "Source: Bun Rewrite Casebook, run <runId>, <date>" (or "<n> version-matrix records"). */
  source: string;
  /** The figure's permalink on the site, when the figure appears in an article. */
  url: string | undefined;
  licence: string;
}

export function frameText(
  figure: FigureModule<Row>,
  records: readonly RunRecord[],
  rows: readonly Row[],
  url: string | undefined,
): FrameText {
  const provenance = figureProvenance(figureSource(figure), records);
  const day = dataDate(records);
  const subtitle = figure.exportSubtitle;
  const builds = !provenance
    ? []
    : 'kind' in provenance
      ? [`${provenance.buildCount} published builds, ${provenance.firstBuild} to ${provenance.lastBuild}`]
      : provenance.builds.map((b) => `Bun ${b.label}, revision ${b.revision}`);
  return {
    title: figureHeadline(figure, rows),
    subtitle,
    builds,
    source:
      provenance && day
        ? `Source: ${SITE_TITLE}, ${provenanceLabel(provenance)}, ${isoDay(day)}`
        : `Source: ${SITE_TITLE}, no recorded run yet`,
    url,
    licence: `Licence: ${SITE_LICENSE.name} (${SITE_LICENSE.spdx}); free to reuse, keeping this source line.`,
  };
}

/** Words to lines no wider than maxWidth; a word longer than a line (a URL) is cut at / . - or anywhere. */
export function wrapText(text: string, fontSize: number, maxWidth: number, bold = false): string[] {
  const fits = (s: string) => textWidth(s, fontSize, bold) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line)) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      const soft = Math.max(
        line.lastIndexOf('/', cut - 1),
        line.lastIndexOf('-', cut - 1),
        line.lastIndexOf('.', cut - 1),
      );
      if (soft > cut / 2) cut = soft + 1;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface Block {
  lines: string[];
  size: number;
  weight?: 'bold';
  fill: string;
  /** Space above the block, px. */
  gap: number;
  href?: string;
  role: string;
}

export interface FramedFigure {
  svg: string;
  width: number;
  height: number;
}

/**
 * Wraps the chart SVG (as renderFigure returns it) in the export frame. The chart's own root
 * attributes (class, fill, font size) move to a group inside a nested <svg>, so Plot's scoped
 * style still applies and the chart keeps its own coordinate system.
 */
export function exportFrame(
  chart: { svg: string; width: number; height: number },
  text: FrameText,
  description: string,
): FramedFigure {
  const width = Math.max(MIN_WIDTH, Math.ceil(chart.width) + 2 * MARGIN);
  const inner = width - 2 * MARGIN;
  const block = (
    t: string,
    size: number,
    fill: string,
    gap: number,
    role: string,
    extra: Partial<Block> = {},
  ): Block => ({
    lines: wrapText(t, size, inner, extra.weight === 'bold'),
    size,
    fill,
    gap,
    role,
    ...extra,
  });
  const head: Block[] = [
    block(text.title, 20, INK, 0, 'title', { weight: 'bold' }),
    block(text.subtitle, 14, MUTED, 4, 'subtitle'),
    ...(text.builds.length ? [block(`Builds: ${text.builds.join('; ')}`, 12, MUTED, 6, 'builds')] : []),
  ];
  const foot: Block[] = [
    block(text.source, 12, INK, 0, 'source'),
    ...(text.url ? [block(text.url, 12, LINK, 2, 'url', { href: text.url })] : []),
    block(text.licence, 12, MUTED, 2, 'licence'),
  ];

  const parts: SvgElement[] = [];
  let y = MARGIN;
  const draw = (blocks: Block[]) => {
    for (const b of blocks) {
      y += b.gap;
      const lineHeight = Math.round(b.size * 1.3);
      const lines = b.lines.map((l, i) =>
        el(
          'text',
          {
            x: MARGIN,
            y: y + i * lineHeight + Math.round(b.size * 0.95),
            'font-size': b.size,
            'font-weight': b.weight,
            fill: b.fill,
          },
          [l],
        ),
      );
      const group = el('g', { 'data-frame': b.role }, lines);
      parts.push(b.href ? el('a', { href: b.href }, [group]) : group);
      y += b.lines.length * lineHeight;
    }
  };
  draw(head);
  y += 16;
  parts.push(nestChart(chart, MARGIN + (inner - chart.width) / 2, y));
  y += chart.height + 16;
  parts.push(el('line', { x1: MARGIN, x2: width - MARGIN, y1: y, y2: y, stroke: RULE, 'stroke-width': 1 }));
  y += 10;
  draw(foot);
  const height = Math.ceil(y + MARGIN - 4);

  const svg = el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': 'frame-title frame-desc',
      'font-family': FRAME_FONT,
      color: INK,
    },
    [
      el('title', { id: 'frame-title' }, [text.title]),
      el('desc', { id: 'frame-desc' }, [description]),
      el('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
      ...parts,
    ],
  );
  return { svg: serializeSvg(svg), width, height };
}

/** Root attributes that describe the chart as a standalone image, not its drawing. */
const DROPPED = new Set([
  'xmlns',
  'xmlns:xlink',
  'width',
  'height',
  'viewbox',
  'role',
  'aria-label',
  'aria-description',
  'style',
  'font-family',
]);

/**
 * The chart as a nested <svg> at (x, y): its root's drawing attributes (class, fill, font size) on a
 * group inside it, so Plot's scoped style still applies and the chart keeps its own coordinates.
 */
function nestChart(chart: { svg: string; width: number; height: number }, x: number, y: number): SvgElement {
  const root = parseSvg(chart.svg);
  if (root.name !== 'svg') throw new Error('exportFrame: the chart is not a single <svg> element.');
  const viewBox = root.attrs.find(([k]) => k.toLowerCase() === 'viewbox')?.[1] ?? `0 0 ${chart.width} ${chart.height}`;
  const kept = root.attrs.filter(([k]) => !DROPPED.has(k.toLowerCase()));
  for (const child of root.children) if (typeof child !== 'string') walkSvg(child, resolveCssVariables);
  const group: SvgElement = {
    name: 'g',
    attrs: [...kept, ['color', INK], ['font-family', FRAME_FONT]],
    children: root.children,
  };
  return el(
    'svg',
    { x: round(x), y: round(y), width: chart.width, height: chart.height, viewBox, overflow: 'visible' },
    [group],
  );
}

/** var(--name, fallback) → fallback, in attributes and style text: a download has no page stylesheet to define the variable. */
function resolveCssVariables(element: SvgElement): void {
  const resolve = (s: string) => s.replace(/var\(--[\w-]+,\s*([^()]+?)\s*\)/g, '$1');
  element.attrs = element.attrs.map(([k, v]) => [k, resolve(v)]);
  element.children = element.children.map((c) => (typeof c === 'string' ? resolve(c) : c));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
