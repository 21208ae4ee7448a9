// Colours shared by figures. Charts draw axes and labels in currentColor, so they follow the theme.
// Build colours also colour text on the page background, so each has a shade per theme that keeps
// 4.5:1 there: the light one is drawn into the SVG (and the downloads, on white); the page's
// figures.css swaps in the dark one through the class themedClass() gives it.
export const buildColor = { zig: '#b5530b', rust: '#2a64c4', unknown: '#6b6b6b' } as const;

/** The dark-theme shade of each build colour (on #14161a: 7.2, 7.5 and 6.9 to 1). */
export const buildColorDark = { zig: '#f0883e', rust: '#6ea8fe', unknown: '#a8a8a8' } as const;

export const outcomeColor = { ok: '#2e8540', error: '#c2570c', hang: '#c0262d' } as const;

export const verdictColor = {
  recovers: '#2e8540',
  'fails-fast': '#d9a400',
  hangs: '#c0262d',
  corrupted: '#7b2cbf',
  'condition-not-met': '#b0b0b0',
  skipped: '#8a8a8a',
  interrupted: '#5a5a5a',
} as const;

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

/** "fig-fill-zig" for fill="#b5530b": the class figures.css themes; undefined for other colours. */
export function themedClass(colour: string | null, attr: 'fill' | 'stroke'): string | undefined {
  const line = (Object.keys(buildColor) as (keyof typeof buildColor)[]).find((k) => buildColor[k] === colour?.toLowerCase());
  return line ? `fig-${attr}-${line}` : undefined;
}
