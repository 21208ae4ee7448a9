// The S3 compare rules on records of a real short run made here (both pinned builds, embedded
// s3rver, 150 reads of 8 MiB: 1.3.14 crosses the 900 MiB target, 1.4.5 stays bounded), and on
// doctored in-memory copies of them, each changed in one measurement:
//   threshold read  within ±25 % of the reference's;   growth per read  within ±25 %;
//   peak RSS        a bounded build under 2× the reference's;   verdict  the same class.
// Copies whose summary their own samples contradict (emptied, zeroed, one figure changed) are rejected.
// Then `npm run repro -- compare` on them: exit 0 when reproduced, 3 when a measurement differs, 2
// for a record whose summary its samples contradict.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWith } from '../../../repro/core/compare/compare.ts';
import { CompareReport, type CompareRow } from '../../../repro/core/compare/report.ts';
import { s3CompareRules, thresholdRead } from '../../../repro/scenarios/s3-leak/compare.ts';
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { measuredFigures } from '../../../repro/scenarios/s3-leak/verdict.ts';
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
  return CompareReport.parse(
    compareWith(() => s3CompareRules, {
      yours: loaded(yours),
      reference: loaded(reference),
      harness: { version: 'test', commit: null },
    }),
  );
}
const row = (report: CompareReport, build: string, item: string): CompareRow => {
  const found = report.rows.find((r) => r.build.startsWith(build) && r.item === item);
  if (!found) throw new Error(`no row ${build} ${item}: ${report.rows.map((r) => `${r.build} ${r.item}`).join(', ')}`);
  return found;
};
const rowVerdicts = (report: CompareReport) =>
  Object.fromEntries(report.rows.map((r) => [`${r.build.split(' ')[0]} ${r.item}`, r.verdict]));

// ---------------------------------------------------------------- doctored copies (in memory)
// compare reads the samples, not the verdict: each copy changes the samples, and its verdict's figures
// are recomputed by the harness's own code, as a run that measured those samples would have written them.

/** The verdict's figures recomputed from the (doctored) samples. */
function remeasured(d: S3LeakRecord): S3LeakRecord {
  d.verdict = { ...d.verdict, ...measuredFigures(d.samples, d.outsideSamples, d.baselineAtOutsideMs) };
  return valid(d);
}

/**
 * DOCTORED: a build leaking `factor` times as fast: each read's RSS above the baseline multiplied,
 * and the reads after the first at the target dropped (the probe stops there).
 */
function leakingTimes(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  const base = d.samples[0]!.rss;
  const target = d.parameters.targetRssMiB * MiB;
  d.samples = d.samples.map((s) => ({ ...s, rss: Math.round(base + (s.rss - base) * factor) }));
  const crossed = d.samples.findIndex((s) => s.rss >= target);
  if (crossed >= 0) d.samples = d.samples.slice(0, crossed + 1);
  return remeasured(d);
}

/** DOCTORED: the target reached at `factor` × the read, every read number shifted (the growth per read is unchanged). */
function crossingAt(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  const shift = Math.round(thresholdRead(r) * (factor - 1));
  d.samples = d.samples
    .map((s) => (s.iteration === 0 ? s : { ...s, iteration: s.iteration + shift }))
    .filter((s, i) => i === 0 || s.iteration > 0);
  return remeasured(d);
}

/** DOCTORED: every RSS the run saw, inside and outside the probe, multiplied (a bounded build that holds more). */
function rssTimes(r: S3LeakRecord, factor: number): S3LeakRecord {
  const d = clone(r);
  d.samples = d.samples.map((s) => ({ ...s, rss: Math.round(s.rss * factor) }));
  d.outsideSamples = d.outsideSamples.map((s) => ({ ...s, vmRss: Math.round(s.vmRss * factor) }));
  return remeasured(d);
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
    expect(row(report, '1.3.14', 'threshold read')).toMatchObject({
      published: `read ${thresholdRead(zig)}`,
      yours: `read ${thresholdRead(zig)}`,
    });
    expect(report.verdict).toBe('reproduced');
  });
});

describe('differs', () => {
  it('a build leaking twice as fast (1.3.14): growth per read and threshold read differ; ×1.2 is inside the ±25 %', () => {
    const doubled = run([leakingTimes(zig, 2), rust], [zig, rust]);
    expect(row(doubled, '1.3.14', 'growth per read')).toMatchObject({
      verdict: 'differs',
      rule: 'within ±25 % of the published growth',
    });
    expect(row(doubled, '1.3.14', 'threshold read').verdict).toBe('differs');
    expect(doubled.counts).toEqual({ reproduced: 3, differs: 2, notComparable: 0 });
    expect(doubled.verdict).toBe('differs');
    expect(run([leakingTimes(zig, 1.2), rust], [zig, rust]).verdict).toBe('reproduced');
  });

  it('threshold read moved by 40 % at the same growth (1.3.14): the read differs; moved by 20 % it reproduces', () => {
    const moved = crossingAt(zig, 1.4);
    expect(thresholdRead(moved)).toBe(thresholdRead(zig) + Math.round(thresholdRead(zig) * 0.4));
    const report = run([moved, rust], [zig, rust]);
    expect(row(report, '1.3.14', 'threshold read')).toMatchObject({
      verdict: 'differs',
      rule: 'within ±25 % of the published read',
      yours: `read ${thresholdRead(moved)}`,
    });
    expect(row(report, '1.3.14', 'growth per read').verdict).toBe('reproduced');
    expect(report.verdict).toBe('differs');
    expect(run([crossingAt(zig, 1.2), rust], [zig, rust]).verdict).toBe('reproduced');
    expect(run([crossingAt(zig, 0.6), rust], [zig, rust]).verdict).toBe('differs');
  });

  it('bounded peak ×3 (1.4.5): the peak differs; ×1.5 is under the 2× bound', () => {
    const report = run([zig, rssTimes(rust, 3)], [zig, rust]);
    expect(row(report, '1.4.5', 'peak RSS')).toMatchObject({ verdict: 'differs', rule: 'under 2× the published peak' });
    expect(row(report, '1.4.5', 'peak RSS').yours).toBe(
      `${(rssTimes(rust, 3).verdict.peakRssBytes / MiB).toFixed(1)} MiB`,
    );
    expect(report.verdict).toBe('differs');
    expect(run([zig, rssTimes(rust, 1.5)], [zig, rust]).verdict).toBe('reproduced');
  });

  it('a build that stayed bounded where the published one leaked: the verdict class differs, nothing else is compared', () => {
    // The bounded build's own samples, under the leaking build's name.
    const bounded = valid({ ...clone(rust), runtime: zig.runtime });
    const report = run([bounded, rust], [zig, rust]);
    expect(report.rows.filter((r) => r.build.startsWith('1.3.14'))).toEqual([
      expect.objectContaining({
        item: 'verdict',
        published: 'threshold-crossed',
        yours: 'bounded',
        verdict: 'differs',
      }),
    ]);
    // oom-killed is the same class as threshold-crossed: the build grows either way.
    const oom = clone(zig);
    oom.verdict.kind = 'oom-killed';
    expect(row(run([valid(oom), rust], [zig, rust]), '1.3.14', 'verdict').verdict).toBe('reproduced');
  });
});

describe('a summary its own samples contradict is rejected, never compared', () => {
  const rejected = (yours: S3LeakRecord[], reference: S3LeakRecord[] = [zig, rust]) => {
    try {
      run(yours, reference);
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2 });
      return (error as Error).message;
    }
    throw new Error('compare accepted the record');
  };

  it('no samples at all, the published verdict kept: rejected, naming the field, the summary and the evidence', () => {
    const empty = valid({ ...clone(zig), samples: [], outsideSamples: [] });
    expect(rejected([empty, rust])).toBe(
      `memory/${zig.runId}_${zig.runtime.version}-${zig.runtime.line}.json: the summary disagrees with the record's own evidence: verdict.iteration is ${zig.verdict.iteration}, the samples give 0`,
    );
    // With the summary emptied to match, there is nothing to compare: never "reproduced".
    const emptied = remeasured(clone(empty));
    expect(rejected([emptied, rust])).toMatch(
      /verdict\.kind is threshold-crossed, the samples give no sample at the 900 MiB target$/,
    );
    const emptyBounded = remeasured({ ...clone(rust), samples: [], outsideSamples: [] });
    expect(rejected([zig, emptyBounded])).toMatch(
      /verdict\.kind is bounded \(after 150 reads\), the samples give 0 reads$/,
    );
  });

  it('every sample zeroed: rejected, summary zeroed too or not', () => {
    const zeroed = (r: S3LeakRecord) => {
      const d = clone(r);
      d.samples = d.samples.map((s) => ({ ...s, rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0, anonRss: 0 }));
      d.outsideSamples = d.outsideSamples.map((s) => ({ ...s, vmRss: 0, rssAnon: 0, cgroupCurrent: 0 }));
      return valid(d);
    };
    expect(rejected([zig, zeroed(rust)])).toMatch(/: samples\.0\.rss is 0, which no running probe reports$/);
    expect(rejected([zig, remeasured(zeroed(rust))])).toMatch(
      /: samples\.0\.rss is 0, which no running probe reports$/,
    );
  });

  it('each summary figure changed alone (the samples as measured): rejected, naming it', () => {
    const changed = (field: 'peakRssBytes' | 'baselineRssBytes' | 'growthMiBPerIteration', value: number) => {
      const d = clone(rust);
      d.verdict[field] = value;
      return valid(d);
    };
    expect(rejected([zig, changed('peakRssBytes', 10 * MiB)])).toMatch(
      new RegExp(
        `verdict\\.peakRssBytes is 10\\.0 MiB, the samples give ${(rust.verdict.peakRssBytes / MiB).toFixed(1)} MiB$`,
      ),
    );
    expect(rejected([zig, changed('baselineRssBytes', 1)])).toMatch(
      /verdict\.baselineRssBytes is 0\.0 MiB, the samples give \d+\.\d MiB$/,
    );
    expect(rejected([zig, changed('growthMiBPerIteration', 8)])).toMatch(
      /verdict\.growthMiBPerIteration is 8 MiB, the samples give -?\d/,
    );
    const bounded = clone(zig);
    bounded.verdict.kind = 'bounded';
    expect(rejected([valid(bounded), rust])).toMatch(
      /verdict\.kind is bounded, the samples give a sample at the 900 MiB target$/,
    );
  });

  it('a reference whose summary its samples contradict is rejected too', () => {
    const d = clone(rust);
    d.verdict.peakRssBytes = 10 * MiB;
    expect(rejected([zig, rust], [zig, valid(d)])).toMatch(/verdict\.peakRssBytes is 10\.0 MiB/);
  });
});

describe('not comparable', () => {
  it('other parameters: another payload or target', () => {
    const payload = clone(zig);
    payload.parameters.payloadMiB = 16;
    const report = run([valid(payload)], [zig, rust]);
    expect(report.rows).toEqual([
      expect.objectContaining({
        item: 'parameters',
        verdict: 'not-comparable',
        rule: 'other parameters: rerun with the published ones',
      }),
    ]);
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
    expect(report.rows).toEqual([
      expect.objectContaining({
        item: 'verdict',
        yours: 'interrupted (interrupted)',
        verdict: 'not-comparable',
        rule: 'your run did not complete a measurement',
      }),
    ]);
  });

  it('a build the reference lacks', () => {
    const report = run([zig, rust], [zig]);
    expect(row(report, '1.4.5', 'build')).toMatchObject({ verdict: 'not-comparable', yours: rust.runtime.revision });
    expect(report.verdict).toBe('reproduced'); // 1.3.14 still reproduced
    expect(run([rust], [zig]).verdict).toBe('not-comparable');
  });
});

describe('npm run repro -- compare, on these records', () => {
  it('the run against a copy of itself under another runId: exit 0, REPRODUCED, the report beside the records', {
    timeout: 60_000,
  }, async () => {
    const reference = writeRecords(
      [zig, rust].map((r) => withRunId(r, `${r.runId}-ref`)),
      's3-ref',
    );
    const r = await repro(['compare', out, '--reference', reference]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^REPRODUCED: 5 reproduced, 0 differ, 0 not comparable$/m);
    const report = CompareReport.parse(JSON.parse(readFileSync(path.join(out, `${zig.runId}.compare.json`), 'utf8')));
    expect(report.verdict).toBe('reproduced');
    expect(report.reference).toEqual([
      { runId: `${zig.runId}-ref`, files: expect.arrayContaining([expect.stringContaining(reference)]) },
    ]);
    expect(r.stdout).toContain(`report: ${path.join(out, `${zig.runId}.compare.json`)}`);
  });

  it('growth doubled: exit 3, DIFFERS, and the report names the rows', { timeout: 60_000 }, async () => {
    const yours = writeRecords(
      [withRunId(leakingTimes(zig, 2), 'doctored-growth'), withRunId(rust, 'doctored-growth')],
      's3-doctored',
    );
    const reportFile = path.join(tempDir('s3-report'), 'report.json');
    const r = await repro(['compare', yours, '--reference', out, '--report', reportFile]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/growth per read .* DIFFERS/);
    const report = CompareReport.parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    expect(report.verdict).toBe('differs');
    expect(report.rows.filter((x) => x.verdict === 'differs').map((x) => x.item)).toEqual([
      'threshold read',
      'growth per read',
    ]);
  });

  it('a summary its samples contradict: exit 2, one line, no report written', { timeout: 60_000 }, async () => {
    const lying = clone(rust);
    lying.verdict.peakRssBytes = 10 * MiB;
    const yours = writeRecords(
      [withRunId(zig, 'doctored-summary'), withRunId(valid(lying), 'doctored-summary')],
      's3-lying',
    );
    const r = await repro(['compare', yours, '--reference', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^repro: .*\.json: the summary disagrees with the record's own evidence: verdict\.peakRssBytes is 10\.0 MiB, the samples give \d+\.\d MiB$/,
      ),
    ]);
    expect(readdirSync(yours).filter((f) => f.endsWith('.compare.json'))).toEqual([]);
  });

  it('your own run given as the reference is not a reference: exit 4', { timeout: 60_000 }, async () => {
    const r = await repro(['compare', out, '--reference', out]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/^NOT-COMPARABLE: 0 reproduced, 0 differ, 2 not comparable$/m);
  });
});
