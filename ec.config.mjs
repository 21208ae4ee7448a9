// Expressive Code's options, in their own file so that its <Code> component (the failure pages' probe
// sources) renders code exactly as the articles' fenced blocks do.
import { defineEcConfig } from 'astro-expressive-code';
import { chosenThemeSelector } from './src/lib/theme.ts';

export default defineEcConfig({
  themes: ['github-light', 'github-dark'],
  // Follow the reader's theme choice (src/lib/theme.ts) and, on "auto", the system preference.
  // Expressive Code appends the selector to themeCssRoot, so it must not repeat :root.
  useDarkModeMediaQuery: true,
  themeCssRoot: ':root',
  themeCssSelector: (theme) => chosenThemeSelector(theme.type),
  styleOverrides: { codeFontSize: '0.9rem', borderRadius: '6px' },
  // Code never wraps: a reader copies commands, and wrapping (overflow-wrap: break-word) would split a
  // flag or a URL mid-token. A long line scrolls; wrapping would also give every block style="" values
  // (--ecIndent, --ecMaxLine) whose hashes push the CSP line past Cloudflare's 2,000 characters.
  plugins: [namedScrollRegions()],
});

/**
 * A block that scrolls becomes a region (Expressive Code's script adds role="region" and tabindex so a
 * keyboard can scroll it); unnamed, two on a page are landmarks axe cannot tell apart. Each <pre> is
 * named by its first line, which is what a screen reader user needs to tell one command from another.
 */
function namedScrollRegions() {
  return {
    name: 'casebook-named-scroll-regions',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const pre = findPre(renderData.blockAst);
        if (!pre) return;
        const first =
          codeBlock.code
            .split('\n')
            .find((l) => l.trim() !== '')
            ?.trim() ?? '';
        const short = first.length > 80 ? `${first.slice(0, 79)}…` : first;
        pre.properties = { ...pre.properties, ariaLabel: `${codeBlock.language} code: ${short}` };
      },
    },
  };
}

/** The block's <pre>, wherever the frame puts it. */
function findPre(node) {
  if (node.type === 'element' && node.tagName === 'pre') return node;
  for (const child of node.children ?? []) {
    const found = findPre(child);
    if (found) return found;
  }
  return undefined;
}
