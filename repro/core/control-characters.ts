// Characters a terminal, an SVG renderer or a bidi-aware display acts on instead of showing: C0
// controls, DEL, C1 controls (ESC and CSI start escape sequences; OSC 52 writes the clipboard), the
// line and paragraph separators, and the bidi overrides and isolates. The record schema refuses them
// (free text may still break lines and tab); text on its way to a terminal has them escaped here,
// so one definition serves the schema, the record writer and every CLI output. No Node imports.

const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/** A control character other than a line feed or a tab. */
export const CONTROL_CHARACTER = new RegExp(`[${CONTROLS}]`);
/** A control character, line feeds and tabs included: for text on one line. */
export const CONTROL_OR_BREAK = new RegExp(`[\\t\\n${CONTROLS}]`);

/** `\x1b`, `\u202e`: the character as its escape, which a terminal prints rather than obeys. */
function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Free text with its control characters escaped; line breaks and tabs kept. */
export function visibleControls(text: string): string {
  return text.replace(new RegExp(CONTROL_CHARACTER.source, 'g'), escaped);
}

/** Text for one line of a terminal: every control character, line breaks and tabs too, escaped. */
export function terminalSafe(text: string): string {
  return text.replace(new RegExp(CONTROL_OR_BREAK.source, 'g'), escaped);
}
