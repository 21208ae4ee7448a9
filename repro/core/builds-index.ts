// "Is my Bun affected?" as data: every recorded build with its state on every failure of the version
// matrix, and each failure's class and where it entered and left. The site computes it from the
// matrix records (src/lib/builds-index.ts) and publishes it as /api/builds.json; a copy generated
// from the same records ships with the harness (repro/affected/builds.json), so the terminal lookup
// (`npm run repro -- affected`) answers offline, from a clone and from every bundle. This file holds
// its schema and the lookup, both pure: the page's script, the CLI and the tests share them.
import { z } from 'zod';
import { anchorOf, compareBuilds, findBuild } from './build-lookup.ts';

export { anchorOf, compareBuilds, findBuild };

export const LEDGER_CLASSES = [
  'fixed-by-rewrite',
  'fixed-later',
  'introduced-by-rust',
  'both-lines',
  'fixed-before-rewrite',
  'not-seen',
] as const;
const CELL_STATUSES = ['affected', 'not-affected', 'inconclusive', 'not-run'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

const NpmLabel = z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);

export const BuildState = z.strictObject({
  status: z.enum(CELL_STATUSES),
  /** What the record says, with counts. */
  text: z.string(),
  /** The record's address on the site (/matrix/<scenario>/<file>.json); null when not run. */
  record: z.string().startsWith('/matrix/').nullable(),
});
export type BuildState = z.infer<typeof BuildState>;

export const IndexedBuild = z.strictObject({
  /** The npm label it is published under. */
  npm: NpmLabel,
  /** What the binary says of itself: `bun --revision`. */
  revision: z.string().regex(/^\S+\+[0-9a-f]{7,40}$/),
  line: z.enum(['zig', 'rust', 'unknown']),
  /** When npm published it (content/matrix/published.json); null where that was not read. */
  published: z.iso.datetime().nullable(),
  /** By failure id, for every failure of the index. */
  states: z.record(z.string(), BuildState),
});
export type IndexedBuild = z.infer<typeof IndexedBuild>;

export const IndexedFailure = z.strictObject({
  id: z.string(),
  title: z.string(),
  /** A short name, for lists and labels (the matrix column's heading on one line). */
  short: z.string(),
  kind: z.enum(['leak', 'memory', 'hang', 'wrong-result', 'crash']),
  /** What "affected" means, in one line. */
  definition: z.string(),
  /** The ledger's class (see src/lib/ledger.ts); null while no build has a decided state. */
  class: z.enum(LEDGER_CLASSES).nullable(),
  firstAffected: NpmLabel.nullable(),
  firstFixed: NpmLabel.nullable(),
  /** Affected again after a fix: the first build of each later affected run. */
  regressions: z.array(NpmLabel),
  /** Its page on the site. */
  page: z.string().startsWith('/'),
  issue: z.strictObject({ number: z.number().int(), url: z.url() }).nullable(),
  fix: z.strictObject({ pr: z.number().int(), url: z.url(), status: z.enum(['merged', 'open', 'closed']) }).nullable(),
});
export type IndexedFailure = z.infer<typeof IndexedFailure>;

export const BuildsIndex = z.strictObject({
  schema: z.literal(1),
  /** Paths in it (records, pages) are relative to the casebook's root, wherever it is served. */
  package: z.string(),
  /** The records it was computed from: how many, and when the newest of them started. */
  records: z.strictObject({ count: z.number().int().nonnegative(), newest: z.iso.datetime().nullable() }),
  failures: z.array(IndexedFailure),
  /** Oldest first (compareBuilds). */
  builds: z.array(IndexedBuild),
});
export type BuildsIndex = z.infer<typeof BuildsIndex>;

export interface Answer {
  build: IndexedBuild;
  /** The failures that affect it, each with the first build after it that is not affected. */
  affected: { failure: IndexedFailure; state: BuildState; fixedIn: IndexedBuild | null }[];
  /** Failures the matrix holds for it with no decided state (not run, or inconclusive). */
  undecided: { failure: IndexedFailure; state: BuildState }[];
  /**
   * The nearest later build on which every failure of this build is recorded as not affected; with
   * the failures recorded on it that this build does not have. Null when none is (or none affects it).
   */
  upgrade: { build: IndexedBuild; brings: IndexedFailure[] } | null;
  /** The nearest later release (no prerelease in its label) that does the same, when it is not `upgrade`. */
  releaseUpgrade: { build: IndexedBuild; brings: IndexedFailure[] } | null;
}

/** What the matrix says of one build: its failures, where each was fixed, and the smallest upgrade. */
export function answerFor(index: BuildsIndex, build: IndexedBuild): Answer {
  const later = index.builds.slice(index.builds.indexOf(build) + 1);
  const stateOf = (b: IndexedBuild, id: string) => b.states[id]?.status ?? 'not-run';
  const mine = index.failures.filter((f) => stateOf(build, f.id) === 'affected');
  const affected = mine.map((failure) => ({
    failure,
    state: build.states[failure.id]!,
    fixedIn: later.find((b) => stateOf(b, failure.id) === 'not-affected') ?? null,
  }));
  const undecided = index.failures.flatMap((failure) => {
    const state = build.states[failure.id];
    return state && (state.status === 'inconclusive' || state.status === 'not-run') ? [{ failure, state }] : [];
  });
  const clears = (b: IndexedBuild) => mine.every((f) => stateOf(b, f.id) === 'not-affected');
  const brings = (b: IndexedBuild) =>
    index.failures.filter((f) => stateOf(b, f.id) === 'affected' && !mine.includes(f));
  const withBrings = (b: IndexedBuild | undefined) => (b ? { build: b, brings: brings(b) } : null);
  const upgrade = mine.length === 0 ? null : withBrings(later.find(clears));
  const release = mine.length === 0 ? null : withBrings(later.find((b) => clears(b) && !b.npm.includes('-')));
  return {
    build,
    affected,
    undecided,
    upgrade,
    releaseUpgrade: release && release.build !== upgrade?.build ? release : null,
  };
}

const LINE_NAME = { zig: 'Zig', rust: 'Rust', unknown: 'line unknown' } as const;

/** A build as a sentence names it: its npm label, and what it reports where that differs. */
export function buildName(build: IndexedBuild): string {
  return `${build.npm} (${build.revision}, ${LINE_NAME[build.line]})`;
}

/**
 * The answer as plain text lines, for the terminal (and for a test to read). `where` says where a
 * site path can be read: a clone has the records themselves.
 */
export function answerText(
  index: BuildsIndex,
  answer: Answer,
  where: (sitePath: string) => string = (p) => p,
): string[] {
  const { build, affected, undecided, upgrade, releaseUpgrade } = answer;
  const lines = [`bun ${buildName(build)}${build.published ? `, published ${build.published.slice(0, 10)}` : ''}`];
  const count = affected.length;
  lines.push(
    count === 0
      ? `No recorded failure affects it (${index.failures.length} failures in the matrix).`
      : `${count} of the ${index.failures.length} recorded failures affect${count === 1 ? 's' : ''} it:`,
  );
  for (const { failure, state, fixedIn } of affected) {
    lines.push(`  ✗ ${failure.title} (${failure.id}): ${state.text}`);
    lines.push(
      `      ${fixedIn ? `first fixed after it in ${fixedIn.npm}` : 'no later build is recorded as fixed'}${state.record ? `; record: ${where(state.record)}` : ''}`,
    );
  }
  for (const { failure, state } of undecided)
    lines.push(
      `  ? ${failure.title} (${failure.id}): ${state.status === 'not-run' ? 'not recorded yet' : `inconclusive, ${state.text}`}`,
    );
  if (count > 0) {
    const upgradeLine = (u: NonNullable<Answer['upgrade']>) =>
      `${u.build.npm}${u.brings.length > 0 ? `, though it has ${u.brings.map((f) => f.id).join(', ')}, which ${build.npm} does not` : ''}`;
    lines.push(
      upgrade
        ? `Smallest upgrade that avoids all of them: ${upgradeLine(upgrade)}.`
        : 'No recorded build avoids all of them yet.',
    );
    if (releaseUpgrade) lines.push(`Smallest release that does: ${upgradeLine(releaseUpgrade)}.`);
  }
  lines.push(`Its row on the casebook: /affected/#${anchorOf(build.npm)}`);
  return lines;
}
