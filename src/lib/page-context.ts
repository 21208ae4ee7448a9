// What the article page tells the MDX components rendering inside it (through Astro.locals):
// the numbering of references and figures, and the page's own URL for permalinks.
export interface PageContext {
  /** Cited source ids in order of first use. */
  citeOrder: string[];
  /** Figure ids in order of first use. */
  figureOrder: string[];
  /** Absolute URL of the page, for figure permalinks in citations. */
  pageUrl: string;
  /** The article's title, so a figure's citation names the article it appears in. */
  articleTitle: string;
}

export function requireContext(ctx: PageContext | undefined, component: string): PageContext {
  if (!ctx) throw new Error(`<${component}> can only be used inside an article (content/articles/*.mdx).`);
  return ctx;
}
