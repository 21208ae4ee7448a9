// The site's code as one script for the browser, bundled by esbuild: the live page's client.js
// (src/live/build-client.ts) and the "Compare with your run" chunk (src/figures/compare-script.ts).
// Both draw with the figure modules and render.ts, so both need the same substitutions.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * `entryPoint` (relative to the project root) and what it imports, as one minified ES module;
 * deterministic for the same sources and esbuild version. The root is the working folder by default,
 * as for the rest of the site's build (whose modules Vite moves, so they cannot find it from their own place).
 */
export async function bundleForBrowser(entryPoint: string, root = process.cwd()): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, entryPoint)],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    write: false,
    absWorkingDir: root,
    // render.ts asks jsdom for a document; in the browser the page has one (jsdom-shim.ts).
    alias: { jsdom: path.join(root, 'src/live/jsdom-shim.ts') },
    // zod's namespace re-exports every locale's messages (~300 KB), which the page never shows: the
    // figures use one enum's options. Only English, the default, is kept.
    plugins: [
      {
        name: 'zod-english-only',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
            args.importer.includes(`${path.sep}zod${path.sep}`)
              ? { path: 'zod-locales', namespace: 'zod-locales' }
              : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
            contents: "export { default as en } from 'zod/v4/locales/en.js';",
            resolveDir: root,
          }));
        },
      },
      {
        // The catalogue's failures are found by Vite's import.meta.glob (repro/failures/index.ts), which
        // esbuild does not know: the same list, as imports of each folder's failure.ts.
        name: 'failure-folders',
        setup(b) {
          b.onLoad({ filter: /[\\/]repro[\\/]failures[\\/]index\.ts$/ }, (args) => {
            const dir = path.dirname(args.path);
            const folders = readdirSync(dir, { withFileTypes: true })
              .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'failure.ts')))
              .map((e) => e.name)
              .sort();
            const imports = folders.map((f, i) => `import { failure as f${i} } from './${f}/failure.ts';`).join('\n');
            return {
              contents: `${imports}\nexport const catalogue = [${folders.map((_, i) => `f${i}`).join(', ')}];`,
              loader: 'ts',
              resolveDir: dir,
            };
          });
        },
      },
      {
        // Both find their scenario's code through the site's registry, whose descriptors also reach
        // the harness's record files (node:fs, node:path) for other uses; the browser calls none of
        // them, so Node's modules are empty objects here.
        name: 'no-node-builtins',
        setup(b) {
          b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
          b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({
            contents: 'module.exports = {};',
            loader: 'js',
          }));
        },
      },
    ],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
