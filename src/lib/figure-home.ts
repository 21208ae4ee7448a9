// Where a figure lives on the site: the first article (in reading order) that shows it, or else the
// page listed for it below; its number there and its permalink. Downloads carry this address, so a
// pasted chart leads back to its page.
import { failureFigureId } from '../figures/failure-figure.ts';
import { figureOrder } from './references.ts';
import { SITE_TITLE } from './site.ts';
import { FAILURES } from './version-matrix.ts';

export interface ArticleSource {
  id: string;
  title: string;
  /** Site-relative path, e.g. "/articles/s3-read-leak/". */
  path: string;
  /** The MDX source, where <Figure id="…" /> tags are numbered. */
  body: string;
}

/** A page other than an article that shows figures: its figures are listed, not read from MDX. */
export interface FigurePage {
  id: string;
  title: string;
  path: string;
  /** The figures it shows, in the order it shows them (their numbers there). */
  figures: readonly string[];
}

/** The pages besides the articles that show figures; each page sets its page context from its entry. */
export const FIGURE_PAGES: readonly FigurePage[] = [
  { id: 'home', title: SITE_TITLE, path: '/', figures: ['ledger'] },
  { id: 'affected', title: 'Is my Bun affected?', path: '/affected/', figures: [] },
  {
    id: 'affected-matrix',
    title: 'Every build, every failure',
    path: '/affected/matrix/',
    figures: ['version-matrix'],
  },
  // Every failure's page: its build-by-build figure.
  ...FAILURES.map((f) => ({
    id: failurePageId(f.id),
    title: f.title,
    path: failurePath(f.id),
    figures: [failureFigureId(f.id)],
  })),
];

/** A failure's page in the catalogue. */
export function failurePath(failureId: string): string {
  return `/failures/${failureId}/`;
}

export function failurePageId(failureId: string): string {
  return `failure-${failureId}`;
}

export function figurePage(id: string): FigurePage {
  const page = FIGURE_PAGES.find((p) => p.id === id);
  if (!page) throw new Error(`No figure page "${id}" in FIGURE_PAGES (src/lib/figure-home.ts).`);
  return page;
}

export interface FigureHome {
  /** The page: an article, or one of FIGURE_PAGES. */
  page: { id: string; title: string; url: string };
  /** The figure's number on that page. */
  number: number;
  /** Absolute permalink: the page's URL plus #fig-<id>. */
  url: string;
  /** The same, site-relative, for links within the site. */
  path: string;
}

export function figureHome(
  articles: readonly ArticleSource[],
  figureId: string,
  knownIds: readonly string[],
  site: URL | string,
): FigureHome | undefined {
  const pages: FigurePage[] = [
    ...articles.map((a) => ({ ...a, figures: figureOrder(a.body, knownIds, a.id) })),
    ...FIGURE_PAGES,
  ];
  for (const p of pages) {
    const at = p.figures.indexOf(figureId);
    if (at < 0) continue;
    const url = new URL(p.path, site).href;
    return {
      page: { id: p.id, title: p.title, url },
      number: at + 1,
      url: `${url}#fig-${figureId}`,
      path: `${p.path}#fig-${figureId}`,
    };
  }
  return undefined;
}
