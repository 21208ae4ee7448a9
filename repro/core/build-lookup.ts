// Finding a Bun build by what a reader has in hand (an npm label, `bun --revision`, `bun --version`),
// and the order of builds across the rewrite. No dependencies: the terminal lookup and the page's
// script (which ships it to the browser) share it.
import { compareVersions } from './versions.ts';

/**
 * Build order: by the version the binary reports, release part only (1.3.14, 1.4.0), then by npm
 * label. npm labels alone misplace builds across the rewrite: the canary published as
 * 1.3.14-canary.20260519.1 is a 1.4.0 build (it says 1.4.0-canary.1) and sorts before the 1.3.14
 * release by its label, which would make the last Zig release look like a regression. The canary
 * counters in the builds' own versions restart (1.3.11-canary.74 is older than 1.3.11-canary.1),
 * so within one release the npm label, whose canaries carry their date, decides.
 */
export function compareBuilds(
  a: { npmVersion: string; revision: string },
  b: { npmVersion: string; revision: string },
): number {
  const release = (revision: string) => revision.replace(/[-+].*$/, '');
  return compareVersions(release(a.revision), release(b.revision)) || compareVersions(a.npmVersion, b.npmVersion);
}

const REVISION = /^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\+([0-9a-f]{7,40})$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** What a lookup needs of a build: its npm label and what it reports. */
export interface LookedUp {
  npm: string;
  revision: string;
}

export type Lookup<B extends LookedUp = LookedUp> =
  | { kind: 'found'; build: B }
  | { kind: 'not-in-matrix'; query: string; before: B | null; after: B | null }
  | { kind: 'invalid'; message: string };

/**
 * A build by what a reader has: an npm label (1.4.2, 1.4.5-canary.20261202.1), the output of
 * `bun --revision` (1.4.3-canary.1+f5649a7ed), or of `bun --version` when one build reports it.
 * A leading "v" or "bun " is dropped. Not found: the nearest recorded builds on either side.
 * `builds` must be oldest first (compareBuilds), as the index holds them.
 */
export function findBuild<B extends LookedUp>(builds: readonly B[], input: string): Lookup<B> {
  const query = input
    .trim()
    .replace(/^bun(?:@|\s+)/i, '')
    .replace(/^v(?=\d)/, '');
  if (query === '')
    return {
      kind: 'invalid',
      message: 'no version given: an npm label such as 1.4.2, or what `bun --revision` prints',
    };
  const revision = REVISION.exec(query);
  if (!revision && !VERSION.test(query)) {
    return {
      kind: 'invalid',
      message: `"${query.slice(0, 60)}" is not a Bun version: expected an npm label such as 1.4.2, or what \`bun --revision\` prints (1.4.3-canary.1+f5649a7ed)`,
    };
  }
  if (revision) {
    const [, version, hash] = revision;
    const same = builds.filter((b) => {
      const [, bVersion, bHash] = REVISION.exec(b.revision) ?? [];
      return bVersion === version && bHash !== undefined && (bHash.startsWith(hash!) || hash!.startsWith(bHash));
    });
    if (same.length === 1) return { kind: 'found', build: same[0]! };
    // Among builds, by the versions they report: an unknown canary counter falls between its neighbours'.
    return notFound(builds, query, (b: B) => compareVersions(b.revision.replace(/\+.*$/, ''), version!));
  }
  const byLabel = builds.find((b) => b.npm === query);
  if (byLabel) return { kind: 'found', build: byLabel };
  // `bun --version` prints the revision's version alone: enough when one build reports it.
  const byReported = builds.filter((b) => b.revision.startsWith(`${query}+`));
  if (byReported.length === 1) return { kind: 'found', build: byReported[0]! };
  return notFound(builds, query, (b: B) =>
    compareBuilds({ npmVersion: b.npm, revision: b.revision }, { npmVersion: query, revision: query }),
  );
}

/** Not in the index: the nearest builds on either side, by `order` (negative: the build is older than the query). */
function notFound<B extends LookedUp>(builds: readonly B[], query: string, order: (b: B) => number): Lookup<B> {
  return {
    kind: 'not-in-matrix',
    query,
    before: builds.findLast((b) => order(b) < 0) ?? null,
    after: builds.find((b) => order(b) > 0) ?? null,
  };
}

/** The anchor of a build on /affected/: `#v1.4.2`, citable. */
export function anchorOf(npm: string): string {
  return `v${npm}`;
}
