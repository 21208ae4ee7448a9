// The one text-width estimate (src/figures/text-width.ts) against the font it stands for: DejaVu
// Sans, drawn by resvg (the renderer of the PNG downloads). A text's advance is measured as the ink
// of "|text|" less the ink of "||", so the glyphs' side bearings cancel out.
import { Resvg } from '@resvg/resvg-js';
import { expect, test } from 'vitest';
import { FAILURES } from '../../../src/lib/version-matrix.ts';
import { textWidth } from '../../../src/figures/text-width.ts';

const FONTS = {
  book: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};
const SIZE = 100;

function inkWidth(text: string, bold: boolean): number {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE * (text.length + 4)}" height="${SIZE * 2}">` +
    `<text x="10" y="${SIZE * 1.5}" font-family="DejaVu Sans" font-size="${SIZE}" font-weight="${bold ? 700 : 400}" ` +
    `style="white-space: pre" xml:space="preserve">${escaped}</text></svg>`;
  const box = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [bold ? FONTS.bold : FONTS.book], defaultFontFamily: 'DejaVu Sans' },
  }).getBBox();
  if (!box) throw new Error(`resvg drew nothing for ${JSON.stringify(text)}`);
  return box.width;
}

/** The advance of `text` at SIZE px, as resvg sets it in DejaVu Sans. */
const measured = (text: string, bold = false) => inkWidth(`|${text}|`, bold) - inkWidth('||', bold);

// What the figures and frames measure: tick labels, build names, headings, status words, frame lines.
const SAMPLES = [
  '1,000',
  '54.0 MiB',
  '900 MiB threshold',
  '1.3.14-canary.20260519.1',
  '1.3.14 (Zig)',
  '1.4.5 (Rust)',
  '✕ affected',
  '✓ not affected',
  '? inconclusive',
  '– not recorded',
  'Read (one S3File.arrayBuffer() each), log scale →',
  '↑ Memory (MiB, log scale)',
  'paused, fault applied',
  'Licence: CC BY 4.0; free to reuse — keeping this source line.',
  'WMQ@%&#',
  ...FAILURES.flatMap((f) => [f.heading.wide, f.heading.narrow].flatMap((h) => h.split('\n'))),
];

test.each([false, true])('bold %s: every sample is estimated at its width in DejaVu Sans, never narrower', (bold) => {
  for (const text of SAMPLES) {
    const real = measured(text, bold);
    const estimate = textWidth(text, SIZE, bold);
    // Never narrower than the font draws it (a label placed by it is not clipped); at most 3 % wider:
    // kerning ("WA"), which the estimate leaves out, only narrows a line.
    expect(estimate, text).toBeGreaterThanOrEqual(real - 0.01);
    expect(estimate, text).toBeLessThanOrEqual(real * 1.03);
  }
});

test('each character of the table is the width the font gives it', () => {
  for (const ch of 'iIl1mMW0.:; ✕✓→·') expect(textWidth(ch, SIZE), ch).toBeCloseTo(measured(ch), 0);
});

test('the width is proportional to the size, and a character the table lacks counts as an em', () => {
  expect(textWidth('1,000', 25)).toBeCloseTo(textWidth('1,000', 12.5) * 2);
  expect(textWidth('字', 12)).toBe(12);
  expect(textWidth('', 12)).toBe(0);
});
