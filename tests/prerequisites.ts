// What some tests need from the machine beyond the repository and node_modules: root, Debian's
// PostgreSQL 15, network namespaces, the npm registry. Such a test says so in its title ("… (needs
// root)"). Where a prerequisite is missing, a developer's run skips the test, and the title says why;
// a CI run (CI=true) fails it with one line naming what is missing: a runner that lacks it must not
// go green by testing less.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const IN_CI = process.env.CI === 'true';

export interface Prerequisite {
  /** As the title says it: "(needs <name>)". */
  name: string;
  met: boolean;
  /** Why it is not met, for the failure's one line. */
  missing: string;
}

const isRoot = process.getuid?.() === 0;

export const ROOT: Prerequisite = { name: 'root', met: isRoot, missing: 'the tests do not run as root' };

export const LINUX: Prerequisite = {
  name: 'Linux',
  met: process.platform === 'linux',
  missing: `this is ${process.platform}, not Linux`,
};

/** Debian's server (postgresql-15), run as the postgres user: hence root too. */
export const DEBIAN_PG15: Prerequisite = {
  name: "Debian's PostgreSQL 15 and root",
  met: existsSync('/usr/lib/postgresql/15/bin/initdb') && isRoot,
  missing: existsSync('/usr/lib/postgresql/15/bin/initdb')
    ? 'the tests do not run as root'
    : "Debian's postgresql-15 is not installed (/usr/lib/postgresql/15/bin/initdb)",
};

/** Named network namespaces (`ip netns`), which only root may make. */
export const NETNS: Prerequisite = {
  name: 'root and `ip netns`',
  met: isRoot && spawnSync('ip', ['netns', 'list']).status === 0,
  missing: isRoot
    ? '`ip netns list` fails (no iproute2, or no network namespaces here)'
    : 'the tests do not run as root',
};

/** A network namespace of the test's own (`unshare -n`): root, or unprivileged user namespaces. */
export const UNSHARE_NET: Prerequisite = {
  name: 'a network namespace (`unshare -n`)',
  met: spawnSync('unshare', ['-n', 'true']).status === 0,
  missing: '`unshare -n true` fails: neither root nor unprivileged user namespaces',
};

/**
 * The npm registry (or npm_config_registry), for the list of published builds and their downloads.
 * Not probed: a test that needs it fails with the harness's own one line when it cannot be reached,
 * in CI and on a developer's machine alike. The name is in the title so that a failure offline
 * explains itself.
 */
export const NPM_REGISTRY: Prerequisite = {
  name: 'the npm registry',
  met: true,
  missing: 'the npm registry cannot be reached',
};

/** The end of a test's title: " (needs root)", " (needs the npm registry and root)". */
export function needs(...prerequisites: Prerequisite[]): string {
  return ` (needs ${prerequisites.map((p) => p.name).join(' and ')})`;
}

/** For `test.skipIf` / `describe.skipIf`: a missing prerequisite skips the test, outside CI only. */
export function skipWithout(...prerequisites: Prerequisite[]): boolean {
  return !IN_CI && prerequisites.some((p) => !p.met);
}

/** First thing in a test (or a beforeAll): in CI, a missing prerequisite fails it, in one line. */
export function requirePrerequisites(...prerequisites: Prerequisite[]): void {
  const missing = prerequisites.filter((p) => !p.met);
  if (missing.length > 0) throw new Error(`missing prerequisite: ${missing.map((p) => p.missing).join('; ')}`);
}
