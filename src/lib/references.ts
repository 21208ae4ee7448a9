// Reference and figure numbering for one article, read from its MDX source so that the markers
// in the text and the list at the end agree: numbers follow the order of first use.

const citeTag = /<Cite\s[^>]*?\bid\s*=\s*["']([^"']+)["'][^>]*?\/?>/g;
const figureTag = /<Figure\s[^>]*?\bid\s*=\s*["']([^"']+)["'][^>]*?\/?>/g;

function firstUses(body: string, pattern: RegExp): string[] {
  const seen: string[] = [];
  for (const match of body.matchAll(pattern)) if (!seen.includes(match[1])) seen.push(match[1]);
  return seen;
}

/** Cited source ids in order of first use; throws on an id that is not in the bibliography. */
export function citationOrder(body: string, knownIds: ReadonlySet<string>, where: string): string[] {
  const ids = firstUses(body, citeTag);
  const unknown = ids.filter((id) => !knownIds.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `${where}: <Cite> names unknown source id(s) ${unknown.map((u) => `"${u}"`).join(', ')}; ` +
        `add them to content/sources/sources.json or fix the id.`,
    );
  }
  return ids;
}

/** Figure ids in order of first use; throws on an id that is not in the figure registry. */
export function figureOrder(body: string, knownIds: readonly string[], where: string): string[] {
  const ids = firstUses(body, figureTag);
  const unknown = ids.filter((id) => !knownIds.includes(id));
  if (unknown.length > 0) {
    throw new Error(
      `${where}: <Figure> names unknown figure id(s) ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${knownIds.join(', ')}.`,
    );
  }
  return ids;
}

/** A sentence of a reference: ends with one full stop, unless it already ends in . ? or !. */
function sentence(text: string): string {
  return /[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** One entry of an article's reference list, before its link: author, title, publisher and date. */
export function referenceText(source: { author: string; title: string; publisher: string; date: string }): string {
  return `${sentence(source.author)} “${sentence(source.title)}” ${source.publisher}, ${source.date}.`;
}
