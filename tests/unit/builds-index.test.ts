// The builds index: the lookup a reader types into (npm label, `bun --revision`, `bun --version`),
// the answer it gives, and the committed copy the terminal reads, which must be what the records give.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  answerFor,
  BuildsIndex,
  findBuild,
  type IndexedBuild,
  type IndexedFailure,
} from '../../repro/core/builds-index.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { indexChanges, indexFromMatrix, indexText } from '../../src/checks/builds-index.ts';

const committed = BuildsIndex.parse(JSON.parse(readFileSync(fromRoot('repro', 'affected', 'builds.json'), 'utf8')));

function failure(id: string): IndexedFailure {
  return {
    id,
    title: id,
    short: id,
    kind: 'hang',
    definition: id,
    class: null,
    firstAffected: null,
    firstFixed: null,
    regressions: [],
    page: `/failures/${id}/`,
    issue: null,
    fix: null,
  };
}
function build(
  npm: string,
  revision: string,
  states: Record<string, 'affected' | 'not-affected' | 'inconclusive'>,
): IndexedBuild {
  return {
    npm,
    revision,
    line: 'rust',
    published: null,
    states: Object.fromEntries(
      Object.entries(states).map(([id, status]) => [id, { status, text: status, record: `/matrix/x/${npm}.json` }]),
    ),
  };
}

// a and b on 1.0.0; 1.0.1-canary fixes a only; 1.0.1 fixes both but brings c; 1.0.2 is clean.
const small: BuildsIndex = {
  schema: 1,
  package: '@oven/bun-linux-x64',
  records: { count: 0, newest: null },
  failures: [failure('a'), failure('b'), failure('c')],
  builds: [
    build('1.0.0', '1.0.0+aaaaaaaaa', { a: 'affected', b: 'affected', c: 'not-affected' }),
    build('1.0.1-canary.20260101.1', '1.0.1-canary.1+bbbbbbbbb', {
      a: 'not-affected',
      b: 'affected',
      c: 'not-affected',
    }),
    build('1.0.1-canary.20260102.1', '1.0.1-canary.2+ccccccccc', {
      a: 'not-affected',
      b: 'not-affected',
      c: 'inconclusive',
    }),
    build('1.0.1', '1.0.1+ddddddddd', { a: 'not-affected', b: 'not-affected', c: 'affected' }),
    build('1.0.2', '1.0.2+eeeeeeeee', { a: 'not-affected', b: 'not-affected', c: 'not-affected' }),
  ],
};

describe('findBuild', () => {
  test.each([
    ['1.0.1', '1.0.1'],
    [' v1.0.1\n', '1.0.1'],
    ['bun 1.0.0', '1.0.0'],
    ['1.0.1-canary.2+ccccccccc', '1.0.1-canary.20260102.1'],
    ['1.0.1-canary.2+ccccccc', '1.0.1-canary.20260102.1'], // a shorter commit prefix
    ['1.0.1-canary.1', '1.0.1-canary.20260101.1'], // what `bun --version` prints
  ])('%j finds %s', (query, npm) => {
    const found = findBuild(small.builds, query);
    expect(found.kind).toBe('found');
    expect(found.kind === 'found' && found.build.npm).toBe(npm);
  });

  test('a revision whose commit differs is not the build, and is placed between its neighbours', () => {
    const found = findBuild(small.builds, '1.0.1-canary.3+fffffffff');
    expect(found).toMatchObject({
      kind: 'not-in-matrix',
      before: { npm: '1.0.1-canary.20260102.1' },
      after: { npm: '1.0.1' },
    });
  });

  test('a build newer than any has nothing after it; older than any, nothing before', () => {
    expect(findBuild(small.builds, '9.0.0')).toMatchObject({
      kind: 'not-in-matrix',
      before: { npm: '1.0.2' },
      after: null,
    });
    expect(findBuild(small.builds, '0.9.0')).toMatchObject({
      kind: 'not-in-matrix',
      before: null,
      after: { npm: '1.0.0' },
    });
  });

  test.each(['', 'latest', '1.4', '1.4.2; rm -rf /'])('%j is invalid', (query) => {
    expect(findBuild(small.builds, query).kind).toBe('invalid');
  });
});

describe('answerFor', () => {
  const answer = (npm: string) => answerFor(small, small.builds.find((b) => b.npm === npm)!);

  test('each failure with its first fixed build after this one; the smallest upgrade clears all and says what it brings', () => {
    const a = answer('1.0.0');
    expect(a.affected.map((x) => [x.failure.id, x.fixedIn?.npm])).toEqual([
      ['a', '1.0.1-canary.20260101.1'],
      ['b', '1.0.1-canary.20260102.1'],
    ]);
    expect(a.upgrade).toMatchObject({ build: { npm: '1.0.1-canary.20260102.1' }, brings: [] });
    // The first release that clears both brings c, which 1.0.0 does not have.
    expect(a.releaseUpgrade?.build.npm).toBe('1.0.1');
    expect(a.releaseUpgrade?.brings.map((f) => f.id)).toEqual(['c']);
  });

  test('an unaffected build has no upgrade, and its undecided failures are listed', () => {
    const a = answer('1.0.1-canary.20260102.1');
    expect(a.affected).toEqual([]);
    expect(a.upgrade).toBeNull();
    expect(a.undecided.map((u) => u.failure.id)).toEqual(['c']);
  });

  test('no later build clears it: no upgrade', () => {
    const index = { ...small, builds: small.builds.slice(0, 2) };
    expect(answerFor(index, index.builds[0]!).upgrade).toBeNull();
  });
});

describe('the committed index (repro/affected/builds.json)', () => {
  test('is what the matrix records give, byte for byte', async () => {
    expect(indexText(committed)).toBe(indexText(await indexFromMatrix(fromRoot('content', 'matrix'))));
  });

  test("agrees with the ledger: a failure's first fixed build is the upgrade's answer for its first affected build", () => {
    for (const f of committed.failures.filter((x) => x.firstAffected && x.firstFixed && x.regressions.length === 0)) {
      const at = committed.builds.find((b) => b.npm === f.firstAffected)!;
      const mine = answerFor(committed, at).affected.find((x) => x.failure.id === f.id);
      expect(mine?.fixedIn?.npm, f.id).toBe(f.firstFixed);
    }
  });

  test('holds every failure on every build, and the builds in matrix order', () => {
    for (const b of committed.builds)
      expect(Object.keys(b.states).sort()).toEqual(committed.failures.map((f) => f.id).sort());
    expect(new Set(committed.builds.map((b) => b.npm)).size).toBe(committed.builds.length);
  });
});

describe("indexChanges, for the refresh's pull request", () => {
  test('a new build, a changed state, a changed first fixed build; nothing when nothing changed', () => {
    expect(indexChanges(small, small)).toEqual([]);
    const later: BuildsIndex = {
      ...small,
      failures: small.failures.map((f) => (f.id === 'c' ? { ...f, firstFixed: '1.0.2' } : f)),
      builds: [
        ...small.builds.map((b) =>
          b.npm === '1.0.1' ? build('1.0.1', b.revision, { a: 'not-affected', b: 'affected', c: 'affected' }) : b,
        ),
        build('1.0.3', '1.0.3+fffffffff', { a: 'not-affected', b: 'not-affected', c: 'affected' }),
      ],
    };
    expect(indexChanges(small, later)).toEqual([
      '- new build 1.0.3 (1.0.3+fffffffff): affected by c',
      '- b on 1.0.1: not-affected → affected',
      '- c: firstFixed none → 1.0.2',
    ]);
  });
});
