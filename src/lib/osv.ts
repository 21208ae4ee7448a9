// The version matrix as OSV records (https://ossf.github.io/osv-schema/): one per failure that some
// recorded build is affected by, so that an OSV-aware scanner can say which Bun builds carry a
// casebook failure. A pure function of the builds index (repro/core/builds-index.ts), the site's
// address and the times of the records behind it; /osv/<id>.json and /osv/all.json serve it, and
// tests/unit/osv.test.ts validates every record against the vendored OSV schema.
//
// Ranges follow npm's order of the labels (semver), not the index's build order: an OSV consumer
// compares npm versions with semver, and the two orders differ around the rewrite (the canary npm
// published as 1.3.14-canary.20260519.1 is a 1.4.0 build, which the index puts after 1.3.14).
// Computed in semver order, a version falls in a range exactly when it is between an affected
// recorded build and the next recorded build that is not affected, whatever the index's order.
import type { BuildsIndex, CellStatus, IndexedBuild, IndexedFailure } from '../../repro/core/builds-index.ts';
import { anchorOf } from '../../repro/core/builds-index.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { compareVersions } from '../../repro/core/versions.ts';
import { matrixRecordHref, matrixRecordId } from './version-matrix-page.ts';

/** The OSV schema version these records follow (tests/vendor/osv-schema, docs/schema.md of that commit). */
const OSV_SCHEMA_VERSION = '1.7.5';

/** `x_` marks a database OSV.dev does not aggregate (the schema's id pattern); then the casebook's own prefix. */
const OSV_ID_PREFIX = 'x_BUNCASE-';

/** The npm package that publishes Bun's releases only (canaries are published for the platform packages). */
export const RELEASE_PACKAGE = 'bun';

function osvId(failureId: string): string {
  return `${OSV_ID_PREFIX}${failureId}`;
}

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM';
  events: OsvEvent[];
  database_specific?: { undecided: string[] };
}

interface OsvAffected {
  package: { ecosystem: 'npm'; name: string; purl: string };
  ranges: OsvRange[];
  versions: string[];
}

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  summary: string;
  details: string;
  affected: OsvAffected[];
  references: { type: 'REPORT' | 'FIX' | 'WEB' | 'ARTICLE' | 'EVIDENCE'; url: string }[];
  database_specific: {
    casebook: {
      class: IndexedFailure['class'];
      kind: IndexedFailure['kind'];
      definition: string;
      page: string;
      first_affected: string | null;
      first_fixed: string | null;
      regressions: string[];
      fix: IndexedFailure['fix'];
      /** Every recorded build's state, in the index's build order, with the record that decides it and its row on /affected/. */
      builds: { npm: string; status: CellStatus; record: string | null; row: string }[];
    };
  };
}

/** When each matrix record started and ended, by its address on the site (/matrix/<scenario>/<file>.json). */
export type RecordTimes = ReadonlyMap<string, { startedAt: string; endedAt: string }>;

export function recordTimes(records: readonly RunRecord[]): RecordTimes {
  return new Map(
    records.map((r) => [matrixRecordHref(matrixRecordId(r)), { startedAt: r.startedAt, endedAt: r.endedAt }]),
  );
}

const CLASS_SENTENCE: Record<NonNullable<IndexedFailure['class']>, string> = {
  'fixed-by-rewrite':
    'The rewrite fixed it: affected on the last Zig release, not on the first Rust build nor the newest.',
  'fixed-later':
    'Fixed later in the Rust line: affected on the last Zig release and the first Rust build, not on a later Rust build.',
  'introduced-by-rust':
    'Introduced by the Rust line: not affected on the last Zig release, affected on some Rust build.',
  'both-lines': 'Present in both lines: affected on the last Zig release and on the newest build.',
  'fixed-before-rewrite': 'Fixed before the rewrite: affected on older Zig builds only.',
  'not-seen': 'No recorded build is affected.',
};

/**
 * The ranges of one package's builds (given oldest first by npm's order): one per run of affected
 * builds, from its first affected build to the first later build recorded as not affected (fixed),
 * or to its last affected build when none later is (last_affected). Builds not run or inconclusive
 * neither start nor end a run; those inside one are named in the range's database_specific.
 */
export function affectedRanges(builds: readonly { npm: string; status: CellStatus }[]): OsvRange[] {
  const ranges: OsvRange[] = [];
  let open: { introduced: string; last: string; undecided: string[]; pending: string[] } | null = null;
  const close = (end: OsvEvent) => {
    const range: OsvRange = { type: 'ECOSYSTEM', events: [{ introduced: open!.introduced }, end] };
    if (open!.undecided.length > 0) range.database_specific = { undecided: open!.undecided };
    ranges.push(range);
    open = null;
  };
  for (const b of builds) {
    if (b.status === 'affected') {
      if (open) {
        open.undecided.push(...open.pending);
        open.pending = [];
        open.last = b.npm;
      } else open = { introduced: b.npm, last: b.npm, undecided: [], pending: [] };
    } else if (b.status === 'not-affected') {
      if (open) {
        // Undecided builds between the last affected one and the fix are inside the range too.
        open.undecided.push(...open.pending);
        close({ fixed: b.npm });
      }
    } else if (open) open.pending.push(b.npm);
  }
  if (open) close({ last_affected: (open as { last: string }).last });
  return ranges;
}

function affectedEntry(name: string, builds: readonly IndexedBuild[], failureId: string): OsvAffected | null {
  const ordered = [...builds]
    .sort((a, b) => compareVersions(a.npm, b.npm))
    .map((b) => ({ npm: b.npm, status: b.states[failureId]?.status ?? 'not-run' }));
  const versions = ordered.filter((b) => b.status === 'affected').map((b) => b.npm);
  if (versions.length === 0) return null;
  return {
    package: { ecosystem: 'npm', name, purl: `pkg:npm/${name.replace(/^@/, '%40')}` },
    ranges: affectedRanges(ordered),
    versions,
  };
}

const isRelease = (b: IndexedBuild) => !b.npm.includes('-');

/** One OSV record per failure that some build of the index is affected by. */
export function osvRecords(index: BuildsIndex, siteUrl: string | URL, times: RecordTimes): OsvRecord[] {
  const url = (path: string) => new URL(path, siteUrl).href;
  return index.failures.flatMap((f): OsvRecord[] => {
    const states = index.builds.map((b) => ({
      npm: b.npm,
      ...(b.states[f.id] ?? { status: 'not-run' as const, text: '', record: null }),
    }));
    const affected = states.filter((s) => s.status === 'affected');
    if (affected.length === 0) return [];
    // modified: the newest record that decides a state of it; published: the oldest. Never the build's clock.
    const deciding = states.flatMap((s) => {
      if (s.record === null) return [];
      const t = times.get(s.record);
      if (!t) throw new Error(`osv: no times for ${s.record}, a record the index names`);
      return [t.endedAt];
    });
    const sorted = [...deciding].sort();
    const entries = [
      affectedEntry(RELEASE_PACKAGE, index.builds.filter(isRelease), f.id),
      affectedEntry(index.package, index.builds, f.id),
    ].filter((a): a is OsvAffected => a !== null);
    const count = (status: CellStatus) => states.filter((s) => s.status === status).length;
    const undecided = count('inconclusive') + count('not-run');
    const details = [
      `${f.definition}.`,
      [
        f.class ? CLASS_SENTENCE[f.class] : null,
        `The Bun Rewrite Casebook's version matrix records it on ${affected.length} of ${states.length} builds` +
          `${undecided > 0 ? ` (${undecided} undecided: inconclusive or not recorded yet)` : ''}` +
          `${f.firstAffected ? `, first on ${f.firstAffected}` : ''}${f.firstFixed ? `, fixed from ${f.firstFixed}` : ''}` +
          ' (in the order of the versions the builds report).',
      ]
        .filter(Boolean)
        .join(' '),
      "A reliability failure measured on recorded runs, not a security advisory. Each affected build's run record is an EVIDENCE reference; the ranges are in npm's order of the labels, and `versions` lists every build recorded as affected.",
    ].join('\n\n');
    const references: OsvRecord['references'] = [
      ...(f.issue ? [{ type: 'REPORT' as const, url: f.issue.url }] : []),
      // A pull request that was closed without merging is no fix: a web page about it.
      ...(f.fix ? [{ type: f.fix.status === 'merged' ? ('FIX' as const) : ('WEB' as const), url: f.fix.url }] : []),
      { type: 'ARTICLE', url: url(f.page) },
      ...affected.flatMap((s) => (s.record ? [{ type: 'EVIDENCE' as const, url: url(s.record) }] : [])),
    ];
    return [
      {
        schema_version: OSV_SCHEMA_VERSION,
        id: osvId(f.id),
        modified: sorted.at(-1) ?? index.records.newest!,
        published: sorted[0] ?? index.records.newest!,
        summary: `Bun: ${f.title}`,
        details,
        affected: entries,
        references,
        database_specific: {
          casebook: {
            class: f.class,
            kind: f.kind,
            definition: f.definition,
            page: url(f.page),
            first_affected: f.firstAffected,
            first_fixed: f.firstFixed,
            regressions: f.regressions,
            fix: f.fix,
            builds: states.map((s) => ({
              npm: s.npm,
              status: s.status,
              record: s.record ? url(s.record) : null,
              row: url(`/affected/#${anchorOf(s.npm)}`),
            })),
          },
        },
      },
    ];
  });
}
