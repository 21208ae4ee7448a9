// Chart specs from fixture records: rows carry the records' values, summaries describe them,
// and each rendered SVG matches its committed snapshot (normalised the way Plot's own tests do).
import { describe, expect, test } from 'vitest';
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { csvRows } from '../../../src/figures/csv-columns.ts';
import { figureDownload } from '../../../src/figures/downloads.ts';
import { figureData, figures, getFigure } from '../../../src/figures/registry.ts';
import {
  alignOutside,
  drawnS3Memory,
  selectS3Memory,
  type S3MemoryRow,
} from '../../../src/scenarios/s3-leak/figures/s3-memory-rows.ts';
import { niceCeil, readWindow } from '../../../src/scenarios/s3-leak/figures/s3-rss-first-reads.ts';
import type { SqlTimelineRow } from '../../../src/scenarios/sql-pool/figures/sql-timeline-rows.ts';
import { verdictLabel } from '../../../src/scenarios/sql-pool/figures/sql-verdicts.ts';
import type { SqlVerdictRow } from '../../../src/scenarios/sql-pool/figures/sql-verdicts-rows.ts';
import { renderFigure } from '../../../src/figures/render.ts';
import { parseCsv, toCsv } from '../../../src/lib/csv.ts';
import { formatMiB } from '../../../src/lib/format.ts';
import { latestRun } from '../../../src/lib/runs.ts';
import { s3VerdictView } from '../../../src/scenarios/s3-leak/verdicts.ts';
import { fixtureFor, fixtureRecords } from './fixtures.ts';

/** Plot's snapshot normalisation: 3 decimals, stable class and clip ids. */
function normalise(svg: string): string {
  // Plot numbers clip paths and markers from counters global to its module, so an id depends on what
  // the process drew before: renumbered in order of appearance, per kind.
  const counts = { clip: 0, marker: 0 };
  const ids = new Map<string, string>();
  return svg
    .replace(/\d+\.\d{4,}/g, (n) => Number(n).toFixed(3))
    .replace(/plot-[0-9a-f]{6}/g, 'plot')
    .replace(/plot-(clip|marker)-\d+/g, (id, kind: keyof typeof counts) => {
      if (!ids.has(id)) ids.set(id, `plot-${kind}-${++counts[kind]}`);
      return ids.get(id)!;
    })
    .replace(/></g, '>\n<');
}

describe.each(figures.map((f) => [f.id, f] as const))('figure %s', (id, figure) => {
  const records = fixtureFor(figure);
  const { rows } = figureData(figure, records);

  test('draws from the records and matches its SVG snapshot', async () => {
    expect(rows.length).toBeGreaterThan(0);
    const { svg } = renderFigure(figure, rows);
    // One image, unless its marks link somewhere (the matrix's cells): then a group that exposes the links.
    expect(svg).toMatch(svg.includes('<a ') ? /^<svg [^>]*role="group"/ : /^<svg [^>]*role="img"/);
    expect(svg).toContain(`aria-label="${figure.title}"`);
    await expect(normalise(svg)).toMatchFileSnapshot(`__snapshots__/${id}.svg`);
  });

  test('with no recorded run says so and draws no data', () => {
    const { rows: none } = figureData(figure, []);
    expect(none).toEqual([]);
    expect(figure.summary(none)).toBe('No recorded run yet.');
    expect(renderFigure(figure, none).svg).toContain('No recorded run yet');
  });

  test("CSV download has one line per row, in the rows' values", () => {
    const csv = parseCsv(figureDownload(id, 'csv', records) as string);
    expect(csv.length).toBe(rows.length + 1);
    const first = csvRows(figure, rows)[0];
    expect(csv[0]).toEqual(Object.keys(first));
    expect(csv[1]).toEqual(Object.values(first).map((v) => (v === null ? '' : String(v))));
  });
});

describe('CSV cells are safe to open in a spreadsheet', () => {
  test('text that a spreadsheet would run as a formula gets a leading quote', () => {
    const cells = ['=1+1', '+1+1', '-2+3', '@SUM(A1:A9)', '\tcmd', '\r=1'];
    expect(toCsv(cells.map((text) => ({ text })))).toBe(
      ['text', "'=1+1", "'+1+1", "'-2+3", "'@SUM(A1:A9)", "'\tcmd", `"'\r=1"`, ''].join('\r\n'),
    );
    expect(toCsv([{ link: '=HYPERLINK("http://example.org","x")' }])).toBe(
      `link\r\n"'=HYPERLINK(""http://example.org"",""x"")"\r\n`,
    );
  });

  test('numbers stay numbers, negative ones included; text only begins with a quote when it began with a formula', () => {
    expect(toCsv([{ slope: -0.01, reads: -3, zero: 0, ok: true, mid: 'a=b', quoted: "'=1", dash: 'x-1' }])).toBe(
      `slope,reads,zero,ok,mid,quoted,dash\r\n-0.01,-3,0,true,a=b,'=1,x-1\r\n`,
    );
  });

  test('quotes, commas and line breaks are quoted, and only they (RFC 4180)', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: 'two\nlines', d: 'cr\rlf\r\n', e: 'plain', f: null }])).toBe(
      'a,b,c,d,e,f\r\n"x,y","say ""hi""","two\nlines","cr\rlf\r\n",plain,\r\n',
    );
  });

  test('round trip: parseCsv gives every cell back, a defused one as a spreadsheet shows it', () => {
    const row = {
      text: 'plain',
      comma: 'a,b',
      quote: 'say "hi"',
      lines: 'one\r\ntwo',
      slope: -0.01,
      none: null,
      formula: '=1+1',
      minus: '-1',
      at: '@x, "y"',
    };
    expect(parseCsv(toCsv([row, row]))).toEqual([
      Object.keys(row),
      ...[row, row].map(() => ['plain', 'a,b', 'say "hi"', 'one\r\ntwo', '-0.01', '', "'=1+1", "'-1", `'@x, "y"`]),
    ]);
  });
});

test('s3-rss rows are every probe sample (unconverted, bytes) plus the outside samples taken during the reads', () => {
  const figure = getFigure('s3-rss');
  const { records, rows: all } = figureData(figure, fixtureRecords);
  const rows = all as S3MemoryRow[];
  const s3 = records as S3LeakRecord[];
  const probe = rows.filter((r) => r.source === 'probe');
  expect(probe.length).toBe(s3.reduce((n, r) => n + r.samples.length, 0));
  expect(rows[0]).toMatchObject({
    build: s3[0].runtime.label,
    source: 'probe',
    rss: s3[0].samples[0].rss,
    heapUsed: s3[0].samples[0].heapUsed,
  });
  // The fixture's outside sampler starts 60 ms before the reads; its setup sample (t = 0) is left out, as the verdict does.
  const outside = rows.filter((r) => r.source === 'outside' && r.build === s3[1].runtime.label);
  expect(outside.length).toBe(s3[1].outsideSamples.length - 1);
  expect(Math.max(...outside.map((r) => r.rss))).toBe(s3[1].verdict.peakRssBytes);
});

test('outside samples land between the reads they were taken during (clocks aligned at the end)', () => {
  const rust = (fixtureRecords as S3LeakRecord[]).find((r) => r.scenario === 's3-leak' && r.runtime.line === 'rust')!;
  const aligned = alignOutside(rust);
  const dropped = rust.outsideSamples.length - aligned.length;
  expect(dropped).toBe(1); // the setup sample
  // The fixture's reads start 60 ms into the sampler's clock, 250 ms apart; the estimate is off by
  // at most half an interval plus the probe's exit (10 ms), well under half a read.
  aligned.forEach((o, k) => {
    const truth = (rust.outsideSamples[k + dropped].elapsedMs - 60) / 250;
    expect(Math.abs(o.iteration - truth)).toBeLessThan(0.5);
  });
});

test('with baselineAtOutsideMs the clocks line up exactly', () => {
  const rust = (fixtureRecords as S3LeakRecord[]).find((r) => r.scenario === 's3-leak' && r.runtime.line === 'rust')!;
  // The fixture's reads start 60 ms into the sampler's clock, 250 ms apart.
  const aligned = alignOutside({ ...rust, baselineAtOutsideMs: 60 + rust.samples[0].elapsedMs });
  aligned.forEach((o, k) => expect(o.iteration).toBeCloseTo((rust.outsideSamples[k + 1].elapsedMs - 60) / 250, 5));
});

test('s3-rss summary names both samplers and the recorded peak, which the verdict table shows', () => {
  const figure = getFigure('s3-rss');
  const { rows } = figureData(figure, fixtureRecords);
  expect(figure.summary(rows)).toMatchInlineSnapshot(
    `"1.3.14 (Zig) stopped after 30 reads, having crossed the 900 MiB threshold at read 25: the RSS the probe reported after each read (after a forced GC) went from 100.0 MiB to 1060.0 MiB at most, while the harness, reading VmRSS from outside mid-read, saw up to 1060.0 MiB; the recorded peak, 1060.0 MiB, is the probe's. 1.4.5 (Rust) ran 40 reads without reaching the 900 MiB threshold: the RSS the probe reported after each read (after a forced GC) went from 100.0 MiB to 120.0 MiB at most, while the harness, reading VmRSS from outside mid-read, saw up to 151.5 MiB; the recorded peak, 151.5 MiB, is the outside sampler's. In both, heapUsed stayed between 4.0 MiB and 4.5 MiB throughout."`,
  );
  for (const r of latestRun(fixtureRecords, 's3-leak'))
    expect(figure.summary(rows)).toContain(`the recorded peak, ${formatMiB(r.verdict.peakRssBytes)}`);
  for (const row of s3VerdictView(fixtureRecords)!.rows) expect(figure.summary(rows)).toContain(row[4].split(' → ')[1]);
});

test('s3-rss-first-reads shows the reads up to the first stop plus a margin, from the data', () => {
  const figure = getFigure('s3-rss-first-reads');
  const rows = figureData(figure, fixtureRecords).rows as S3MemoryRow[];
  // Zig's fixture stops at read 30, Rust's at 40: 30 × 1.2 = 36, rounded up to 38.
  expect(readWindow(rows)).toBe(38);
  expect(Math.max(...rows.map((r) => r.iteration))).toBeLessThanOrEqual(38);
  expect(rows.filter((r) => r.source === 'probe' && r.line === 'rust').at(-1)!.iteration).toBe(38);
  expect(figure.summary(rows)).toMatchInlineSnapshot(
    `"Reads 0 to 38, each fetching the same 32 MiB object. 1.3.14 (Zig): RSS after each read went from 100.0 MiB to 1060.0 MiB, 32.0 MiB per read (least squares), and stopped after read 30; VmRSS read from outside mid-read reached 1060.0 MiB. 1.4.5 (Rust): RSS after each read went from 100.0 MiB to 119.0 MiB, 0.5 MiB per read (least squares); VmRSS read from outside mid-read reached 150.5 MiB."`,
  );
  expect([niceCeil(122.4), niceCeil(1234), niceCeil(7.2)]).toEqual([125, 1250, 8]);
});

test('s3-rss marks the threshold and the cap from the record parameters', () => {
  const { rows } = figureData(getFigure('s3-rss'), fixtureRecords);
  const { svg } = renderFigure(getFigure('s3-rss'), rows);
  expect(svg).toContain('900 MiB threshold');
  expect(svg).toContain('1 GiB cap');
  expect(svg).toContain('peak 151.5 MiB (outside, mid-read)');
});

test('sql-verdicts gives a variant trial (the long pause) its own row, and marks hangs in text', () => {
  const figure = getFigure('sql-verdicts');
  const rows = figureData(figure, fixtureRecords).rows as SqlVerdictRow[];
  expect(rows.find((r) => r.trial === 'blackhole/after' && r.build === '1.3.14 (Zig)')?.verdict).toBe('hangs');
  expect([...new Set(rows.map((r) => r.row))]).toEqual([
    'blackhole',
    'terminate',
    'rst',
    'cold-start',
    'kernel-blackhole, 90 s pause',
  ]);
  expect(rows.find((r) => r.trial === 'cold-start/after' && r.build === '1.3.14 (Zig)')).toMatchObject({
    corrupted: 7,
    recovers: 3,
    counted: 10,
    notMet: 2,
  });
  expect(verdictLabel({ verdict: 'hangs', distribution: 'hangs 10/10 (72–100 %)' })).toBe('⚠ hangs 10/10 (72–100 %)');
  expect(figure.summary(rows)).toMatchInlineSnapshot(
    `"1.3.14 (Zig), 6 trials: 2 mostly recovered, 1 were mostly corrupted, and 3 mostly hung (blackhole/after, blackhole/timer, kernel-blackhole/after/long); 2 attempts did not meet their condition and are not counted. 1.4.5 (Rust), 6 trials: 1 mostly failed fast, 4 mostly recovered, and 1 mostly hung (blackhole/after)."`,
  );
  expect(figure.headline(rows)).toBe(
    'After a pause, 1.3.14 (Zig) mostly hung in 3 and was mostly corrupted in 1 of its 6 trials; 1.4.5 (Rust) mostly hung in 1 of its 6 trials.',
  );
});

test('sql-timeline draws one repetition per build from the freeze: pause, operations, pool events', () => {
  const figure = getFigure('sql-timeline');
  const rows = figureData(figure, fixtureRecords).rows as SqlTimelineRow[];
  expect(new Set(rows.map((r) => r.trial))).toEqual(new Set(['blackhole/after', 'blackhole/timer']));
  const zig = rows.filter((r) => r.build === '1.3.14 (Zig)' && r.trial === 'blackhole/after');
  // the fixture freezes at t = 1,000 ms for 30 s and sends the first query 1 s after resuming
  expect(zig.map((r) => [r.kind, r.what, r.outcome, r.startMs, r.endMs])).toEqual([
    ['phase', 'pause', null, 0, 30000],
    ['operation', 'first', 'hang', 31000, 41000],
    ['operation', 'second', 'hang', 41001, 46001],
    ['operation', 'concurrent', 'hang', 46002, 51002],
    ['operation', 'begin', 'hang', 51003, 56003],
    ['pool', 'onclose', null, 31001, null],
  ]);
  expect(figure.summary(rows)).toContain(
    'blackhole/timer, 1.4.5 (Rust) (repetition 1): paused 30.0 s; after resume first error 12 ms, second ok 2 ms, concurrent ok 4 ms, begin ok 3 ms',
  ); // The headline reads the top panel: the trial where the builds differ.
  expect(figure.headline(rows)).toBe(
    'After a blackhole/timer pause, 1.3.14 (Zig) hung on every query until its watchdog; 1.4.5 (Rust) answered second, concurrent and begin after first failed fast.',
  );
});

test('an unknown figure id is an error naming the known ones', () => {
  expect(() => getFigure('nope')).toThrowErrorMatchingInlineSnapshot(
    `[Error: Unknown figure id "nope"; known: s3-rss, s3-rss-first-reads, sql-verdicts, sql-timeline, s3-upload-rise, version-matrix, ledger, failure-s3-leak, failure-lazy-rst, failure-cold-start, failure-silent-loss, failure-s3-upload, failure-bun-build-leak, failure-bundler-let-shadowing, failure-fetch-abort-stream-leak, failure-fetch-numeric-timeout, failure-http-keepalive-late-end, failure-sql-jsonb-bind-leak, failure-sql-reserved-release-in-begin, failure-wasm-memory.]`,
  );
});

test('the PNG download is a PNG', () => {
  const png = figureDownload('s3-rss', 'png', fixtureRecords) as Uint8Array;
  expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('the s3 memory chart draws, of its rows, thinned samples up to the last read and each build’s highest point', () => {
  const rows = selectS3Memory(fixtureRecords);
  const builds = [...new Set(rows.map((r) => r.build))];
  const lastRead = Math.max(...rows.filter((r) => r.source === 'probe').map((r) => r.iteration));
  for (const width of [40, 300]) {
    const drawn = drawnS3Memory(rows, width);
    expect(drawn.xMax).toBe(lastRead);
    for (const b of builds) {
      const own = rows.filter((r) => r.build === b && r.iteration <= lastRead);
      // The peak is the build's highest sample, whichever sampler took it, and it is the row itself.
      const peak = drawn.peaks.find((p) => p.build === b)!;
      expect(peak.rss).toBe(Math.max(...own.map((r) => r.rss)));
      expect(own).toContain(peak);
      // Thinned to the plot's columns, keeping the extremes.
      const probe = drawn.probe.filter((r) => r.build === b);
      expect(probe.length).toBeLessThanOrEqual(2 * width + 2);
      expect(Math.max(...probe.map((r) => r.rss))).toBe(
        Math.max(...own.filter((r) => r.source === 'probe').map((r) => r.rss)),
      );
      expect(drawn.outside.filter((r) => r.build === b).length).toBeLessThanOrEqual(2 * Math.floor(width / 3) + 2);
    }
    expect(drawn.highest!.rss).toBe(Math.max(...drawn.peaks.map((p) => p.rss)));
  }
  expect(drawnS3Memory([], 300)).toMatchObject({ probe: [], outside: [], peaks: [], highest: undefined });
});
