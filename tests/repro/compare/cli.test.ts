// `npm run repro -- compare` as a black box on SQL records: the real fixture runs and doctored copies
// written to temporary folders. Exit codes 0 reproduced / 3 differs / 4 nothing comparable / 2 bad
// input (one line on stderr naming the file and the field), and the JSON report, valid by its schema.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompareReport } from '../../../repro/core/compare/report.ts';
import { fixture, fixtureTexts, RUN_A, RUN_B } from '../sql-pool/fixtures/records.ts';
import { expanded, onlyTrials, times, valid, withOutcomes, withRunId } from './doctor.ts';
import { removeTemps, repro, tempDir, writeRecords } from './run-cli.ts';

afterAll(removeTemps);

/** The real fixture files of one run, as the harness wrote them (unchanged text). */
function realRun(runId: string): string {
  const dir = tempDir(`real-${runId}`);
  for (const [name, text] of fixtureTexts()) if (name.startsWith(runId)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** DOCTORED: the two builds' lazy-rst/after and terminate/after trials, ten repetitions each with their real modal outcome. */
const ten = (runId: string) =>
  [fixture(RUN_A, 'zig'), fixture(RUN_A, 'rust')].map((r) =>
    valid(withRunId(onlyTrials(expanded(r, 10), ['lazy-rst/after', 'terminate/after']), runId)),
  );

const T = { timeout: 60_000 };

describe('exit codes', () => {
  it('0: ten repetitions a side, the same outcomes (doctored copies of the real run)', T, async () => {
    const reference = writeRecords(ten('20261126T124644Z-aaaa'), 'ref');
    const yours = writeRecords(ten('20261126T124644Z-bbbb'), 'yours');
    const r = await repro(['compare', yours, '--reference', reference]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^compared with the published run 20261126T124644Z-aaaa$/m);
    expect(r.stdout).toMatch(
      /1\.3\.14 \(Zig\)\s+lazy-rst\/after\s+hangs 10\/10 \(72–100 %\)\s+hangs 10\/10 \(72–100 %\)\s+reproduced\s+Fisher exact test .* \(p = 1\.00\)/,
    );
    expect(r.stdout).toMatch(/^REPRODUCED: 4 reproduced, 0 differ, 0 not comparable$/m);
  });

  it('3: 1.3.14 lazy-rst/after flipped from hangs to fails-fast in all ten repetitions (doctored)', T, async () => {
    const reference = writeRecords(ten('20261126T124644Z-aaaa'), 'ref');
    const [zig, rust] = ten('20261126T124644Z-bbbb');
    const yours = writeRecords([valid(withOutcomes(zig!, 'lazy-rst/after', times(10, 'fails-fast'))), rust!], 'yours');
    const r = await repro(['compare', yours, '--reference', reference]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /1\.3\.14 \(Zig\)\s+lazy-rst\/after\s+hangs 10\/10 \(72–100 %\)\s+fails-fast 10\/10 \(72–100 %\)\s+DIFFERS\s+.*\(p < 0\.001\)/,
    );
    expect(r.stdout).toMatch(/^DIFFERS: 3 reproduced, 1 differ, 0 not comparable$/m);
  });

  it('4: the two real runs (2 repetitions a trial, half their trials not shared): nothing comparable', T, async () => {
    const r = await repro(['compare', realRun(RUN_B), '--reference', realRun(RUN_A)]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(
      /cold-start\/after .* not-comparable\s+too few repetitions to tell \(2 published, 2 yours\)/,
    );
    expect(r.stdout).toMatch(/idle-timeout\/after .* not-comparable\s+the published run has no such trial/);
    expect(r.stdout).toMatch(/^NOT-COMPARABLE: 0 reproduced, 0 differ, 14 not comparable$/m);
  });

  it('4: a reference folder with no record', T, async () => {
    const r = await repro(['compare', realRun(RUN_A), '--reference', tempDir('empty')]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/^compared with the published run none$/m);
    expect(r.stdout).toContain('there is no published sql-pool run to compare with');
  });
});

describe('bad input: exit 2, one line naming the file and what is wrong', () => {
  async function expectUsage(args: string[], line: RegExp) {
    const r = await repro(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(r.stdout).toBe('');
  }

  it('a file that is not JSON', T, async () => {
    const file = path.join(tempDir('bad'), 'broken.json');
    writeFileSync(file, '{"schemaVersion": 2, "scenario": ');
    await expectUsage(
      ['compare', file, '--reference', realRun(RUN_A)],
      new RegExp(`^repro: ${file}: not JSON \\(.+\\)$`),
    );
  });

  it('a schema-1 record (doctored: the real record in the old shape, interrupted instead of status)', T, async () => {
    const { status, ...rest } = JSON.parse(fixtureTexts().get(`${RUN_A}_1.3.14-zig.json`)!);
    expect(status).toBe('complete');
    const file = path.join(tempDir('v1'), 'old.json');
    writeFileSync(file, JSON.stringify({ ...rest, schemaVersion: 1, interrupted: false }));
    await expectUsage(
      ['compare', file, '--reference', realRun(RUN_A)],
      new RegExp(
        `^repro: ${file}: not a run record \\(a schema 1 record; this harness reads schema 2\\): schemaVersion: .+$`,
      ),
    );
  });

  it('a bad record among the reference records names that file', T, async () => {
    const reference = realRun(RUN_A);
    const file = path.join(reference, 'zz-not-a-record.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 2, scenario: 'sql-pool' }));
    await expectUsage(
      ['compare', realRun(RUN_B), '--reference', reference],
      new RegExp(`^repro: ${file}: not a run record: runId: .+$`),
    );
  });

  it('a path that does not exist, no record named, an unknown flag', T, async () => {
    await expectUsage(['compare', '/nonexistent/records'], /^repro: \/nonexistent\/records: no such file or folder$/);
    await expectUsage(['compare'], /^repro: compare: name at least one record or folder of records/);
    await expectUsage(
      ['compare', realRun(RUN_A), '--tolerance', '5'],
      /^repro: .*--tolerance.*\(see: npm run repro -- compare --help\)$/,
    );
    await expectUsage(['compare', tempDir('none')], /^repro: compare: no records in /);
  });
});

describe('the JSON report', () => {
  it('written where --report says, valid against CompareReport, and matching what was printed', T, async () => {
    const reference = realRun(RUN_A);
    const yours = writeRecords(
      [fixture(RUN_A, 'zig'), fixture(RUN_A, 'rust')].map((r) => valid(withRunId(r, 'rerun-1'))),
      'report',
    );
    const target = path.join(tempDir('report-out'), 'report.json');
    const r = await repro(['compare', yours, '--reference', reference, '--report', target]);
    expect(r.code, r.stderr).toBe(4); // two repetitions a side: the power rule
    const report = CompareReport.parse(JSON.parse(readFileSync(target, 'utf8')));
    expect(report.kind).toBe('casebook-compare');
    expect(report.reference).toEqual([
      {
        runId: RUN_A,
        files: [path.join(reference, `${RUN_A}_1.3.14-zig.json`), path.join(reference, `${RUN_A}_1.4.5-rust.json`)],
      },
    ]);
    expect(report.yours).toEqual([{ runId: 'rerun-1', files: expect.any(Array) }]);
    expect(report.rows).toHaveLength(24);
    expect(report.counts).toEqual({ reproduced: 0, differs: 0, notComparable: 24 });
    for (const row of report.rows) {
      expect(row.counted).toEqual({ published: 2, yours: 2 });
      expect(row.p).toBe(1);
      expect(row.pAdjusted).toBe(1);
    }
    expect(r.stdout).toContain(`report: ${target}`);
    expect(existsSync(path.join(yours, 'rerun-1.compare.json'))).toBe(false); // only where asked
  });

  it('by default, beside your first record, named by your runId', T, async () => {
    const reference = writeRecords(ten('20261126T124644Z-aaaa'), 'ref');
    const yours = writeRecords(ten('20261126T124644Z-bbbb'), 'yours');
    const r = await repro(['compare', yours, '--reference', reference]);
    expect(r.code, r.stderr).toBe(0);
    const report = CompareReport.parse(
      JSON.parse(readFileSync(path.join(yours, '20261126T124644Z-bbbb.compare.json'), 'utf8')),
    );
    expect(report.verdict).toBe('reproduced');
    // Zig first, then Rust; each build's trials in the record's order.
    expect(report.rows.map((x) => `${x.build} ${x.item} ${x.verdict}`)).toEqual([
      '1.3.14 (Zig) terminate/after reproduced',
      '1.3.14 (Zig) lazy-rst/after reproduced',
      '1.4.5 (Rust) terminate/after reproduced',
      '1.4.5 (Rust) lazy-rst/after reproduced',
    ]);
    // A second compare of the same folder does not read the report as a record.
    const again = await repro(['compare', yours, '--reference', reference]);
    expect(again.code, again.stderr).toBe(0);
  });
});
