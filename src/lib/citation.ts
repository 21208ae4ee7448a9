// Citation formats for a figure and for an article (plain text, BibTeX, CSL-JSON) and the Highwire
// citation_* meta tags of an article. Pure: the page, the tests and any download share these.
import { isoDay, longDay } from './format.ts';

export interface FigureCitationInput {
  author: string;
  site: string;
  /** Stable figure id, e.g. "s3-rss". */
  figureId: string;
  /** Figure number on the page it is cited from. */
  number: number;
  title: string;
  /** Title of the article the figure appears in (its URL is the figure URL without the #fragment). */
  articleTitle: string;
  /** When the data was recorded (ISO timestamp or day); undefined when there is no run yet. */
  dataDate: string | undefined;
  /** Permalink to the figure: page URL plus #fig-<id>. */
  url: string;
  /** The day the reader retrieved the page; the build date until the page script updates it. */
  retrieved: Date;
}

/** One work in the three formats a cite block offers. */
export interface Citation {
  plain: string;
  bibtex: string;
  csl: CslItem;
}
export type FigureCitation = Citation;

export interface CslItem {
  id: string;
  type: 'figure' | 'webpage';
  title: string;
  author: { literal: string }[];
  /** The article (a figure) or the site (an article). */
  'container-title': string;
  publisher: string;
  number?: string;
  URL: string;
  issued?: { 'date-parts': number[][] };
  accessed: { 'date-parts': number[][] };
  note?: string;
}

function dateParts(value: Date | string): number[][] {
  const [y, m, d] = isoDay(value).split('-').map(Number);
  return [[y, m, d]];
}

/** Escape the characters BibTeX treats specially; braces keep capitalisation as written. */
export function escapeBibtex(s: string): string {
  return s
    .replace(/([&%$#_{}])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
}

export function citeFigure(input: FigureCitationInput): FigureCitation {
  const label = `Figure ${input.number} (${input.figureId})`;
  const recorded = input.dataDate ? `data recorded ${isoDay(input.dataDate)}` : 'no recorded data';
  const plain =
    `${input.author}. "${label}: ${input.title}." In "${input.articleTitle}", ${input.site}, ${recorded}. ` +
    `${input.url}. Retrieved ${longDay(input.retrieved)}.`;

  const year = input.dataDate ? isoDay(input.dataDate).slice(0, 4) : undefined;
  const key = `casebook-fig-${input.figureId}`.replace(/[^a-z0-9-]/gi, '');
  const fields: [string, string][] = [
    ['author', `{${escapeBibtex(input.author)}}`],
    ['title', `{${escapeBibtex(`${label}: ${input.title}`)}}`],
    ['howpublished', escapeBibtex(`In "${input.articleTitle}", ${input.site}`)],
    ...(year ? ([['year', year]] as [string, string][]) : []),
    ['url', input.url],
    ['urldate', isoDay(input.retrieved)],
    ['note', escapeBibtex(`Figure ${input.figureId}; ${recorded}`)],
  ];
  const bibtex = bibtexEntry(key, fields);

  const csl: CslItem = {
    id: key,
    type: 'figure',
    title: `${label}: ${input.title}`,
    author: [{ literal: input.author }],
    'container-title': input.articleTitle,
    publisher: input.site,
    number: input.figureId,
    URL: input.url,
    ...(input.dataDate ? { issued: { 'date-parts': dateParts(input.dataDate) } } : {}),
    accessed: { 'date-parts': dateParts(input.retrieved) },
    note: recorded,
  };
  return { plain, bibtex, csl };
}

function bibtexEntry(key: string, fields: [string, string][]): string {
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}`;
}

export interface ArticleCitationInput {
  author: string;
  site: string;
  /** The article's slug, e.g. "s3-read-leak". */
  id: string;
  title: string;
  published: Date;
  updated?: Date;
  url: string;
  /** The day the reader retrieved the page; the build date until the page script updates it. */
  retrieved: Date;
}

/** "Cite this article": APA-like text (author, date, title, site, URL), BibTeX and CSL-JSON. */
export function citeArticle(input: ArticleCitationInput): Citation {
  const updatedNote = input.updated
    ? ` (updated ${longDay(input.updated)}; first published ${longDay(input.published)})`
    : '';
  const [y, m] = isoDay(input.published).split('-');
  const apaDay = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    input.published,
  );
  const plain =
    `${input.author}. (${y}, ${apaDay}). ${input.title}${updatedNote}. ${input.site}. ` +
    `Retrieved ${longDay(input.retrieved)}, from ${input.url}`;
  const key = `casebook-${input.id}`.replace(/[^a-z0-9-]/gi, '');
  const bibtex = bibtexEntry(key, [
    ['author', `{${escapeBibtex(input.author)}}`],
    ['title', `{${escapeBibtex(input.title)}}`],
    ['howpublished', escapeBibtex(input.site)],
    ['year', y],
    ['month', String(Number(m))],
    ['url', input.url],
    ['urldate', isoDay(input.retrieved)],
    ...(input.updated ? ([['note', `Updated ${isoDay(input.updated)}`]] as [string, string][]) : []),
  ]);
  const csl: CslItem = {
    id: key,
    type: 'webpage',
    title: input.title,
    author: [{ literal: input.author }],
    'container-title': input.site,
    publisher: input.site,
    URL: input.url,
    issued: { 'date-parts': dateParts(input.published) },
    accessed: { 'date-parts': dateParts(input.retrieved) },
    ...(input.updated ? { note: `Updated ${isoDay(input.updated)}` } : {}),
  };
  return { plain, bibtex, csl };
}

export interface ArticleMetaInput {
  title: string;
  author: string;
  site: string;
  published: Date;
  updated?: Date;
  url: string;
  scenario?: string;
  /** Absolute URL of the scenario's reproduction bundle, when the article has a scenario. */
  bundleUrl?: string;
}

/** Highwire Press tags read by Google Scholar and reference managers. Dates as YYYY/MM/DD. */
export function citationMeta(input: ArticleMetaInput): { name: string; content: string }[] {
  const slash = (d: Date) => isoDay(d).replaceAll('-', '/');
  const tags = [
    { name: 'citation_title', content: input.title },
    { name: 'citation_author', content: input.author },
    { name: 'citation_publication_date', content: slash(input.published) },
    ...(input.updated ? [{ name: 'citation_online_date', content: slash(input.updated) }] : []),
    { name: 'citation_publisher', content: input.site },
    { name: 'citation_fulltext_html_url', content: input.url },
    { name: 'citation_language', content: 'en' },
    {
      name: 'citation_keywords',
      content: ['Bun', 'Zig', 'Rust', ...(input.scenario ? [input.scenario] : [])].join('; '),
    },
  ];
  if (input.bundleUrl) tags.push({ name: 'citation_supplementary_material', content: input.bundleUrl });
  return tags;
}
