// Colours shared by figures. Charts draw axes and labels in currentColor, so they follow the theme.
// Build colours also colour text on the page background, so each has a shade per theme that keeps
// 4.5:1 there: the light one is drawn into the SVG (and the downloads, on white); the page's
// figures.css swaps in the dark one through the class themedClass() gives it.
//
// A line (Zig, Rust) has warm or cool hues, so a reader sees the line at a glance; builds of the
// same line in one chart take its shades in turn (buildColors), so they stay apart too.
import type { SqlTrialVerdictKind } from '../../repro/core/record/schema.ts';

export type Line = 'zig' | 'rust' | 'unknown';

/** Each line's shades, light and dark; the first is the line's own colour. */
export const lineShades: Readonly<Record<Line, readonly { light: string; dark: string }[]>> = {
  zig: [
    { light: '#b5530b', dark: '#f0883e' },
    { light: '#b3261e', dark: '#ff7b72' },
    { light: '#7d5a00', dark: '#e3b341' },
  ],
  rust: [
    { light: '#2a64c4', dark: '#6ea8fe' },
    { light: '#0f766e', dark: '#2dd4bf' },
    { light: '#6d28d9', dark: '#b392f0' },
  ],
  unknown: [
    { light: '#6b6b6b', dark: '#a8a8a8' },
    { light: '#4a4a4a', dark: '#d0d0d0' },
  ],
};

const lines = Object.keys(lineShades) as Line[];
const shadeOf = (pick: 'light' | 'dark') =>
  Object.fromEntries(lines.map((l) => [l, lineShades[l][0][pick]])) as Record<Line, string>;

/** Each line's own colour (its first shade), on a light page. */
export const buildColor = shadeOf('light');

/** The CSS name of a shade: "zig" for a line's own colour, "zig-2" for its second shade. */
export const shadeName = (line: Line, index: number) => (index === 0 ? line : `${line}-${index + 1}`);

/**
 * One colour per build, in the order given: each line's builds take its shades in turn (repeating
 * past the last, where a chart's labels must tell them apart). Returns the light colour, drawn into
 * the SVG.
 */
export function buildColors(builds: readonly { build: string; line: string }[]): Map<string, string> {
  const used: Record<string, number> = {};
  const colours = new Map<string, string>();
  for (const { build, line } of builds) {
    if (colours.has(build)) continue;
    const l: Line = (lines as string[]).includes(line) ? (line as Line) : 'unknown';
    const i = used[l] ?? 0;
    used[l] = i + 1;
    colours.set(build, lineShades[l][i % lineShades[l].length].light);
  }
  return colours;
}

export const outcomeColor = { ok: '#2e8540', error: '#c2570c', hang: '#c0262d' } as const;

// Every verdict kind a SQL trial can have gets a colour: a new kind in the schema does not compile until it has one.
export const verdictColor = {
  recovers: '#2e8540',
  'fails-fast': '#d9a400',
  hangs: '#c0262d',
  corrupted: '#7b2cbf',
  'condition-not-met': '#b0b0b0',
  skipped: '#8a8a8a',
  interrupted: '#5a5a5a',
} as const satisfies Record<SqlTrialVerdictKind, string>;

/** Label colour on each verdict fill: white where it keeps 4.5:1, near-black on the light fills. */
export const verdictTextColor = {
  recovers: '#ffffff',
  'fails-fast': '#1c1e21',
  hangs: '#ffffff',
  corrupted: '#ffffff',
  'condition-not-met': '#1c1e21',
  skipped: '#1c1e21',
  interrupted: '#ffffff',
} as const;

/** "fig-fill-zig" for fill="#b5530b", "fig-stroke-rust-2" for a second Rust shade: the class figures.css themes; undefined for other colours. */
export function themedClass(colour: string | null, attr: 'fill' | 'stroke'): string | undefined {
  for (const line of lines) {
    const i = lineShades[line].findIndex((s) => s.light === colour?.toLowerCase());
    if (i >= 0) return `fig-${attr}-${shadeName(line, i)}`;
  }
  return undefined;
}
