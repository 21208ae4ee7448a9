// The sizes a figure is drawn at. An inline SVG scales with its container, and its text with it, so
// one drawing cannot keep text readable from a phone to a desktop: each figure is drawn at two
// widths, and the page shows the wide one where there is room for it and the narrow one elsewhere
// (figures.css, by container query). Text is FONT_SIZE px in the SVG: at least 12 CSS px down to
// 96 % of the layout's width. The narrow one is shown at most 1.4 times its width (text
// up to 17.5 px), so its text never looms; a third, middle layout would cost the page its weight.

export interface Layout {
  /** The SVG's width in its own px; the page shows this layout from this many CSS px wide up to the next one's. */
  width: number;
  /** Text size in SVG px. */
  fontSize: number;
  /** Narrow layouts shorten labels and stack what the wide ones put side by side. */
  narrow: boolean;
}

const FONT_SIZE = 12.5;

/** Narrowest first. 300 fits a 360 px phone's figure; 640 the article column on a desktop. */
export const LAYOUTS: readonly Layout[] = [
  { width: 300, fontSize: FONT_SIZE, narrow: true },
  { width: 640, fontSize: FONT_SIZE, narrow: false },
];

/** The downloads (SVG, PNG) are the widest layout. */
export const DOWNLOAD_LAYOUT: Layout = LAYOUTS[LAYOUTS.length - 1];

/** Line height used between stacked labels and legend rows. */
export const lineHeight = (fontSize = FONT_SIZE) => Math.round(fontSize * 1.5);
