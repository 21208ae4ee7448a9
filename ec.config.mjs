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
  // Long lines wrap (keeping their indent) rather than scroll: a scrolling block becomes an unnamed
  // region from Expressive Code's script, and two on a page are landmarks axe cannot tell apart.
  defaultProps: { wrap: true },
});
