// The catalogue's failures for the site, the browser and the tests: every folder of this one with a
// failure.ts. Under Vite (the site's build, its dev server, vitest) its glob finds them; the browser's
// bundler gets the same list from a plugin (src/lib/browser-bundle.ts); a plain Node script reads the
// folder, as the harness does (repro/harness/failures.ts). Adding a failure is adding its folder.
import type { FailureDefinition } from '../core/failure.ts';

/** Vite's glob, replaced by the list at build time; plain Node has no such function. */
function globbed(): Record<string, FailureDefinition> | null {
  try {
    return import.meta.glob<FailureDefinition>('./*/failure.ts', { eager: true, import: 'failure' });
  } catch {
    return null;
  }
}

/** The same list in plain Node: this module's own folder, read. */
async function read(): Promise<Record<string, FailureDefinition>> {
  const { existsSync, readdirSync } = await import('node:fs');
  const dir = new URL('./', import.meta.url);
  const folders = readdirSync(dir, { withFileTypes: true }).filter(
    (e) => e.isDirectory() && existsSync(new URL(`${e.name}/failure.ts`, dir)),
  );
  // Never reached under Vite (its glob answers first), which cannot follow a computed import: told to leave it be.
  const load = async (name: string) =>
    ((await import(/* @vite-ignore */ new URL(`${name}/failure.ts`, dir).href)) as { failure: FailureDefinition })
      .failure;
  const entries = await Promise.all(folders.map(async (e) => [`./${e.name}/failure.ts`, await load(e.name)] as const));
  return Object.fromEntries(entries);
}

const modules = globbed() ?? (await read());

/** Every failure of the catalogue, by folder name. */
export const catalogue: readonly FailureDefinition[] = Object.entries(modules)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([file, failure]) => {
    const folder = file.split('/')[1];
    if (failure?.id !== folder)
      throw new Error(`repro/failures/${folder}/failure.ts must export \`failure\` with id "${folder}"`);
    return failure;
  });
