// Every path the harness uses is resolved from the project root, never from the current directory,
// so `npm run repro` behaves the same from a clone, a downloaded bundle, or a test's temp cwd.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The folder holding package.json: two levels above repro/harness/. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export function fromRoot(...segments: string[]): string {
  return path.join(projectRoot, ...segments);
}

/** Whether `file` is below `root` (not root itself), by their paths as given: resolve symlinks first where they matter. */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
