// The catalogue's failures, found on disk: every folder of repro/failures/ with a failure.ts. Adding
// a failure is adding its folder; nothing lists them. (The site finds the same folders through
// repro/failures/index.ts.)
import { existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FAILURE_ID, type FailureDefinition } from '../core/failure.ts';
import { HarnessError } from '../core/errors.ts';
import { fromRoot } from './paths.ts';

export const FAILURES_DIR = fromRoot('repro', 'failures');

/** The folders of repro/failures/ that hold a failure, by name; none in a copy without the folder (a bundle). */
export function failureFolders(dir = FAILURES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(`${dir}/${e.name}/failure.ts`))
    .map((e) => e.name)
    .sort();
}

/** Every failure's definition, in folder order; a folder whose definition names another id is an error. */
export async function discoverFailures(dir = FAILURES_DIR): Promise<FailureDefinition[]> {
  return Promise.all(
    failureFolders(dir).map(async (name) => {
      if (!FAILURE_ID.test(name))
        throw new HarnessError(`repro/failures/${name}: a failure's folder is named in lowercase words and hyphens`);
      const module = (await import(pathToFileURL(`${dir}/${name}/failure.ts`).href)) as { failure?: FailureDefinition };
      if (module.failure?.id !== name)
        throw new HarnessError(`repro/failures/${name}/failure.ts must export \`failure\` with id "${name}"`);
      return module.failure;
    }),
  );
}
