// What a page tells the components rendering inside it (through Astro.locals): the numbering of
// references and figures, and the page's own URL for permalinks. Articles set it, and so does each
// other page that shows figures (figure-home.ts FIGURE_PAGES).
export interface PageContext {
  /** Cited source ids in order of first use. */
  citeOrder: string[];
  /** Figure ids in order of first use. */
  figureOrder: string[];
  /** Absolute URL of the page, for figure permalinks in citations. */
  pageUrl: string;
  /** The page's title (an article's, or e.g. "Is my Bun affected?"), so a figure's citation names the page it appears in. */
  articleTitle: string;
}

export function requireContext(ctx: PageContext | undefined, component: string): PageContext {
  if (!ctx)
    throw new Error(
      `<${component}> can only be used inside an article (content/articles/*.mdx) or a page that sets Astro.locals.casebook (figure-home.ts FIGURE_PAGES).`,
    );
  return ctx;
}
