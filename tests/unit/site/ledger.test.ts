// The ledger of the rewrite (src/lib/ledger.ts): the key builds found from the rows, each class
// computed from the states, and the published form; then the matrix records themselves, whose
// ledger must agree with their own cells.
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { readRecords } from '../../../repro/harness/record/read.ts';
import { againstLastZig, keyBuilds, ledger, ledgerJson, type LedgerClass } from '../../../src/lib/ledger.ts';
import { bracket, FAILURES, versionMatrix, type BuildRow, type CellStatus } from '../../../src/lib/version-matrix.ts';

/** Builds across the rewrite, in matrix order: two Zig releases and a Zig canary, a Rust canary, two Rust releases and a newer canary. */
const BUILDS = [
  ['1.3.13', 'zig'],
  ['1.3.14-canary.20260513.1', 'zig'],
  ['1.3.14', 'zig'],
  ['1.3.14-canary.20260519.1', 'rust'],
  ['1.4.0', 'rust'],
  ['1.4.1', 'rust'],
  ['1.4.5-canary.20261202.1', 'rust'],
] as const;

/** One failure's states, one letter per build in BUILDS: a affected, n not affected, i inconclusive, - not run. */
function rowsOf(failures: Record<string, string>): BuildRow[] {
  const status: Record<string, CellStatus> = { a: 'affected', n: 'not-affected', i: 'inconclusive', '-': 'not-run' };
  return BUILDS.map(([npmVersion, line], b) => ({
    npmVersion,
    revision: `${npmVersion}+0000000`,
    line,
    cells: Object.fromEntries(
      Object.entries(failures).map(([id, states]) => [
        id,
        { status: status[states[b]!]!, text: states[b]!, runId: null, figure: null },
      ]),
    ),
  }));
}

const classOf = (states: string) => ledger(rowsOf({ x: states }), [{ id: 'x', title: 'X' }])[0]?.class;

test('the key builds come from the rows: last Zig release, first Rust build, first Rust release, newest', () => {
  const keys = keyBuilds(rowsOf({}))!;
  expect([keys.lastZigRelease, keys.firstRust, keys.firstRustRelease, keys.newest].map((r) => r.npmVersion)).toEqual([
    '1.3.14',
    '1.3.14-canary.20260519.1',
    '1.4.0',
    '1.4.5-canary.20261202.1',
  ]);
  // Without a Rust build the rows do not span the rewrite: no ledger.
  expect(keyBuilds(rowsOf({}).slice(0, 3))).toBeNull();
  expect(ledger(rowsOf({ x: 'aaa' }).slice(0, 3), [{ id: 'x', title: 'X' }])).toEqual([]);
});

test.each<[string, LedgerClass]>([
  ['aaannnn', 'fixed-by-rewrite'],
  ['aaaannn', 'fixed-later'],
  ['aaaaaan', 'fixed-later'],
  ['nnnnaan', 'introduced-by-rust'],
  ['nnnnaaa', 'introduced-by-rust'],
  ['aaaaaaa', 'both-lines'],
  ['aaannaa', 'both-lines'],
  ['annnnnn', 'fixed-before-rewrite'],
  ['nnnnnnn', 'not-seen'],
  // An undecided key build reads the nearest decided build of its line: the Zig canary before the
  // release, the Rust release after the Rust canary.
  ['aaininn', 'fixed-by-rewrite'],
  ['na-iaan', 'fixed-later'],
])('states %s: %s', (states, klass) => {
  expect(classOf(states)).toBe(klass);
});

test('a failure no build has decided is left out of the ledger, not called not seen', () => {
  expect(
    ledger(rowsOf({ x: '--i----', y: 'aaannnn' }), [
      { id: 'x', title: 'X' },
      { id: 'y', title: 'Y' },
    ]).map((r) => r.failure),
  ).toEqual(['y']);
});

test('a row names where the failure entered and left, every decided state by npm label, and the key states', () => {
  const [row] = ledger(rowsOf({ x: 'nn-naan' }), [{ id: 'x', title: 'X' }]);
  expect(row).toMatchObject({
    failure: 'x',
    title: 'X',
    class: 'introduced-by-rust',
    firstAffected: '1.4.0',
    firstFixed: '1.4.5-canary.20261202.1',
    regressions: [],
  });
  expect(row!.states).toEqual({
    '1.3.13': 'not-affected',
    '1.3.14-canary.20260513.1': 'not-affected',
    '1.3.14-canary.20260519.1': 'not-affected',
    '1.4.0': 'affected',
    '1.4.1': 'affected',
    '1.4.5-canary.20261202.1': 'not-affected',
  });
  expect(row!.at).toEqual({
    lastZigRelease: 'not-run',
    firstRust: 'not-affected',
    firstRustRelease: 'affected',
    newest: 'not-affected',
  });
  // The published form: exactly the fields other programs read.
  expect(Object.keys(ledgerJson([row!])[0]!)).toEqual([
    'failure',
    'title',
    'class',
    'firstAffected',
    'firstFixed',
    'states',
  ]);
});

test('a key build against the last Zig release: what it no longer has, still has and newly has', () => {
  const rows = ledger(
    rowsOf({ gone: 'aaannnn', still: 'aaaannn', added: 'nnnnaan', unknown: 'aa-innn' }),
    ['gone', 'still', 'added', 'unknown'].map((id) => ({ id, title: id })),
  );
  const ids = (side: ReturnType<typeof againstLastZig>) =>
    Object.fromEntries(Object.entries(side).map(([k, v]) => [k, v.map((r) => r.failure)]));
  expect(ids(againstLastZig(rows, 'firstRust'))).toEqual({
    gone: ['gone'],
    still: ['still'],
    added: [],
    undecided: ['unknown'],
  });
  expect(ids(againstLastZig(rows, 'firstRustRelease'))).toEqual({
    gone: ['gone', 'still'],
    still: [],
    added: ['added'],
    undecided: ['unknown'],
  });
});

test("the matrix records' ledger agrees with their own cells and brackets", async () => {
  const records = (await readRecords([fromRoot('content', 'matrix')])).map((l) => l.record);
  const rows = versionMatrix(records);
  const keys = keyBuilds(rows)!;
  // The builds the case turns on, found from the records alone.
  expect(keys.lastZigRelease.line).toBe('zig');
  expect(keys.firstRust.line).toBe('rust');
  expect(rows.indexOf(keys.lastZigRelease)).toBeLessThan(rows.indexOf(keys.firstRust));
  for (const row of ledger(rows)) {
    const b = bracket(rows, row.failure);
    expect([row.firstAffected, row.firstFixed]).toEqual([b.firstBad, b.firstFixed]);
    for (const r of rows)
      if (r.cells[row.failure]!.status !== 'not-run')
        expect(row.states[r.npmVersion]).toBe(r.cells[row.failure]!.status);
  }
  expect(ledger(rows).map((r) => r.failure)).toEqual(
    FAILURES.map((f) => f.id).filter((id) =>
      rows.some((r) => ['affected', 'not-affected'].includes(r.cells[id]!.status)),
    ),
  );
});
