// Site configuration only; logic lives in src/. Integration order matters: expressive-code must
// run before mdx so fenced code in MDX gets its frames, titles and copy buttons.
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import expressiveCode from 'astro-expressive-code';
import { defineConfig } from 'astro/config';
import { addresses } from './src/integrations/addresses.ts';
import { csp } from './src/integrations/csp.ts';
import { pagefind } from './src/integrations/pagefind.ts';
import { tableScroll } from './src/lib/rehype-table-scroll.ts';

export default defineConfig({
  // `site` comes from SITE_URL (and the repository from REPOSITORY_URL): see src/integrations/addresses.ts.
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  integrations: [
    addresses(),
    // Its options are in ec.config.mjs, where its <Code> component finds them too.
    expressiveCode(),
    tableScroll(),
    mdx(),
    sitemap(),
    pagefind(),
    // Last, so it hashes the final HTML.
    csp(),
  ],
  vite: {
    build: {
      rolldownOptions: {
        onwarn(warning, warn) {
          // Astro's own marker in every MDX page's module (withastro/astro#18087, open): harmless, as
          // Astro reads it before bundling, but one warning with a code frame per article. Only it.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use astro:head-inject"')) return;
          warn(warning);
        },
      },
    },
  },
});
