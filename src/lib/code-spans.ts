// Some build-time text is written once, in Markdown, for a README (a bundle's needs, for one) and
// also shown on a page; the page renders its `code spans` as <code> instead of showing backticks.

/** A run of plain text, or a code span's content. */
export interface TextPart {
  text: string;
  code: boolean;
}

// A span opens with a run of backticks and closes at the next run of the same length (CommonMark);
// an unmatched run stays literal text.
const SPAN = /(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

export function codeSpans(markdown: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of markdown.matchAll(SPAN)) {
    if (m.index > at) parts.push({ text: markdown.slice(at, m.index), code: false });
    // CommonMark strips one space from each end when both are there (so `` `x` `` can hold a backtick).
    const body = m[2];
    parts.push({ text: /^ .*[^ ].* $/s.test(body) ? body.slice(1, -1) : body, code: true });
    at = m.index + m[0].length;
  }
  if (at < markdown.length) parts.push({ text: markdown.slice(at), code: false });
  return parts;
}
