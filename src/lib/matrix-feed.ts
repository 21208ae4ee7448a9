// What changed in the version matrix, as an Atom feed (/affected/feed.xml): a build recorded for the
// first time, a failure recorded for the first time, and a failure whose state on a build changed
// from one complete record of it to the next. A pure function of every matrix record, superseded ones
// included, replayed in the order they were started: each step is what /affected/ would have shown
// then (each cell from its build's newest complete record). Dates are the records' own, so the same
// records give the same feed, byte for byte.
import { anchorOf } from '../../repro/core/builds-index.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { failurePath } from './figure-home.ts';
import { notRun, type Cell, type CellStatus } from './failure.ts';
import { SITE_AUTHOR, SITE_LICENSE, SITE_TITLE } from './site.ts';
import { FAILURES, npmVersionOf, type ScenarioFailure } from './version-matrix.ts';
import { matrixRecordHref, matrixRecordId } from './version-matrix-page.ts';
import { xmlText } from './xml.ts';

type ChangeKind = 'build' | 'failure' | 'change';

export interface MatrixChange {
  kind: ChangeKind;
  /** Stable: what the entry is about, never when the feed was built (the tag URI's specific part). */
  key: string;
  /** When the record that made the change ended. */
  updated: string;
  title: string;
  /** A site path: the build's row on /affected/, or the failure's page. */
  link: string;
  /** The record that made the change (/matrix/<scenario>/<file>.json). */
  record: string;
  content: string;
  /** The build (npm label) it concerns. */
  build: string;
}

/** The feed's address on the site. */
const FEED_PATH = '/affected/feed.xml';

/** Entries the feed keeps, newest first. */
export const FEED_LIMIT = 100;

const STATUS_WORD: Record<CellStatus, string> = {
  affected: 'affected',
  'not-affected': 'not affected',
  inconclusive: 'inconclusive',
  'not-run': 'not recorded',
};

const stateText = (cell: Cell) =>
  `${STATUS_WORD[cell.status]} (${cell.text}${cell.runId ? `; run ${cell.runId}` : ''})`;

/** Every change of the matrix, newest first. */
export function matrixChanges(
  records: readonly RunRecord[],
  failures: readonly ScenarioFailure[] = FAILURES,
): MatrixChange[] {
  const ordered = records
    .map((r) => ({ r, id: matrixRecordId(r) }))
    .sort((a, b) => a.r.startedAt.localeCompare(b.r.startedAt) || a.id.localeCompare(b.id));
  const byBuild = new Map<string, RunRecord[]>(); // newest first, as the cells read them
  const seen = new Set<string>();
  const changes: MatrixChange[] = [];
  for (const { r, id } of ordered) {
    const build = npmVersionOf(r);
    const before = byBuild.get(build) ?? [];
    const after = [r, ...before];
    byBuild.set(build, after);
    const record = matrixRecordHref(id);
    const row = `/affected/#${anchorOf(build)}`;
    const mine = failures
      .filter((f) => f.scenario === r.scenario)
      .map((f) => ({ f, was: before.length > 0 ? f.cell(before) : notRun, now: f.cell(after) }));
    if (before.length === 0) {
      const decided = mine.filter((m) => m.now.status !== 'not-run');
      changes.push({
        kind: 'build',
        key: `affected/build/${build}`,
        updated: r.endedAt,
        title: `New build: bun ${build}`,
        link: row,
        record,
        build,
        content:
          `bun ${build} (${r.runtime.revision}, ${r.runtime.line} line) first recorded, by the ${r.scenario} run ${r.runId}: ` +
          (decided.length > 0
            ? decided.map((m) => `${m.f.title}: ${stateText(m.now)}`).join('; ')
            : `no failure decided yet (the record is ${r.status})`) +
          '.',
      });
    }
    for (const { f, was, now } of mine) {
      if (now.status !== 'not-run' && !seen.has(f.id)) {
        seen.add(f.id);
        changes.push({
          kind: 'failure',
          key: `affected/failure/${f.id}`,
          updated: r.endedAt,
          title: `New failure in the matrix: ${f.title}`,
          link: failurePath(f.id),
          record,
          build,
          content: `${f.title} (${f.id}): ${f.definition}. First recorded on bun ${build}: ${stateText(now)}.`,
        });
      } else if (was.status !== 'not-run' && now.status !== was.status) {
        changes.push({
          kind: 'change',
          key: `affected/change/${build}/${f.id}/${r.runId}`,
          updated: r.endedAt,
          title: `${f.title} on bun ${build}: ${STATUS_WORD[was.status]} → ${STATUS_WORD[now.status]}`,
          link: row,
          record,
          build,
          content: `${f.title} (${f.id}) on bun ${build}: was ${stateText(was)}, now ${stateText(now)}.`,
        });
      }
    }
  }
  // Newest first; among equal times, the order they were found in reversed, so a build's entry follows its changes.
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.updated.localeCompare(a.c.updated) || b.i - a.i)
    .map(({ c }) => c);
}

/** A tag URI (RFC 4151) under the site's host: stable for as long as the site keeps its address. */
function tagUri(siteUrl: string | URL, specific: string): string {
  return `tag:${new URL(siteUrl).hostname},2026:${specific}`;
}

/** The feed: Atom 1.0 (RFC 4287), its newest `limit` changes. */
export function atomFeed(changes: readonly MatrixChange[], siteUrl: string | URL, limit = FEED_LIMIT): string {
  const url = (path: string) => xmlText(new URL(path, siteUrl).href);
  const kept = changes.slice(0, limit);
  const updated = kept[0]?.updated ?? '1970-01-01T00:00:00.000Z';
  const entries = kept.map(
    (c) =>
      '  <entry>\n' +
      `    <id>${xmlText(tagUri(siteUrl, c.key))}</id>\n` +
      `    <title type="text">${xmlText(c.title)}</title>\n` +
      `    <updated>${c.updated}</updated>\n` +
      `    <link rel="alternate" type="text/html" href="${url(c.link)}"/>\n` +
      `    <link rel="related" type="application/json" href="${url(c.record)}"/>\n` +
      `    <category term="${c.kind}"/>\n` +
      `    <content type="text">${xmlText(c.content)}</content>\n` +
      '  </entry>\n',
  );
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom">\n' +
    `  <id>${xmlText(tagUri(siteUrl, 'affected/feed'))}</id>\n` +
    `  <title type="text">${xmlText(`${SITE_TITLE}: changes to “Is my Bun affected?”`)}</title>\n` +
    `  <subtitle type="text">Builds and failures recorded for the first time, and failures whose state on a build changed, from the version matrix's run records.</subtitle>\n` +
    `  <updated>${updated}</updated>\n` +
    `  <link rel="self" type="application/atom+xml" href="${url(FEED_PATH)}"/>\n` +
    `  <link rel="alternate" type="text/html" href="${url('/affected/')}"/>\n` +
    `  <author><name>${xmlText(SITE_AUTHOR)}</name><uri>${url('/')}</uri></author>\n` +
    `  <rights type="text">${xmlText(`${SITE_LICENSE.name} (${SITE_LICENSE.spdx})`)}</rights>\n` +
    entries.join('') +
    '</feed>\n'
  );
}
