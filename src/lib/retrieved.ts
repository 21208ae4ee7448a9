// A citation's "retrieved" date is the day the reader copies it, not the day the site was built.
// The page renders the build day; the cite block's script rewrites it with these functions.
import type { CslItem } from './citation.ts';
import { isoDay, longDay } from './format.ts';

export type CitationFormat = 'plain' | 'bibtex' | 'csl';

export function withRetrieved(format: CitationFormat, text: string, today: Date): string {
  switch (format) {
    case 'plain':
      // "Retrieved 1 June 2026." (a figure) or "Retrieved 1 June 2026, from <url>" (an article).
      return text.replace(/Retrieved \d{1,2} [A-Z][a-z]+ \d{4}/, `Retrieved ${longDay(today)}`);
    case 'bibtex':
      return text.replace(/urldate = \{[^}]*\}/, `urldate = {${isoDay(today)}}`);
    case 'csl': {
      const [item] = JSON.parse(text) as CslItem[];
      item.accessed = { 'date-parts': [isoDay(today).split('-').map(Number)] };
      return formatCsl(item);
    }
  }
}

/** CSL-JSON as a one-item array (what reference managers import), indented for reading. */
export function formatCsl(item: CslItem): string {
  return JSON.stringify([item], null, 2);
}
