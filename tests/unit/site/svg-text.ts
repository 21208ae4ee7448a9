// Where each upright label of a rendered figure reaches across the SVG, from its markup alone: its x
// (the translations of the groups around it and its own), its anchor, and its width by the site's one
// estimate (src/figures/text-width.ts), which is DejaVu Sans's advance. Rotated labels are left out.
import { JSDOM } from 'jsdom';
import { textWidth } from '../../../src/figures/text-width.ts';

interface TextExtent {
  text: string;
  left: number;
  right: number;
}

const translateX = (transform: string | null) => Number(/translate\(\s*(-?[\d.]+)/.exec(transform ?? '')?.[1] ?? 0);

/** The nearest value of an inherited attribute, from the element up to the root. */
function inherited(el: Element, name: string): string | null {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const v = e.getAttribute(name);
    if (v !== null) return v;
  }
  return null;
}

function textExtents(svg: string): TextExtent[] {
  const root = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document.documentElement;
  const extents: TextExtent[] = [];
  for (const text of root.querySelectorAll('text')) {
    let x = 0;
    let rotated = false;
    for (let e: Element | null = text; e && e !== root; e = e.parentElement) {
      const transform = e.getAttribute('transform');
      if (/rotate/.test(transform ?? '')) rotated = true;
      x += translateX(transform);
      if (e === text) x += Number(e.getAttribute('x') ?? 0);
    }
    if (rotated) continue;
    const size = Number(inherited(text, 'font-size'));
    const weight = inherited(text, 'font-weight');
    const bold = weight === 'bold' || Number(weight) >= 600;
    const anchor = inherited(text, 'text-anchor') ?? 'start';
    const spans = text.querySelectorAll('tspan');
    const lines = spans.length > 0 ? [...spans].map((s) => s.textContent ?? '') : [text.textContent ?? ''];
    for (const line of lines) {
      if (!line.trim()) continue;
      const w = textWidth(line, size, bold);
      const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
      extents.push({ text: line, left, right: left + w });
    }
  }
  return extents;
}

/** The labels that reach past either side of an SVG `width` px wide. */
export const clippedLabels = (svg: string, width: number) =>
  textExtents(svg)
    .filter((t) => t.left < -0.5 || t.right > width + 0.5)
    .map((t) => `${t.text} (${t.left.toFixed(1)} to ${t.right.toFixed(1)} of ${width})`);
