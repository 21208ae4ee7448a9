// Where a figure lives on the site: the first article (in reading order) that shows it, its number
// there and its permalink. Downloads carry this address, so a pasted chart leads back to its page.
import { figureOrder } from './references.ts';

export interface ArticleSource {
  id: string;
  title: string;
  /** Site-relative path, e.g. "/articles/s3-read-leak/". */
  path: string;
  /** The MDX source, where <Figure id="…" /> tags are numbered. */
  body: string;
}

export interface FigureHome {
  article: { id: string; title: string; url: string };
  /** The figure's number in that article. */
  number: number;
  /** Absolute permalink: the article's URL plus #fig-<id>. */
  url: string;
}

export function figureHome(articles: readonly ArticleSource[], figureId: string, knownIds: readonly string[], site: URL | string): FigureHome | undefined {
  for (const a of articles) {
    const order = figureOrder(a.body, knownIds, a.id);
    const at = order.indexOf(figureId);
    if (at < 0) continue;
    const url = new URL(a.path, site).href;
    return { article: { id: a.id, title: a.title, url }, number: at + 1, url: `${url}#fig-${figureId}` };
  }
  return undefined;
}
