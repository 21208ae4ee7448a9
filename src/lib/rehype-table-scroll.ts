// Wide Markdown tables in the articles scroll inside their own box instead of widening the page:
// each <table> is wrapped in a focusable, labelled region (so a keyboard can scroll it and a
// screen reader can name it), which site.css shades at the edge that has more to show.
// A hast plugin for Astro's Markdown processor (Sätteri), registered by tableScroll() below.
import type { AstroIntegration } from 'astro';
import type { Element, ElementContent } from 'hast';
import type { HastPluginDefinition, HastVisitorContext } from 'satteri';

/** The class of the wrapper; the site's own table components use the same one. */
export const TABLE_SCROLL_CLASS = 'table-scroll';

/** "Table: Criterion; Gap" from the column headings, or the caption if the table has one. */
function tableLabel(table: Element, text: (node: ElementContent) => string): string {
  const find = (node: Element, tag: string): Element | undefined => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === tag) return child;
      const deeper = find(child, tag);
      if (deeper) return deeper;
    }
  };
  const caption = find(table, 'caption');
  if (caption) return text(caption).trim();
  const headRow = find(find(table, 'thead') ?? table, 'tr');
  const headings = (headRow?.children ?? [])
    .filter((c): c is Element => c.type === 'element' && c.tagName === 'th')
    .map((th) => text(th).trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  return headings.length > 0 ? `Table: ${headings.join('; ')}` : 'Table';
}

export const rehypeTableScroll: HastPluginDefinition = {
  name: 'casebook-table-scroll',
  element: {
    filter: ['table'],
    visit(table: Readonly<Element>, ctx: HastVisitorContext) {
      ctx.wrapNode(table, {
        type: 'element',
        tagName: 'div',
        properties: {
          className: [TABLE_SCROLL_CLASS],
          role: 'region',
          tabIndex: 0,
          ariaLabel: tableLabel(table as Element, (n) => ctx.textContent(n)),
        },
        children: [],
      });
    },
  },
};

/** Adds the plugin to the Markdown processor that MDX shares (Expressive Code adds its own the same way). */
export function tableScroll(): AstroIntegration {
  return {
    name: 'casebook-table-scroll',
    hooks: {
      'astro:config:setup': ({ config }) => {
        const processor = config.markdown.processor as
          | { name: string; options?: { hastPlugins?: unknown[] } }
          | undefined;
        if (processor?.name !== 'satteri' || !Array.isArray(processor.options?.hastPlugins)) {
          throw new Error(
            `tableScroll() needs Astro's Sätteri Markdown processor; markdown.processor is ${processor?.name ?? 'unset'}`,
          );
        }
        processor.options.hastPlugins.push(rehypeTableScroll);
      },
    },
  };
}
