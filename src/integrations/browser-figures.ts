// Lets the browser run the figure modules: in the client build (the "Compare with your run" chunk),
// `jsdom` is the live page's shim (src/live/jsdom-shim.ts: render.ts gets a document of the
// browser's own), and zod's locales are English only (its namespace re-exports every language's
// messages, ~300 KB the page never shows), as src/live/build-client.ts does for the live page.
// The server build, which renders the pages, keeps the real jsdom.

import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';

const JSDOM_SHIM = fileURLToPath(new URL('../live/jsdom-shim.ts', import.meta.url));
const ZOD_ENGLISH = '\0zod-english-locales';

export function browserFigures(): AstroIntegration {
  return {
    name: 'casebook-browser-figures',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({
          vite: {
            plugins: [
              {
                // The loader imports the chunk on first use, so preloading the chunk's own imports
                // (a <link> added to <head> per import) buys one small request at the cost of touching
                // the page outside the figure. Astro sets the option for the whole build, so it is
                // turned off here, per environment. (Vite still wraps the import in its preload
                // helper, about 2 KB of the loader, with nothing left for it to preload.)
                name: 'casebook-no-module-preload',
                configEnvironment: (name) => (name === 'client' ? { build: { modulePreload: false } } : undefined),
              },
              {
                name: 'casebook-browser-figures',
                enforce: 'pre',
                applyToEnvironment: (environment) => environment.name === 'client',
                resolveId(source, importer) {
                  if (source === 'jsdom') return JSDOM_SHIM;
                  if (source === '../locales/index.js' && importer?.includes('/node_modules/zod/')) return ZOD_ENGLISH;
                  return null;
                },
                load(id) {
                  return id === ZOD_ENGLISH ? "export { default as en } from 'zod/v4/locales/en.js';" : null;
                },
              },
            ],
          },
        });
      },
    },
  };
}
