// Colours shared by figures. Build colours keep a 3:1 contrast on both the light and dark page
// backgrounds (charts are drawn with currentColor, so axes follow the theme).
export const buildColor = { zig: '#c2570c', rust: '#2f6fd6', unknown: '#7a7a7a' } as const;

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
