// The Atom feed of matrix changes (/affected/feed.xml): well-formed Atom 1.0 with the elements RFC 4287
// requires, newest first, stable ids and dates from the records; a build, a failure and a changed
// state each make an entry, and text with XML's special characters is escaped.
import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import { notRun, type Cell } from '../../src/lib/failure.ts';
import { atomFeed, FEED_LIMIT, matrixChanges } from '../../src/lib/matrix-feed.ts';
import type { ScenarioFailure } from '../../src/lib/version-matrix.ts';

const SITE = 'https://casebook.example/';
const ATOM = 'http://www.w3.org/2005/Atom';
const records = (
  await readRecords(['s3-leak', 's3-upload', 'sql-pool', 'catalogue'].map((s) => fromRoot('content', 'matrix', s)))
).map((l) => l.record);

function parse(xml: string): Document {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}
const child = (el: Element, name: string) =>
  [...el.children].filter((c) => c.namespaceURI === ATOM && c.localName === name);
const one = (el: Element, name: string) => {
  const found = child(el, name);
  expect(found, `<${name}> in <${el.localName}>`).toHaveLength(1);
  return found[0]!;
};

describe('the feed of the committed matrix', () => {
  const changes = matrixChanges(records);
  const xml = atomFeed(changes, SITE);
  const feed = parse(xml).documentElement;
  const entries = child(feed, 'entry');

  test('is Atom 1.0 with what RFC 4287 requires of a feed and of each entry', () => {
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe('feed');
    expect(one(feed, 'id').textContent).toBe('tag:casebook.example,2026:affected/feed');
    expect(one(feed, 'title').textContent).toContain('Bun Rewrite Casebook');
    expect(one(feed, 'updated').textContent).toBe(changes[0]!.updated);
    expect(one(one(feed, 'author'), 'name').textContent).not.toBe('');
    const links = child(feed, 'link').map((l) => [l.getAttribute('rel'), l.getAttribute('href')]);
    expect(links).toEqual([
      ['self', `${SITE}affected/feed.xml`],
      ['alternate', `${SITE}affected/`],
    ]);
    expect(entries.length).toBe(Math.min(FEED_LIMIT, changes.length));
    const ids = new Set<string>();
    for (const e of entries) {
      const id = one(e, 'id').textContent!;
      expect(id).toMatch(/^tag:casebook\.example,2026:affected\//);
      ids.add(id);
      expect(one(e, 'title').textContent).not.toBe('');
      expect(Number.isNaN(Date.parse(one(e, 'updated').textContent!))).toBe(false);
      expect(
        child(e, 'link')
          .find((l) => l.getAttribute('rel') === 'alternate')
          ?.getAttribute('href'),
      ).toMatch(/^https:\/\/casebook\.example\/(affected\/#v|failures\/)/);
      expect(one(e, 'content').getAttribute('type')).toBe('text');
    }
    expect(ids.size).toBe(entries.length);
  });

  test('newest first, with an entry for the newest build', () => {
    const times = entries.map((e) => one(e, 'updated').textContent!);
    expect(times).toEqual([...times].sort().reverse());
    const newest = entries.find(
      (e) => one(e, 'id').textContent === 'tag:casebook.example,2026:affected/build/1.4.5-canary.20261202.1',
    );
    expect(newest).toBeDefined();
    expect(one(newest!, 'title').textContent).toBe('New build: bun 1.4.5-canary.20261202.1');
    expect(child(newest!, 'link')[0]!.getAttribute('href')).toBe(`${SITE}affected/#v1.4.5-canary.20261202.1`);
  });

  test('every build and every failure of the matrix once; dates from the records', () => {
    const builds = new Set(records.map((r) => r.runtime.source.slice(r.runtime.source.lastIndexOf('@') + 1)));
    expect(
      changes
        .filter((c) => c.kind === 'build')
        .map((c) => c.build)
        .sort(),
    ).toEqual([...builds].sort());
    expect(new Set(changes.filter((c) => c.kind === 'failure').map((c) => c.key)).size).toBe(
      changes.filter((c) => c.kind === 'failure').length,
    );
    const ended = new Set(records.map((r) => r.endedAt));
    for (const c of changes) expect(ended.has(c.updated)).toBe(true);
    expect(atomFeed(matrixChanges(records), SITE)).toBe(xml);
  });

  test('a limit keeps the newest entries', () => {
    expect(
      child(parse(atomFeed(changes, SITE, 3)).documentElement, 'entry').map((e) => one(e, 'id').textContent),
    ).toEqual(entries.slice(0, 3).map((e) => one(e, 'id').textContent));
  });
});

describe('changes between successive complete records', () => {
  // Records reduced to what the feed reads; the failure's cell is decided by a word in the runId.
  const record = (runId: string, startedAt: string, status: 'complete' | 'interrupted' = 'complete') =>
    ({
      scenario: 's3-leak',
      runId,
      startedAt,
      endedAt: startedAt.replace(':00.000Z', ':30.000Z'),
      status,
      runtime: {
        version: '9.9.9',
        revision: '9.9.9+abcdef012',
        line: 'rust',
        label: '9.9.9 (Rust)',
        source: 'npm:@oven/bun-linux-x64@9.9.9',
        sha256: null,
      },
    }) as unknown as RunRecord;
  const failure: ScenarioFailure = {
    id: 'odd',
    title: `A <title> & "quotes" 'too'`,
    definition: 'fails when a < b && c > d',
    heading: { wide: '', narrow: '' },
    kind: 'leak',
    issue: null,
    fix: null,
    keyFigure: { label: '', unit: '' },
    probe: '',
    rerun: '',
    scenario: 's3-leak',
    cell(rs): Cell {
      const r = rs.find((x) => x.status === 'complete');
      if (!r) return notRun;
      return {
        status: r.runId.includes('bad') ? 'affected' : 'not-affected',
        text: `read <${r.runId}>`,
        runId: r.runId,
        figure: null,
      };
    },
  };
  const rs = [
    record('r1-bad', '2026-01-01T00:00:00.000Z'),
    record('r2-ok', '2026-01-02T00:00:00.000Z', 'interrupted'), // not complete: no change
    record('r3-ok', '2026-01-03T00:00:00.000Z'),
    record('r4-ok', '2026-01-04T00:00:00.000Z'), // the same state again: no entry
  ];
  const changes = matrixChanges([...rs].reverse(), [failure]);

  test('a build, a failure, and the one change of state, newest first', () => {
    expect(changes.map((c) => [c.kind, c.updated])).toEqual([
      ['change', '2026-01-03T00:00:30.000Z'],
      ['failure', '2026-01-01T00:00:30.000Z'],
      ['build', '2026-01-01T00:00:30.000Z'],
    ]);
    expect(changes[0]).toMatchObject({
      key: 'affected/change/9.9.9/odd/r3-ok',
      title: `A <title> & "quotes" 'too' on bun 9.9.9: affected → not affected`,
      link: '/affected/#v9.9.9',
      record: '/matrix/s3-leak/r3-ok_9.9.9-rust.json',
    });
    expect(changes[0]!.content).toContain(
      'was affected (read <r1-bad>; run r1-bad), now not affected (read <r3-ok>; run r3-ok)',
    );
    expect(changes[1]!.link).toBe('/failures/odd/');
  });

  test('XML special characters are escaped, and read back as they were', () => {
    const xml = atomFeed(changes, SITE);
    expect(xml).toContain('A &lt;title&gt; &amp; &quot;quotes&quot; &apos;too&apos;');
    expect(xml).not.toContain('<title>');
    const entries = child(parse(xml).documentElement, 'entry');
    expect(one(entries[0]!, 'title').textContent).toBe(changes[0]!.title);
    expect(one(entries[1]!, 'content').textContent).toContain('fails when a < b && c > d');
  });
});
