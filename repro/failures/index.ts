// The catalogue's failures for the site, the browser and the tests: every folder of this one with a
// failure.ts, found by Vite's glob (the browser's bundler gets the same list from a plugin in
// src/lib/browser-bundle.ts; the harness reads the folder itself, repro/harness/failures.ts). Adding
// a failure is adding its folder.
import type { FailureDefinition } from '../core/failure.ts';

const modules = import.meta.glob<FailureDefinition>('./*/failure.ts', { eager: true, import: 'failure' });

/** Every failure of the catalogue, by folder name. */
export const catalogue: readonly FailureDefinition[] = Object.entries(modules)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([file, failure]) => {
    const folder = file.split('/')[1];
    if (failure?.id !== folder) throw new Error(`repro/failures/${folder}/failure.ts must export \`failure\` with id "${folder}"`);
    return failure;
  });
