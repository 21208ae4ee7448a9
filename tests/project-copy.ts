// A copy of the project for a test that builds the site, so that the build writes only folders of its
// own. Astro writes under its project root whatever --outDir says: `.astro/` (generated types, the
// content modules' lists, and, when --outDir is outside the working folder, the prerendered chunks in
// `.astro/.prerender/`), the content store and the build cache under `node_modules/.astro`, and Vite's
// under `node_modules/.vite`. Two builds in one root would read each other's store and chunks.
//
// The sources are copied, not linked: Vite resolves a link to its target, and a page whose target is
// outside the root is not found again by the Astro plugin ("No cached compile metadata found").
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../repro/harness/paths.ts';

/** What a build writes under node_modules/: these stay the copy's own. */
const BUILD_CACHES = new Set(['.astro', '.vite', '.cache']);

/**
 * Copies every file git would commit (tracked or new, not ignored) into `copy`, and gives it a
 * node_modules of links to ours, one per entry, with none of the caches a build writes. Returns `copy`.
 */
export function copyProject(copy: string): string {
  // A node_modules that is a link, as in a git worktree, is not matched by .gitignore's "node_modules/".
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: fromRoot(),
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && f !== 'node_modules' && existsSync(fromRoot(f)));
  for (const file of files) cpSync(fromRoot(file), path.join(copy, file), { dereference: false, errorOnExist: false });
  mkdirSync(path.join(copy, 'node_modules'));
  for (const entry of readdirSync(fromRoot('node_modules')))
    if (!BUILD_CACHES.has(entry)) symlinkSync(fromRoot('node_modules', entry), path.join(copy, 'node_modules', entry));
  return copy;
}

/** Site and repository addresses for a production build that links nowhere real. */
export const EXAMPLE_ADDRESSES = {
  SITE_URL: 'https://casebook.example.org',
  REPOSITORY_URL: 'https://github.com/example/bun-rewrite-casebook',
};

/** `astro build --outDir <outDir>` in `project` (a copyProject), with `env` as the whole environment. */
export function buildSite(project: string, outDir: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('npx', ['astro', 'build', '--outDir', outDir], {
    cwd: project,
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 2 ** 20,
  });
}
