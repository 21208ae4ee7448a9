// The version-matrix figure from the committed matrix records (content/matrix): its rows are the
// matrix's cells, its summary names where each failure entered and left, every status reads without
// colour, both layouts draw, and its records, provenance and home are those of /affected/.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readRecords } from '../../../repro/harness/record/read.ts';
import { LAYOUTS } from '../../../src/figures/layout.ts';
import { figureData, getFigure } from '../../../src/figures/registry.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { STATUS_LOOK } from '../../../src/figures/cell-grid.ts';
import { shortLabel } from '../../../src/figures/failure-figure.ts';
import type { MatrixCellRow } from '../../../src/figures/version-matrix.ts';
import { figureHome } from '../../../src/lib/figure-home.ts';
import { matrixProvenanceOf } from '../../../src/lib/provenance.ts';
import { bracket, drawnRecords, FAILURES, versionMatrix, type CellStatus } from '../../../src/lib/version-matrix.ts';
import { matrixRecordId } from '../../../src/lib/version-matrix-page.ts';
import { contrast } from './colour.ts';
import { matrixRecords } from './fixtures.ts';

const figure = getFigure('version-matrix');
const { records, rows: anyRows } = figureData(figure, matrixRecords);
const rows = anyRows as MatrixCellRow[];
const builds = versionMatrix(matrixRecords);
const root = new URL('../../../', import.meta.url);

test('rows are the matrix cells, build by build in version order, from real records', () => {
  expect(builds.length).toBeGreaterThan(40);
  expect(rows).toHaveLength(builds.length * FAILURES.length);
  expect([...new Set(rows.map((r) => r.npmVersion))]).toEqual(builds.map((b) => b.npmVersion));
  // The case's builds: the last Zig release has the three failures of the first two scenarios' first
  // protocols, 1.4.5 none; the columns of the failures measured since (the silent loss, the S3 upload,
  // the catalogue's) are not in these records (the matrix cutoff predates them).
  const at = (v: string) => rows.filter((r) => r.npmVersion === v).map((r) => r.status);
  const later = FAILURES.slice(3).map(() => 'not-run');
  expect(at('1.3.14')).toEqual(['affected', 'affected', 'affected', ...later]);
  expect(at('1.4.5')).toEqual(['not-affected', 'not-affected', 'not-affected', ...later]);
  for (const r of rows)
    expect(r.detail).toBe(builds.find((b) => b.npmVersion === r.npmVersion)!.cells[r.failure]!.text);
});

test('drawn from the records its cells read, which give the same matrix as every record', () => {
  expect(records.length).toBeLessThan(matrixRecords.length);
  expect(records.every((r) => r.status === 'complete')).toBe(true);
  expect(versionMatrix(records)).toEqual(builds);
  expect(drawnRecords(records)).toEqual(records);
  // Each record is drawn from once, and each recorded cell's record is among them.
  expect(new Set(records).size).toBe(records.length);
  for (const r of rows.filter((x) => x.runId)) expect(records.some((x) => x.runId === r.runId)).toBe(true);
});

test("every record's link is the file the harness wrote, served at /matrix/<scenario>/<file>.json", async () => {
  for (const { file, record } of await readRecords([new URL('content/matrix', root).pathname])) {
    expect(file.endsWith(`content/matrix/${matrixRecordId(record)}.json`), file).toBe(true);
  }
  for (const r of rows.filter((x) => x.record))
    expect(existsSync(new URL(`content${r.record}`, root)), r.record!).toBe(true);
  expect(rows.filter((r) => r.status === 'not-run').every((r) => r.record === null && r.runId === null)).toBe(true);
});

test('the summary names, per failure, the first affected build and the first of the final fixed run', () => {
  const summary = figure.summary(rows);
  expect(summary).toMatch(
    /^47 builds, 1\.3\.0 to 1\.4\.5 \(\d+ of the Zig line from 1\.3\.0; \d+ of the Rust line from 1\.3\.14-canary\.20260519\.1\)\./,
  );
  for (const f of FAILURES.filter((x) => builds.some((b) => b.cells[x.id]!.status !== 'not-run'))) {
    const b = bracket(builds, f.id);
    expect(b.firstBad).not.toBeNull();
    expect(summary).toContain(
      `${f.title}: first affected build ${b.firstBad}, ${b.firstFixed ? `first build of the final unaffected run ${b.firstFixed}` : 'and the newest recorded build is still affected'}`,
    );
  }
  expect(figure.summary([])).toBe('No recorded run yet.');
});

describe('every status reads without colour', () => {
  const statuses = Object.keys(STATUS_LOOK) as CellStatus[];
  // The committed records have no inconclusive cell yet: make one, so all four statuses are drawn.
  const withAll = rows.map((r, i) => (i === 0 ? { ...r, status: 'inconclusive' as const, detail: 'error' } : r));

  test('each has its own symbol, in the legend and in every one of its cells', () => {
    expect(new Set(statuses.map((s) => STATUS_LOOK[s].mark)).size).toBe(statuses.length);
    expect(figure.legend!(withAll, LAYOUTS[0]).map((i) => i.label)).toEqual(
      statuses.map((s) => `${STATUS_LOOK[s].mark} ${STATUS_LOOK[s].label}`),
    );
    for (const layout of LAYOUTS) {
      const { svg } = renderFigure(figure, withAll, undefined, layout);
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      for (const s of statuses) {
        // Each cell shows the symbol, with the word where its column has room; the legend shows both.
        const full = `${STATUS_LOOK[s].mark} ${STATUS_LOOK[s].label}`;
        const shown = texts.filter((t) => t === STATUS_LOOK[s].mark || t === full);
        expect(shown.length, `${s} at ${layout.width}`).toBe(withAll.filter((r) => r.status === s).length + 1);
      }
    }
  });

  test('each symbol keeps 4.5:1 on its fill, which no theme changes', () => {
    for (const s of statuses.filter((x) => STATUS_LOOK[x].fill !== 'none'))
      expect(contrast(STATUS_LOOK[s].ink, STATUS_LOOK[s].fill), s).toBeGreaterThanOrEqual(4.5);
    // The unrecorded cell has no fill: its dash is the page's own text colour.
    expect(STATUS_LOOK['not-run'].ink).toBe('currentColor');
  });
});

// Drawn wide only: on a phone it scrolls sideways (Figure.astro draws a figure's own layouts).
test.each(figure.layouts!.map((l) => [l.width, l] as const))(
  'at %i px: every build a row tall enough for its text, the lines headed and ruled apart',
  (width, layout) => {
    const { svg, height } = renderFigure(figure, rows, undefined, layout);
    const spec = figure.spec(rows, layout);
    const rowHeight = (spec.height! - spec.marginTop!) / (builds.length + 2);
    expect(rowHeight).toBeGreaterThanOrEqual(layout.fontSize * 1.5);
    expect(height).toBeGreaterThan(spec.height!);
    expect(svg).toMatch(/>Zig line: \d+ builds</);
    expect(svg).toMatch(/>Rust line: \d+ builds</);
    for (const b of builds) expect(svg).toContain(`>${b.npmVersion}<`);
    expect(width).toBe(layout.width);
  },
);

test('on a phone, a failure figure shortens canary labels, keeping version and date', () => {
  expect(shortLabel('1.3.14-canary.20260519.1')).toBe('1.3.14-c.260519');
  expect(shortLabel('1.3.14-canary.20260519.2')).toBe('1.3.14-c.260519.2');
  expect(shortLabel('1.4.5')).toBe('1.4.5');
});

test('provenance of many runs: counts, dates, harness commits and a link to each record', () => {
  const p = matrixProvenanceOf(records)!;
  expect(p.records).toHaveLength(records.length);
  expect([p.buildCount, p.firstBuild, p.lastBuild]).toEqual([builds.length, '1.3.0', '1.4.5']);
  expect(p.startedAt <= p.endedAt).toBe(true);
  expect(p.harnesses.every((h) => /^harness \d+\.\d+\.\d+, commit [0-9a-f]{40}/.test(h))).toBe(true);
  for (const r of p.records) expect(existsSync(new URL(`content${r.href}`, root)), r.href).toBe(true);
  expect(matrixProvenanceOf([])).toBeUndefined();
});

test('its home is /affected/matrix/, where it is figure 1 (the lookup page stays light)', () => {
  const home = figureHome([], figure.id, [figure.id], 'https://casebook.example.org/')!;
  expect(home).toEqual({
    page: {
      id: 'affected-matrix',
      title: 'Every build, every failure',
      url: 'https://casebook.example.org/affected/matrix/',
    },
    number: 1,
    url: 'https://casebook.example.org/affected/matrix/#fig-version-matrix',
    path: '/affected/matrix/#fig-version-matrix',
  });
});
