// The s3-upload-rise figure's rows (s3-upload-rise-rows.ts), checked without drawing: one row per
// upload carrying the record's values, the medians the line joins, and where each build's line ends.
import { expect, test } from 'vitest';
import type { S3UploadRecord } from '../../../repro/core/record/schema.ts';
import {
  controlsOf,
  lineEnds,
  mediansOf,
  selectUploadRise,
  sizesOf,
  writesOf,
} from '../../../src/scenarios/s3-upload/figures/s3-upload-rise-rows.ts';
import { fixtureRecords } from './fixtures.ts';

const MiB = 1024 * 1024;
const uploads = fixtureRecords.filter((r): r is S3UploadRecord => r.scenario === 's3-upload');

test('one row per upload of the s3-upload records, in bytes, with the verdict’s median for its method and size', () => {
  const rows = selectUploadRise(fixtureRecords);
  expect(uploads.length).toBe(3);
  expect(rows.length).toBe(uploads.reduce((n, r) => n + r.uploads.length, 0));
  let i = 0;
  for (const r of uploads)
    for (const u of r.uploads) {
      const median = r.verdict.sizes.find((s) => s.method === u.method && s.payloadMiB === u.payloadMiB)!;
      expect(rows[i++]).toEqual({
        build: r.runtime.label,
        line: r.runtime.line,
        revision: r.runtime.revision,
        method: u.method,
        payloadBytes: u.payloadMiB * MiB,
        repetition: u.repetition,
        outcome: u.outcome,
        counted: true,
        riseBytes: u.peakAnonRiseBytes,
        medianRiseBytes: median.medianRiseBytes,
        verdict: r.verdict.kind,
      });
    }
  expect(sizesOf(rows)).toEqual([64, 256]);
});

test('an upload that does not count is a row, but neither a dot nor a cross; a hang names its memory class', () => {
  const [zig] = uploads;
  const broken: S3UploadRecord = {
    ...zig!,
    uploads: zig!.uploads.map((u, k) => (k === 0 ? { ...u, outcome: 'error', peakAnonRiseBytes: null } : u)),
    verdict: { ...zig!.verdict, kind: 'hangs', memory: 'streams' },
  };
  const rows = selectUploadRise([broken]);
  expect(rows[0]).toMatchObject({ outcome: 'error', counted: false, riseBytes: null, verdict: 'hangs (streams)' });
  expect(writesOf(rows)).not.toContain(rows[0]);
  expect(writesOf(rows).length + controlsOf(rows).length).toBe(rows.length - 1);
  expect(writesOf(rows).every((r) => r.method === 's3-write')).toBe(true);
  expect(controlsOf(rows).every((r) => r.method === 'fetch-presigned')).toBe(true);
});

test('the line joins each build’s s3-write medians, one per size, by build then size', () => {
  const medians = mediansOf(selectUploadRise(fixtureRecords));
  const expected = uploads
    .flatMap((r) =>
      r.verdict.sizes
        .filter((s) => s.method === 's3-write')
        .map((s) => ({ build: r.runtime.label, payloadMiB: s.payloadMiB, riseMiB: s.medianRiseBytes! / MiB })),
    )
    .sort((a, b) => a.build.localeCompare(b.build) || a.payloadMiB - b.payloadMiB);
  expect(medians).toEqual(expected);
  expect(medians.map((m) => m.build)).toEqual([
    '1.3.14 (Zig)',
    '1.3.14 (Zig)',
    '1.4.2 (Rust)',
    '1.4.2 (Rust)',
    '1.4.5 (Rust)',
    '1.4.5 (Rust)',
  ]);
});

test('line ends sit at the last median, pushed apart by at least the gap, lowest first', () => {
  const rows = selectUploadRise(fixtureRecords);
  const last = new Map(mediansOf(rows).map((m) => [m.build, m.riseMiB]));
  // Zig's and Rust 1.4.5's medians at 256 MiB are 100 and 83 MiB: 17 MiB apart.
  const close = lineEnds(rows, 0, 256);
  expect(close.map((e) => [e.build, e.y])).toEqual(
    [...last].sort((a, b) => a[1] - b[1]).map(([build, y]) => [build, y]),
  );
  const spread = lineEnds(rows, 40, 256);
  expect(spread.map((e) => e.build)).toEqual(close.map((e) => e.build));
  expect(spread[0]!.y).toBe(close[0]!.y);
  for (let i = 1; i < spread.length; i++) {
    expect(spread[i]!.y - spread[i - 1]!.y).toBeGreaterThanOrEqual(40);
    expect(spread[i]!.y).toBeGreaterThanOrEqual(close[i]!.y);
  }
  expect(spread[1]!.y).toBe(spread[0]!.y + 40);
  // A build whose line stops short of the largest payload gets no label at the end.
  const short = rows.filter((r) => !(r.build === '1.4.2 (Rust)' && r.payloadBytes === 256 * MiB));
  expect(lineEnds(short, 0, 256).map((e) => e.build)).toEqual(['1.4.5 (Rust)', '1.3.14 (Zig)']);
  expect(lineEnds([], 10, 256)).toEqual([]);
});
