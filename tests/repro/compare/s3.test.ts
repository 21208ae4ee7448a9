// The S3 compare rules on records of a real short run made here (both pinned builds, embedded
// s3rver, 150 reads of 8 MiB: 1.3.14 crosses the 900 MiB target, 1.4.5 stays bounded), and on
// doctored in-memory copies of them, each changed in one measurement:
//   threshold read  within ±25 % of the reference's;   growth per read  within ±25 %;
//   peak RSS        a bounded build under 2× the reference's;   verdict  the same class.
// Then `npm run repro -- compare` on them: exit 0 when reproduced, 3 when a measurement differs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWith } from '../../../repro/harness/compare/compare.ts';
import { CompareReport, type CompareRow } from '../../../repro/harness/compare/report.ts';
import { s3CompareRules, thresholdRead } from '../../../repro/scenarios/s3-leak/compare.ts';
import type { S3LeakRecord } from '../../../repro/harness/record/schema.ts';
import { clone } from '../sql-pool/fixtures/records.ts';
import { loaded, valid, withRunId } from './doctor.ts';
import { readRecordsIn, removeTemps, repro, tempDir, writeRecords } from './run-cli.ts';

const MiB = 2 ** 20;
let out: string;
let zig: S3LeakRecord;
let rust: S3LeakRecord;

beforeAll(async () => {
  out = tempDir('s3-run');
  const r = await repro(['s3-leak', '--max-iterations', '150', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const records = readRecordsIn(out) as S3LeakRecord[];
  zig = records.find((x) => x.runtime.line === 'zig')!;
  rust = records.find((x) => x.runtime.line === 'rust')!;
}, 300_000);

afterAll(removeTemps);

function run(yours: S3LeakRecord[], reference: S3LeakRecord[]): CompareReport {
  return CompareReport.parse(compareWith(() => s3CompareRules, { yours: loaded(yours), reference: loaded(reference), harness: { version: 'test', commit: null } }));
}
const row = (report: CompareReport, build: string, item: string): CompareRow => {
  const found = report.rows.find((r) => r.build.startsWith(build) && r.item === item);
  if (!found) throw new Error(`no row ${build} ${item}: ${report.rows.map((r) => `${r.build} ${r.item}`).join(', ')}`);
  return found;
};
const rowVerdicts = (report: CompareReport) => Object.fromEntries(report.rows.map((r) => [`${r.build.split(' ')[0]} ${r.item}`, r.verdict]));

// ---------------------------------------------------------------- doctored copies (in memory, each one measurement)

/** DOCTORED: growth per read multiplied. */
function growthTimes(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  d.verdict.growthMiBPerIteration *= factor;
  return valid(d);
}

/** DOCTORED: every read number multiplied (RSS reaches the target at `factor` × the read); growth left as measured. */
function readsTimes(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  for (const s of d.samples) s.iteration = Math.round(s.iteration * factor);
  d.verdict.iteration = Math.round(d.verdict.iteration * factor);
  d.parameters.maxIterations = r.parameters.maxIterations; // the same run asked for the same reads
  return valid(d);
}

/** DOCTORED: peak RSS multiplied. */
function peakTimes(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  d.verdict.peakRssBytes = Math.round(d.verdict.peakRssBytes * factor);
  return valid(d);
}

describe('the real run', () => {
  it('1.3.14 crosses the 900 MiB target within 150 reads, 1.4.5 stays bounded', () => {
    expect(zig.status).toBe('complete');
    expect(zig.verdict.kind).toBe('threshold-crossed');
    expect(thresholdRead(zig)).toBeGreaterThan(50);
    expect(thresholdRead(zig)).toBeLessThan(150);
    expect(zig.verdict.growthMiBPerIteration).toBeGreaterThan(4);
    expect(rust.verdict.kind).toBe('bounded');
    expect(rust.verdict.iteration).toBe(150);
  });

  it('compared with itself, every measurement reproduces', () => {
    const report = run([zig, rust], [zig, rust]);
    expect(rowVerdicts(report)).toEqual({
      '1.3.14 verdict': 'reproduced',
      '1.3.14 threshold read': 'reproduced',
      '1.3.14 growth per read': 'reproduced',
      '1.4.5 verdict': 'reproduced',
      '1.4.5 peak RSS': 'reproduced',
    });
    expect(row(report, '1.3.14', 'threshold read')).toMatchObject({ published: `read ${thresholdRead(zig)}`, yours: `read ${thresholdRead(zig)}` });
    expect(report.verdict).toBe('reproduced');
  });
});

describe('differs', () => {
  it('growth per read doubled (1.3.14): the growth differs, the rest reproduces; ×1.2 is inside the ±25 %', () => {
    const doubled = run([growthTimes(zig, 2), rust], [zig, rust]);
    expect(row(doubled, '1.3.14', 'growth per read')).toMatchObject({ verdict: 'differs', rule: 'within ±25 % of the published growth' });
    expect(row(doubled, '1.3.14', 'threshold read').verdict).toBe('reproduced');
    expect(doubled.counts).toEqual({ reproduced: 4, differs: 1, notComparable: 0 });
    expect(doubled.verdict).toBe('differs');
    expect(run([growthTimes(zig, 1.2), rust], [zig, rust]).verdict).toBe('reproduced');
    expect(run([growthTimes(zig, 0.5), rust], [zig, rust]).verdict).toBe('differs');
  });

  it('threshold read moved by 40 % (1.3.14): the read differs; moved by 20 % it reproduces', () => {
    const moved = readsTimes(zig, 1.4);
    expect(thresholdRead(moved)).toBe(Math.round(thresholdRead(zig) * 1.4));
    const report = run([moved, rust], [zig, rust]);
    expect(row(report, '1.3.14', 'threshold read')).toMatchObject({ verdict: 'differs', rule: 'within ±25 % of the published read', yours: `read ${thresholdRead(moved)}` });
    expect(row(report, '1.3.14', 'growth per read').verdict).toBe('reproduced');
    expect(report.verdict).toBe('differs');
    expect(run([readsTimes(zig, 1.2), rust], [zig, rust]).verdict).toBe('reproduced');
    expect(run([readsTimes(zig, 0.6), rust], [zig, rust]).verdict).toBe('differs');
  });

  it('bounded peak ×3 (1.4.5): the peak differs; ×1.5 is under the 2× bound', () => {
    const report = run([zig, peakTimes(rust, 3)], [zig, rust]);
    expect(row(report, '1.4.5', 'peak RSS')).toMatchObject({ verdict: 'differs', rule: 'under 2× the published peak' });
    expect(row(report, '1.4.5', 'peak RSS').yours).toBe(`${((rust.verdict.peakRssBytes * 3) / MiB).toFixed(1)} MiB`);
    expect(report.verdict).toBe('differs');
    expect(run([zig, peakTimes(rust, 1.5)], [zig, rust]).verdict).toBe('reproduced');
  });

  it('a leaking build that stayed bounded: the verdict class differs, nothing else is compared', () => {
    const d = clone(zig);
    d.verdict.kind = 'bounded';
    const report = run([valid(d), rust], [zig, rust]);
    expect(report.rows.filter((r) => r.build.startsWith('1.3.14'))).toEqual([
      expect.objectContaining({ item: 'verdict', published: 'threshold-crossed', yours: 'bounded', verdict: 'differs' }),
    ]);
    // oom-killed is the same class as threshold-crossed: the build grows either way.
    const oom = clone(zig);
    oom.verdict.kind = 'oom-killed';
    expect(row(run([valid(oom), rust], [zig, rust]), '1.3.14', 'verdict').verdict).toBe('reproduced');
  });
});

describe('not comparable', () => {
  it('other parameters: another payload or target', () => {
    const payload = clone(zig);
    payload.parameters.payloadMiB = 16;
    const report = run([valid(payload)], [zig, rust]);
    expect(report.rows).toEqual([expect.objectContaining({ item: 'parameters', verdict: 'not-comparable', rule: 'other parameters: rerun with the published ones' })]);
    expect(report.verdict).toBe('not-comparable');
    const target = clone(rust);
    target.parameters.targetRssMiB = 500;
    expect(run([valid(target)], [zig, rust]).rows[0]!.item).toBe('parameters');
  });

  it('an interrupted run of yours', () => {
    const d = clone(zig);
    d.status = 'interrupted';
    d.verdict.kind = 'interrupted';
    const report = run([valid(d)], [zig, rust]);
    expect(report.rows).toEqual([expect.objectContaining({ item: 'verdict', yours: 'interrupted (interrupted)', verdict: 'not-comparable', rule: 'your run did not complete a measurement' })]);
  });

  it('a build the reference lacks', () => {
    const report = run([zig, rust], [zig]);
    expect(row(report, '1.4.5', 'build')).toMatchObject({ verdict: 'not-comparable', yours: rust.runtime.revision });
    expect(report.verdict).toBe('reproduced'); // 1.3.14 still reproduced
    expect(run([rust], [zig]).verdict).toBe('not-comparable');
  });
});

describe('npm run repro -- compare, on these records', () => {
  it('the run against a copy of itself under another runId: exit 0, REPRODUCED, the report beside the records', { timeout: 60_000 }, async () => {
    const reference = writeRecords([zig, rust].map((r) => withRunId(r, `${r.runId}-ref`)), 's3-ref');
    const r = await repro(['compare', out, '--reference', reference]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^REPRODUCED: 5 reproduced, 0 differ, 0 not comparable$/m);
    const report = CompareReport.parse(JSON.parse(readFileSync(path.join(out, `${zig.runId}.compare.json`), 'utf8')));
    expect(report.verdict).toBe('reproduced');
    expect(report.reference).toEqual([{ runId: `${zig.runId}-ref`, files: expect.arrayContaining([expect.stringContaining(reference)]) }]);
    expect(r.stdout).toContain(`report: ${path.join(out, `${zig.runId}.compare.json`)}`);
  });

  it('growth doubled: exit 3, DIFFERS, and the report names the row', { timeout: 60_000 }, async () => {
    const yours = writeRecords([withRunId(growthTimes(zig, 2), 'doctored-growth'), withRunId(rust, 'doctored-growth')], 's3-doctored');
    const reportFile = path.join(tempDir('s3-report'), 'report.json');
    const r = await repro(['compare', yours, '--reference', out, '--report', reportFile]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/growth per read .* DIFFERS/);
    const report = CompareReport.parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    expect(report.verdict).toBe('differs');
    expect(report.rows.filter((x) => x.verdict === 'differs').map((x) => x.item)).toEqual(['growth per read']);
  });

  it('your own run given as the reference is not a reference: exit 4', { timeout: 60_000 }, async () => {
    const r = await repro(['compare', out, '--reference', out]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/^NOT-COMPARABLE: 0 reproduced, 0 differ, 2 not comparable$/m);
  });
});
