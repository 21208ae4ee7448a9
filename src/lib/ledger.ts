// The ledger of the rewrite: for each failure of the version matrix, its state on the builds that
// answer the case's question (the last Zig release, the first Rust build, the first Rust release, the
// newest build), where it entered and left, and what that makes it: fixed by the rewrite itself,
// fixed later in the Rust line, introduced by the Rust line, present in both lines, or not seen. A pure
// function of the matrix rows: every build name, state and class comes from the records.
import type { BuildRow, CellStatus, ScenarioFailure } from './version-matrix.ts';
import { bracket, FAILURES } from './version-matrix.ts';
import { LEDGER_CLASSES } from '../../repro/core/builds-index.ts';

/**
 * fixed-by-rewrite: affected on the last Zig release, not on the first Rust build, not on the newest.
 * fixed-later: affected on the last Zig release and the first Rust build, fixed in a later Rust build.
 * introduced-by-rust: not on the last Zig release, affected on some Rust build.
 * both-lines: affected on the last Zig release and on the newest build.
 * fixed-before-rewrite: affected on older Zig builds only (none of the others applies).
 * not-seen: no recorded build is affected.
 */
export type LedgerClass = (typeof LEDGER_CLASSES)[number];

/** A decided state, as the ledger publishes it; builds not recorded are left out. */
type LedgerState = Exclude<CellStatus, 'not-run'>;

/** The builds the case's question turns on, found from the rows (npm labels). */
export interface KeyBuilds {
  /** The newest Zig build published as a release (no prerelease in its npm label). */
  lastZigRelease: BuildRow;
  /** The oldest Rust build, canaries included: the nearest published build to the canary Prisma ran. */
  firstRust: BuildRow;
  /** The oldest Rust build published as a release. */
  firstRustRelease: BuildRow;
  /** The newest build of all. */
  newest: BuildRow;
}

export type KeyBuild = keyof KeyBuilds;
export const KEY_BUILDS: readonly KeyBuild[] = ['lastZigRelease', 'firstRust', 'firstRustRelease', 'newest'];

export interface LedgerRow {
  failure: string;
  title: string;
  class: LedgerClass;
  /** The oldest affected build; null when none is. */
  firstAffected: string | null;
  /** The first build of the final unaffected run, when the newest build is unaffected and an older one was not. */
  firstFixed: string | null;
  /** Affected again after a fix: the first build of each later affected run. */
  regressions: string[];
  /** Every recorded build's state, by npm label, oldest first. */
  states: Record<string, LedgerState>;
  /** The state on each key build ('not-run' when that build has no record of it). */
  at: Record<KeyBuild, CellStatus>;
  /** The record's own account of why, on the last affected and the first fixed build, where the failure gives one. */
  why: { build: string; text: string }[];
}

const isRelease = (row: BuildRow) => !row.npmVersion.includes('-');
const decided = (status: CellStatus | undefined): status is 'affected' | 'not-affected' =>
  status === 'affected' || status === 'not-affected';

/** The key builds, or null when the rows do not span the rewrite (no Zig release, or no Rust build). */
export function keyBuilds(rows: readonly BuildRow[]): KeyBuilds | null {
  const lastZigRelease = rows.findLast((r) => r.line === 'zig' && isRelease(r));
  const firstRust = rows.find((r) => r.line === 'rust');
  const firstRustRelease = rows.find((r) => r.line === 'rust' && isRelease(r));
  const newest = rows.at(-1);
  if (!lastZigRelease || !firstRust || !firstRustRelease || !newest) return null;
  return { lastZigRelease, firstRust, firstRustRelease, newest };
}

/**
 * A failure's state on one side of the rewrite: the key build's, or, where that build has no decided
 * state, the nearest decided build of the same line (before the last Zig release, after the first Rust build).
 */
function sideState(
  rows: readonly BuildRow[],
  id: string,
  key: BuildRow,
  line: 'zig' | 'rust',
): 'affected' | 'not-affected' | null {
  const own = key.cells[id]?.status;
  if (decided(own)) return own;
  const at = rows.indexOf(key);
  const candidates = line === 'zig' ? rows.slice(0, at).toReversed() : rows.slice(at + 1);
  const nearest = candidates.find((r) => r.line === line && decided(r.cells[id]?.status));
  return nearest ? (nearest.cells[id]!.status as 'affected' | 'not-affected') : null;
}

function ledgerRow(
  rows: readonly BuildRow[],
  keys: KeyBuilds,
  failure: Pick<ScenarioFailure, 'id' | 'title'>,
): LedgerRow {
  const { id } = failure;
  const b = bracket(rows, id);
  const zig = sideState(rows, id, keys.lastZigRelease, 'zig');
  const firstRust = sideState(rows, id, keys.firstRust, 'rust');
  const newest = rows.findLast((r) => decided(r.cells[id]?.status))?.cells[id]?.status;
  const anyRust = rows.some((r) => r.line === 'rust' && r.cells[id]?.status === 'affected');
  const klass: LedgerClass =
    b.firstBad === null
      ? 'not-seen'
      : zig === 'affected'
        ? newest === 'affected'
          ? 'both-lines'
          : firstRust === 'not-affected'
            ? 'fixed-by-rewrite'
            : 'fixed-later'
        : anyRust
          ? 'introduced-by-rust'
          : 'fixed-before-rewrite';
  const states = Object.fromEntries(
    rows.flatMap((r) =>
      r.cells[id] && r.cells[id].status !== 'not-run' ? [[r.npmVersion, r.cells[id].status as LedgerState]] : [],
    ),
  );
  const at = Object.fromEntries(KEY_BUILDS.map((k) => [k, keys[k].cells[id]?.status ?? 'not-run'])) as Record<
    KeyBuild,
    CellStatus
  >;
  const lastAffected = rows.findLast((r) => r.cells[id]?.status === 'affected');
  const fixed = b.firstFixed === null ? undefined : rows.find((r) => r.npmVersion === b.firstFixed);
  const why = [lastAffected, fixed].flatMap((r) =>
    r?.cells[id]?.why ? [{ build: r.npmVersion, text: r.cells[id].why }] : [],
  );
  return {
    failure: id,
    title: failure.title,
    class: klass,
    firstAffected: b.firstBad,
    firstFixed: b.firstFixed,
    regressions: b.regressions,
    states,
    at,
    why,
  };
}

/**
 * The ledger: one row per failure of the matrix that some build has a decided state for, in the
 * matrix's column order; empty when the rows do not span the rewrite.
 */
export function ledger(
  rows: readonly BuildRow[],
  failures: readonly Pick<ScenarioFailure, 'id' | 'title'>[] = FAILURES,
): LedgerRow[] {
  const keys = keyBuilds(rows);
  return keys
    ? failures.filter((f) => rows.some((r) => decided(r.cells[f.id]?.status))).map((f) => ledgerRow(rows, keys, f))
    : [];
}

/** The failures of the matrix that no build has a decided state for yet. */
export function unrecorded(
  rows: readonly BuildRow[],
  failures: readonly Pick<ScenarioFailure, 'id' | 'title'>[] = FAILURES,
) {
  return failures.filter((f) => !rows.some((r) => decided(r.cells[f.id]?.status)));
}

/** The published form (`/ledger.json`): one object per failure, builds named by their npm labels. */
export function ledgerJson(rows: readonly LedgerRow[]) {
  return rows.map(({ failure, title, class: klass, firstAffected, firstFixed, states }) => ({
    failure,
    title,
    class: klass,
    firstAffected,
    firstFixed,
    states,
  }));
}

/** Words with build names in them, for a component to render (a build becomes a link to its matrix row). */
export type Phrase = (string | { build: string })[];

/** What the class says, with the builds that make it so. */
export function classPhrase(row: LedgerRow, keys: KeyBuilds): Phrase {
  const again: Phrase = row.regressions.length > 0 ? ['; affected again from ', ...joinBuilds(row.regressions)] : [];
  switch (row.class) {
    case 'fixed-by-rewrite':
      return ['Fixed by the rewrite: not on the first Rust build, ', { build: keys.firstRust.npmVersion }, ...again];
    case 'fixed-later':
      return [
        'Fixed later in the Rust line, from ',
        { build: row.firstFixed! },
        '; the first Rust build, ',
        { build: keys.firstRust.npmVersion },
        ', still had it',
        ...again,
      ];
    case 'introduced-by-rust':
      return row.firstFixed
        ? [
            'Introduced by the Rust line: entered in ',
            { build: row.firstAffected! },
            ', left in ',
            { build: row.firstFixed },
            ...again,
          ]
        : [
            'Introduced by the Rust line: entered in ',
            { build: row.firstAffected! },
            ', still on the newest build',
            ...again,
          ];
    case 'both-lines':
      return [
        'In both lines: on the last Zig release and on the newest build',
        ...(row.firstAffected ? [' (first affected: ', { build: row.firstAffected }, ')'] : []),
      ];
    case 'fixed-before-rewrite':
      return [
        'Fixed in the Zig line before the rewrite, from ',
        { build: row.firstFixed ?? keys.lastZigRelease.npmVersion },
        ...again,
      ];
    case 'not-seen':
      return ['Not seen on any recorded build'];
  }
}

/** A phrase as plain text, for a chart's headline or an export, where builds are not links. */
function phraseText(phrase: Phrase): string {
  return phrase.map((part) => (typeof part === 'string' ? part : part.build)).join('');
}

/**
 * How the ledger classes one failure, in plain words (the same phrase LedgerClass renders): the
 * headline of a failure's figure. Null when the rows do not span the rewrite.
 */
export function classSentence(
  rows: readonly BuildRow[],
  failure: Pick<ScenarioFailure, 'id' | 'title'>,
): string | null {
  const keys = keyBuilds(rows);
  return keys ? phraseText(classPhrase(ledgerRow(rows, keys, failure), keys)) : null;
}

function joinBuilds(builds: readonly string[]): Phrase {
  return builds.flatMap((build, i) => (i === 0 ? [{ build }] : [', ', { build }]));
}

/** The key builds' roles, as a column heading says them. */
export const KEY_BUILD_ROLE: Record<KeyBuild, string> = {
  lastZigRelease: 'Last Zig release',
  firstRust: 'First Rust build',
  firstRustRelease: 'First Rust release',
  newest: 'Newest build',
};

/** A state as the ledger words it. */
export const STATE_WORD: Record<CellStatus, string> = {
  affected: 'affected',
  'not-affected': 'not affected',
  inconclusive: 'inconclusive',
  'not-run': 'not recorded',
};

/** How many failures fall in each class, in LEDGER_CLASSES order, leaving out empty classes. */
export function classCounts(rows: readonly Pick<LedgerRow, 'class'>[]): { class: LedgerClass; count: number }[] {
  return LEDGER_CLASSES.map((c) => ({ class: c, count: rows.filter((r) => r.class === c).length })).filter(
    (c) => c.count > 0,
  );
}

export const CLASS_NAME: Record<LedgerClass, string> = {
  'fixed-by-rewrite': 'fixed by the rewrite itself',
  'fixed-later': 'fixed later in the Rust line',
  'introduced-by-rust': 'introduced by the Rust line',
  'both-lines': 'present in both lines',
  'fixed-before-rewrite': 'fixed in the Zig line before the rewrite',
  'not-seen': 'not seen',
};

/** The ledger in one line, a figure's headline: how many failures fall in each class. */
export function ledgerHeadline(rows: readonly Pick<LedgerRow, 'class'>[]): string {
  const counts = classCounts(rows).map((c) => `${c.count} ${CLASS_NAME[c.class]}`);
  return `Of the ${rows.length} failures recorded: ${counts.join(', ')}.`;
}

/** How a key build stands against the last Zig release, failure by failure: what it no longer has, still has, and newly has. */
export function againstLastZig(
  rows: readonly LedgerRow[],
  key: KeyBuild,
): { gone: LedgerRow[]; still: LedgerRow[]; added: LedgerRow[]; undecided: LedgerRow[] } {
  const affected = (r: LedgerRow, k: KeyBuild) => r.at[k] === 'affected';
  const decidedAt = (r: LedgerRow, k: KeyBuild) => r.at[k] === 'affected' || r.at[k] === 'not-affected';
  const both = rows.filter((r) => decidedAt(r, key) && decidedAt(r, 'lastZigRelease'));
  return {
    gone: both.filter((r) => affected(r, 'lastZigRelease') && !affected(r, key)),
    still: both.filter((r) => affected(r, 'lastZigRelease') && affected(r, key)),
    added: both.filter((r) => !affected(r, 'lastZigRelease') && affected(r, key)),
    undecided: rows.filter((r) => !both.includes(r)),
  };
}

/** What each class means, for the ledger's notes: the reading that keeps a later fix from being credited to the port. */
export const CLASS_MEANING: Record<LedgerClass, string> = {
  'fixed-by-rewrite':
    'affected on the last Zig release, absent from the first Rust build and from the newest one: the port itself fixed it',
  'fixed-later':
    'still affected on the first Rust build, the nearest published build to the canary Prisma ran, and gone from a later Rust build on: the fix belongs to that later work, not to the port',
  'introduced-by-rust': 'not on the last Zig release, affected on some Rust build: a cost of the rewrite',
  'both-lines': 'affected on the last Zig release and still on the newest build',
  'fixed-before-rewrite': 'affected on older Zig builds only, gone by the last Zig release',
  'not-seen': 'no recorded build is affected',
};
