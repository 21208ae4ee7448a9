// The OSV records (/osv/<id>.json): each valid against the OSV schema vendored from ossf/osv-schema
// (tests/vendor/osv-schema), and saying what the builds index says: every range starts on an
// affected build and is fixed by a build that is not, and a version falls in a range exactly when
// the index records it as affected (npm's semver order, as an OSV consumer reads it).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BuildsIndex, type IndexedBuild } from '../../repro/core/builds-index.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { compareVersions } from '../../repro/core/versions.ts';
import { indexFromMatrix } from '../../src/checks/builds-index.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import {
  affectedRanges,
  osvRecords,
  recordTimes,
  RELEASE_PACKAGE,
  type OsvRange,
  type OsvRecord,
} from '../../src/lib/osv.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(readFileSync(fromRoot('tests', 'vendor', 'osv-schema', 'schema.json'), 'utf8'));
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validate = ajv.compile(schema);

const SITE = 'https://casebook.example/';
const index = BuildsIndex.parse(JSON.parse(readFileSync(fromRoot('repro', 'affected', 'builds.json'), 'utf8')));
const records = (
  await readRecords(['s3-leak', 's3-upload', 'sql-pool', 'catalogue'].map((s) => fromRoot('content', 'matrix', s)))
).map((l) => l.record);
const times = recordTimes(records);
const osv = osvRecords(index, SITE, times);

/** Whether `version` falls in `range` as OSV evaluates an ECOSYSTEM range of events (semver order for npm). */
function inRange(version: string, range: OsvRange): boolean {
  const [start, end] = range.events as [{ introduced: string }, { fixed?: string; last_affected?: string }];
  if (compareVersions(version, start.introduced) < 0) return false;
  if (end.fixed !== undefined) return compareVersions(version, end.fixed) < 0;
  return compareVersions(version, end.last_affected!) <= 0;
}

const statusOf = (b: IndexedBuild, failureId: string) => b.states[failureId]?.status ?? 'not-run';
const failureOf = (r: OsvRecord) => r.id.replace(/^x_BUNCASE-/, '');

test('the committed index is what the records give, so these records are the site’s', async () => {
  expect(await indexFromMatrix(fromRoot('content', 'matrix'))).toEqual(index);
});

test('one record per failure some build is affected by, each valid against the vendored OSV schema', () => {
  const affected = index.failures
    .filter((f) => index.builds.some((b) => statusOf(b, f.id) === 'affected'))
    .map((f) => `x_BUNCASE-${f.id}`);
  expect(osv.map((r) => r.id)).toEqual(affected);
  expect(osv.length).toBeGreaterThan(0);
  for (const record of osv) {
    const ok = validate(record);
    expect(validate.errors ?? [], record.id).toEqual([]);
    expect(ok).toBe(true);
  }
});

test('the id matches the schema’s pattern for a database OSV.dev does not aggregate', () => {
  for (const r of osv) expect(r.id).toMatch(new RegExp(schema.$defs.prefix.pattern));
});

describe('a record broken on purpose fails validation', () => {
  const good = () => structuredClone(osv[0]!) as unknown as Record<string, unknown> & OsvRecord;
  test.each<[string, (r: OsvRecord & Record<string, unknown>) => void]>([
    ['an id with an unknown prefix', (r) => void (r.id = 'BUNCASE-s3-leak')],
    ['a modified time that is no RFC 3339 time', (r) => void (r.modified = '2026-12-06 14:00')],
    [
      'an event with both introduced and fixed',
      (r) => void (r.affected[0]!.ranges[0]!.events = [{ introduced: '1.3.0', fixed: '1.4.0' }]),
    ],
    [
      'fixed and last_affected in one range',
      (r) => void r.affected[0]!.ranges[0]!.events.push({ last_affected: '1.4.0' }, { fixed: '1.4.1' }),
    ],
    ['a reference type the schema does not know', (r) => void (r.references[0]!.type = 'PROOF' as 'WEB')],
    ['no id', (r) => void delete (r as Partial<OsvRecord>).id],
  ])('%s', (_, breakIt) => {
    const r = good();
    expect(validate(r)).toBe(true);
    breakIt(r);
    expect(validate(r)).toBe(false);
  });
});

test('ranges agree with the index: introduced affected, fixed not affected, last_affected affected', () => {
  for (const r of osv) {
    const f = failureOf(r);
    const byLabel = new Map(index.builds.map((b) => [b.npm, statusOf(b, f)]));
    for (const a of r.affected) {
      expect(a.ranges.length).toBeGreaterThan(0);
      for (const range of a.ranges) {
        expect(range.type).toBe('ECOSYSTEM');
        expect(range.events).toHaveLength(2);
        const [start, end] = range.events as [{ introduced: string }, { fixed?: string; last_affected?: string }];
        expect(byLabel.get(start.introduced), `${r.id} ${a.package.name} introduced ${start.introduced}`).toBe(
          'affected',
        );
        if (end.fixed !== undefined) expect(byLabel.get(end.fixed), `${r.id} fixed ${end.fixed}`).toBe('not-affected');
        else expect(byLabel.get(end.last_affected!), `${r.id} last_affected ${end.last_affected}`).toBe('affected');
      }
    }
  }
});

test('a recorded version is in a range exactly when the index records it as affected; versions lists them', () => {
  for (const r of osv) {
    const f = failureOf(r);
    for (const a of r.affected) {
      const builds = index.builds.filter((b) => a.package.name !== RELEASE_PACKAGE || !b.npm.includes('-'));
      const affected = builds.filter((b) => statusOf(b, f) === 'affected').map((b) => b.npm);
      expect(a.versions).toEqual([...affected].sort(compareVersions));
      for (const b of builds) {
        const status = statusOf(b, f);
        if (status !== 'affected' && status !== 'not-affected') continue;
        expect(
          a.ranges.some((range) => inRange(b.npm, range)),
          `${r.id} ${a.package.name} ${b.npm}`,
        ).toBe(status === 'affected');
      }
    }
  }
});

test('both packages: bun lists releases only; the platform package every build', () => {
  for (const r of osv) {
    const names = r.affected.map((a) => a.package.name);
    expect(names.at(-1)).toBe(index.package);
    const bun = r.affected.find((a) => a.package.name === RELEASE_PACKAGE);
    if (bun)
      for (const v of [...bun.versions, ...bun.ranges.flatMap((x) => x.events.flatMap((e) => Object.values(e)))])
        expect(v).not.toContain('-');
    for (const a of r.affected) expect(a.package.ecosystem).toBe('npm');
  }
  // s3-leak affects releases up to 1.3.14 and no Rust build: fixed in the first Rust release.
  const s3 = osv.find((r) => r.id === 'x_BUNCASE-s3-leak')!;
  expect(s3.affected[0]).toMatchObject({
    package: { name: 'bun', purl: 'pkg:npm/bun' },
    ranges: [{ events: [{ introduced: '1.3.0' }, { fixed: '1.4.0' }] }],
  });
  expect(s3.affected[1]!.package.purl).toBe('pkg:npm/%40oven/bun-linux-x64');
});

test('dates come from the records, never the clock; references are absolute, with the evidence', () => {
  for (const r of osv) {
    const f = failureOf(r);
    const used = index.builds
      .flatMap((b) => (b.states[f]?.record ? [times.get(b.states[f]!.record!)!.endedAt] : []))
      .sort();
    expect(r.modified).toBe(used.at(-1));
    expect(r.published).toBe(used[0]);
    const evidence = r.references.filter((x) => x.type === 'EVIDENCE').map((x) => x.url);
    expect(evidence).toEqual(
      index.builds.filter((b) => statusOf(b, f) === 'affected').map((b) => new URL(b.states[f]!.record!, SITE).href),
    );
    expect(r.references.find((x) => x.type === 'ARTICLE')?.url).toBe(`${SITE}failures/${f}/`);
    for (const x of r.references) expect(x.url).toMatch(/^https:\/\//);
    expect(r.database_specific.casebook).toMatchObject({
      class: index.failures.find((x) => x.id === f)!.class,
      definition: index.failures.find((x) => x.id === f)!.definition,
    });
  }
  expect(osvRecords(index, SITE, times)).toEqual(osv);
});

describe('affectedRanges', () => {
  const b = (spec: string) =>
    spec.split(' ').map((s, i) => ({
      npm: `1.0.${i}`,
      status: ({ X: 'affected', '.': 'not-affected', '?': 'inconclusive', '-': 'not-run' } as const)[s as 'X']!,
    }));
  test('one range per affected run; fixed by the next build not affected', () => {
    expect(affectedRanges(b('. X X . X .'))).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '1.0.1' }, { fixed: '1.0.3' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '1.0.4' }, { fixed: '1.0.5' }] },
    ]);
  });
  test('still affected on the newest: last_affected, not fixed', () => {
    expect(affectedRanges(b('. X X ?'))).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '1.0.1' }, { last_affected: '1.0.2' }] },
    ]);
  });
  test('undecided builds neither start nor end a run, and those inside one are named', () => {
    expect(affectedRanges(b('? X ? - X ? .'))).toEqual([
      {
        type: 'ECOSYSTEM',
        events: [{ introduced: '1.0.1' }, { fixed: '1.0.6' }],
        database_specific: { undecided: ['1.0.2', '1.0.3', '1.0.5'] },
      },
    ]);
    expect(affectedRanges(b('. ? .'))).toEqual([]);
  });
});
