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
});
