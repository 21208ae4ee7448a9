// "Is my Bun affected?" from records: the published reference run must come out as the case says
// (1.3.14 affected by every failure it was run on but the S3 upload, 1.4.5 by none), and the bracket finds where a failure
// entered and left, including one that comes back.
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { readRecords } from '../../../repro/harness/record/read.ts';
import {
  bracket,
  compareBuilds,
  FAILURES,
  versionMatrix,
  type BuildRow,
  type CellStatus,
} from '../../../src/lib/version-matrix.ts';

test('the published reference runs, read as a matrix of their three builds', async () => {
  const records = (await readRecords([fromRoot('content', 'runs')]))
    .map((l) => l.record)
    .filter((r) => r.status === 'complete');
  const rows = versionMatrix(records);
  // The S3 upload run adds 1.4.2, an affected build; the other scenarios ran the pinned pair only.
  expect(rows.map((r) => [r.npmVersion, r.line])).toEqual([
    ['1.3.14', 'zig'],
    ['1.4.2', 'rust'],
    ['1.4.5', 'rust'],
  ]);
  const statuses = rows.map((r) => FAILURES.map((f) => r.cells[f.id]!.status));
  const catalogueNotRun = FAILURES.filter((f) => f.scenario === 'catalogue').map(() => 'not-run');
  expect(statuses).toEqual([
    // The catalogue's failures (the last columns) have no reference run: their records are the matrix's.
    ['affected', 'affected', 'affected', 'affected', 'not-affected', ...catalogueNotRun],
    ['not-run', 'not-run', 'not-run', 'not-run', 'affected', ...catalogueNotRun],
    ['not-affected', 'not-affected', 'not-affected', 'not-affected', 'not-affected', ...catalogueNotRun],
  ]);
  // Cells say what the record says, with counts.
  expect(rows[0]!.cells['lazy-rst']!.text).toMatch(/^after: hangs 10\/10 \(\d+–100 %\); timer: hangs 10\/10/);
  expect(rows[0]!.cells['s3-leak']!.text).toMatch(/^crossed 900 MiB at read \d+$/);
  // Starts with a letter: a CSV cell starting with + would be quoted against formula injection.
  expect(rows[1]!.cells['s3-upload']!.text).toMatch(/^rise of \d+ MiB at 256 MiB \(×1\.\d\d\)$/);
  for (const f of FAILURES.filter((x) => x.id !== 's3-upload' && x.scenario !== 'catalogue'))
    expect(bracket(rows, f.id)).toEqual({ firstBad: '1.3.14', firstFixed: '1.4.5', regressions: [] });
  expect(bracket(rows, 's3-upload')).toEqual({ firstBad: '1.4.2', firstFixed: '1.4.5', regressions: [] });
});

const row = (npmVersion: string, status: CellStatus): BuildRow => ({
  npmVersion,
  revision: `${npmVersion}+0000000`,
  line: 'zig',
  cells: { x: { status, text: status, runId: null, figure: null } },
});

test('bracket: first bad, first of the final fixed run, and a regression in between', () => {
  const rows = [
    row('1.3.0', 'not-affected'),
    row('1.3.1', 'affected'),
    row('1.3.2', 'not-run'),
    row('1.3.3', 'not-affected'),
    row('1.3.4', 'affected'),
    row('1.3.5', 'inconclusive'),
    row('1.4.0', 'not-affected'),
    row('1.4.1', 'not-affected'),
  ];
  expect(bracket(rows, 'x')).toEqual({ firstBad: '1.3.1', firstFixed: '1.4.0', regressions: ['1.3.4'] });
  expect(bracket(rows.slice(0, 5), 'x')).toEqual({ firstBad: '1.3.1', firstFixed: null, regressions: ['1.3.4'] });
  expect(bracket([row('1.3.0', 'not-affected')], 'x')).toEqual({ firstBad: null, firstFixed: null, regressions: [] });
});

test('builds are ordered by the version they report, then by npm label: the first Rust canary follows the last Zig release', () => {
  const order = [
    { npmVersion: '1.3.14', revision: '1.3.14+0d9b296af' },
    { npmVersion: '1.3.14-canary.20260519.1', revision: '1.4.0-canary.1+184d0371a' },
    { npmVersion: '1.3.11', revision: '1.3.11+af24e281e' },
    { npmVersion: '1.3.11-canary.20260322.1', revision: '1.3.11-canary.1+73361607d' },
    { npmVersion: '1.3.10-canary.20260304.1', revision: '1.3.11-canary.74+aa51d6032' },
    { npmVersion: '1.3.14-canary.20260513.1', revision: '1.3.14-canary.1+3bf4b335e' },
    { npmVersion: '1.4.0', revision: '1.4.0+34cbb9a40' },
  ].sort(compareBuilds);
  expect(order.map((b) => b.npmVersion)).toEqual([
    '1.3.10-canary.20260304.1',
    '1.3.11-canary.20260322.1',
    '1.3.11',
    '1.3.14-canary.20260513.1',
    '1.3.14',
    '1.3.14-canary.20260519.1',
    '1.4.0',
  ]);
});
