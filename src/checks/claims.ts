// Claims that cannot drift: a sentence of an article's prose that says which Bun build or line has,
// lacks, gained or lost a failure must take those words from a component that reads the records
// (<Stat>, <Ledger…>, <FailureBracket>…), or quote a source and carry <Cite>. Written by hand, such a
// sentence goes stale the day a record changes, so `npm run check:claims` names its file and line.
//
// A sentence is a claim when, outside component tags, it names a build or a line, names a failure,
// and says something happened to it. The three word lists are below; they are meant to over-match
// (a false alarm costs a rewording, a miss costs a wrong article).

/** A build or a line: a version number, or the words by which prose names a line or a release. */
const BUILD = [
  /\b\d+\.\d+\.\d+(?:-canary[\w.]*)?(?:\+[0-9a-f]+)?\b/,
  /\b1\.\d+\s+(?:line|releases?|builds?|series)\b/i,
  /\b(?:Zig|Rust)(?:[- ]based)?\s+(?:line|lines|builds?|releases?|code|port|canary|versions?|side|rewrite)\b/i,
  /\bthe\s+(?:rewrite|port|canary|canaries)\b/i,
  /\bstable\s+(?:Bun|builds?|releases?)\b/i,
  /\b(?:newer|newest|later|latest|older|earlier)\s+(?:builds?|releases?)\b/i,
];

/** A failure: what the casebook measures, or the words for one. */
const FAILURE =
  /\b(?:leak\w*|hang\w*|hung|corrupt\w*|deadlock\w*|begin\(\)|cold[- ]start|lazy[- ]rst|silent[- ](?:loss|connection|network)\w*|buffer\w*|keepalive|regress(?!ion tests?)\w*|bugs?|failures?|defects?|OOM|killed)(?![\w-])/i;

/** Something happened to it: has, lacks, gained, lost, and their many synonyms. */
const CHANGE =
  /\b(?:has|have|had|lacks?|lacked|fix\w*|broke|breaks?|brought|introduc\w*|gain\w*|lost|loses?|never|no longer|still|entered|left|regress(?!ion tests?)\w*|recover\w*|free of|without|came back|returns?|returned|carr(?:y|ies|ied)|gone|absent|present|did not|does not|didn't|doesn't|hangs|hung|leaks|leaked|credit\w*|solved|resolved|cured|avoid\w*|affected|unaffected|survive[sd]?)\b/i;

/** Components whose output is read from the records; their words never count as typed. */
const RECORD_COMPONENTS = [
  'Stat',
  'Ledger',
  'LedgerAt',
  'LedgerClass',
  'LedgerSummary',
  'MatrixCell',
  'MatrixCells',
  'FailureBracket',
  'VerdictTable',
  'OutcomeSummary',
  'Figure',
  'QuickProtocolCheck',
];

export interface Claim {
  line: number;
  sentence: string;
}

/**
 * The hand-typed claims of one MDX file: every sentence (a paragraph's sentences, a heading, a list
 * item, a table row) that names a build and a failure and a change in its own words, without <Cite>.
 */
export function findClaims(mdx: string): Claim[] {
  return sentences(mdx).filter(({ sentence }) => isTypedClaim(sentence));
}

export function isTypedClaim(sentence: string): boolean {
  if (/<Cite\b/.test(sentence)) return false;
  const typed = typedWords(sentence);
  return BUILD.some((b) => b.test(typed)) && FAILURE.test(typed) && CHANGE.test(typed);
}

/** The sentence's own words: record components removed; other tags kept by their text (a typed <VersionLink version="1.4.1"> names a build). */
function typedWords(sentence: string): string {
  const records = new RegExp(`<(${RECORD_COMPONENTS.join('|')})\\b[^>]*?(?:/>|>[\\s\\S]*?</\\1>)`, 'g');
  return sentence
    .replace(records, ' ')
    .replace(/<[A-Za-z][^>]*?\bversion="([^"]*)"[^>]*>/g, ' $1 ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[`*_]/g, '');
}

/** Splits an MDX file's prose into sentences with their line numbers; frontmatter, imports and code blocks are not prose. */
export function sentences(mdx: string): Claim[] {
  const lines = mdx.split('\n');
  const out: Claim[] = [];
  let inFrontmatter = lines[0] === '---';
  let fence: string | null = null;
  let paragraph: { line: number; text: string }[] = [];
  const flush = () => {
    out.push(...located(paragraph));
    paragraph = [];
  };
  lines.forEach((text, index) => {
    const line = index + 1;
    if (inFrontmatter) {
      if (index > 0 && text === '---') inFrontmatter = false;
      return;
    }
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = null;
      return;
    }
    if (fenceMark) {
      flush();
      fence = fenceMark;
      return;
    }
    if (/^\s*(import|export)\s/.test(text) || text.trim() === '') {
      flush();
      return;
    }
    // Headings, list items and table rows stand alone.
    if (/^\s*(#{1,6}\s|[-*+]\s|\d+\.\s|\|)/.test(text)) {
      flush();
      if (/^\s*\|[\s:|-]+\|\s*$/.test(text)) return;
      out.push(...located([{ line, text: text.replace(/^\s*(#{1,6}|[-*+]|\d+\.)\s/, '') }]));
      return;
    }
    paragraph.push({ line, text });
  });
  flush();
  return out;
}

/** A block's sentences, each with the line it starts on. */
function located(block: readonly { line: number; text: string }[]): Claim[] {
  const starts: { at: number; line: number }[] = [];
  let joined = '';
  for (const { line, text } of block) {
    starts.push({ at: joined.length, line });
    joined += `${text} `;
  }
  let cursor = 0;
  return splitSentences(joined).map((sentence) => {
    const at = joined.indexOf(sentence, cursor);
    cursor = at + sentence.length;
    return { line: starts.findLast((s) => s.at <= at)!.line, sentence };
  });
}

/**
 * Sentence ends: a full stop, question or exclamation mark before a space and a capital, a tag or a
 * quote, not inside a version number or "e.g."; and a component tag before a capital (a record
 * component such as <LedgerClass> renders a sentence of its own).
 */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[^\s.]{2}[.!?]["”’)]?|\/>)\s+(?=[A-Z<"“`*[(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}
