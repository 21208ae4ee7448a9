// The SQL compare rules (repro/scenarios/sql-pool/compare.ts, through compare) on the real records of
// tests/repro/sql-pool/fixtures and on doctored in-memory copies of them (tests/repro/compare/doctor.ts).
//   reproduced      Fisher's exact test on the outcome counts, Holm-adjusted over the comparison, p ≥ 0.05;
//   differs         adjusted p < 0.05;
//   not-comparable  other parameters, too few repetitions (power rule), a build or trial the reference
//                   lacks, a run that did not complete.
import { describe, expect, it } from 'vitest';
import { compareWith, reportTable } from '../../../repro/core/compare/compare.ts';
import { CompareReport, type CompareRow } from '../../../repro/core/compare/report.ts';
import { sqlCompareRules } from '../../../repro/scenarios/sql-pool/compare.ts';
import type { LoadedRecord } from '../../../repro/core/record/parse.ts';
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { fisherExact } from '../../../repro/core/stats.ts';
import { fixture, RUN_A, RUN_B } from '../sql-pool/fixtures/records.ts';
import { expanded, loaded, onlyTrials, times, valid, withOutcomes, withRunId } from './doctor.ts';

const HARNESS = { version: 'test', commit: null };
const zigA = fixture(RUN_A, 'zig');
const rustA = fixture(RUN_A, 'rust');
const zigB = fixture(RUN_B, 'zig');
const rustB = fixture(RUN_B, 'rust');

function run(yours: LoadedRecord[], reference: LoadedRecord[]): CompareReport {
  // The report must be valid by its own schema, whatever the case.
  return CompareReport.parse(
    compareWith(() => sqlCompareRules, { yours, reference, harness: HARNESS, now: new Date('2026-11-26T00:00:00Z') }),
  );
}
const row = (report: CompareReport, build: string, item: string): CompareRow => {
  const found = report.rows.find((r) => r.build.startsWith(build) && r.item === item);
  if (!found) throw new Error(`no row ${build} ${item}: ${report.rows.map((r) => `${r.build} ${r.item}`).join(', ')}`);
  return found;
};
const verdicts = (report: CompareReport) => [...new Set(report.rows.map((r) => r.verdict))];

/** A 10-repetition copy of the real run (DOCTORED: each trial's real modal outcome, ten times), under another runId. */
const TEN = new Map([zigA, rustA].map((r) => [r, valid(expanded(r, 10))]));
const tenA = (runId: string, records = [zigA, rustA]) => records.map((r) => withRunId(TEN.get(r)!, runId));

describe('a record compared with itself', () => {
  it('the real run (2 repetitions per trial): nothing is comparable — the power rule, never "reproduced"', () => {
    const report = run(loaded([zigA, rustA]), loaded([zigA, rustA]));
    expect(report.rows).toHaveLength(24);
    expect(verdicts(report)).toEqual(['not-comparable']);
    expect(report.verdict).toBe('not-comparable');
    for (const r of report.rows) {
      expect(r.p).toBe(1); // identical counts
      expect(r.rule).toMatch(
        /^too few repetitions to tell \(2 published, 2 yours\): even opposite outcomes in every repetition would give p = 1\.00 over 24 trials/,
      );
    }
  });

  it('with ten repetitions a side (doctored copy of the real run): every trial reproduces, p = 1', () => {
    const ten = tenA('20261126T124644Z-aaaa');
    const report = run(loaded(ten), loaded(ten));
    expect(report.rows).toHaveLength(24);
    expect(verdicts(report)).toEqual(['reproduced']);
    expect(report.verdict).toBe('reproduced');
    expect(report.counts).toEqual({ reproduced: 24, differs: 0, notComparable: 0 });
    expect(row(report, '1.3.14', 'lazy-rst/after')).toMatchObject({
      published: 'hangs 10/10 (72–100 %)',
      yours: 'hangs 10/10 (72–100 %)',
      p: 1,
      pAdjusted: 1,
      counted: { published: 10, yours: 10 },
    });
    expect(row(report, '1.4.5', 'lazy-rst/after')).toMatchObject({ published: 'fails-fast 10/10 (72–100 %)' });
    expect(report.reference).toEqual([{ runId: '20261126T124644Z-aaaa', files: expect.any(Array) }]);
    // The rule as the table prints it: a reproduced row never says "differs".
    const printed = reportTable(report).rows.map((cells) => cells[5]);
    for (const rule of printed)
      expect(rule).toBe(
        'Fisher exact test on the outcome counts, Holm-adjusted; not shown to differ: p ≥ 0.05 (p = 1.00)',
      );
  });
});

describe('differs', () => {
  it('a trial with its outcome flipped in every one of ten repetitions (doctored: 1.3.14 lazy-rst/after fails fast instead of hanging)', () => {
    const reference = tenA('20261126T124644Z-aaaa');
    const [zig, rust] = tenA('20261126T124644Z-bbbb');
    const flipped = valid(withOutcomes(zig!, 'lazy-rst/after', times(10, 'fails-fast')));
    const report = run(loaded([flipped, rust!]), loaded(reference));
    const r = row(report, '1.3.14', 'lazy-rst/after');
    expect(r).toMatchObject({
      verdict: 'differs',
      published: 'hangs 10/10 (72–100 %)',
      yours: 'fails-fast 10/10 (72–100 %)',
    });
    expect(r.p).toBeCloseTo(2 / 184_756, 15);
    expect(r.pAdjusted).toBeCloseTo((24 * 2) / 184_756, 12); // the smallest of 24 p-values, times 24
    expect(report.counts).toEqual({ reproduced: 23, differs: 1, notComparable: 0 });
    expect(report.verdict).toBe('differs');
    expect(r.rule).toBe('Fisher exact test on the outcome counts, Holm-adjusted; differs: p < 0.05');
    expect(row(report, '1.3.14', 'terminate/after').rule).toBe(
      'Fisher exact test on the outcome counts, Holm-adjusted; not shown to differ: p ≥ 0.05',
    );
  });

  it('the rerun of one build compared as the other build: every trial where the builds differ is flagged', () => {
    // DOCTORED: the 1.4.5 measurements under 1.3.14's revision, against the real 1.3.14 reference.
    const reference = tenA('20261126T124644Z-aaaa', [zigA]);
    const rustAsZig = valid({ ...tenA('20261126T124644Z-bbbb', [rustA])[0]!, runtime: zigA.runtime });
    const report = run(loaded([rustAsZig]), loaded(reference));
    const differing = report.rows
      .filter((r) => r.verdict === 'differs')
      .map((r) => r.item)
      .sort();
    // Where the real run's modal outcomes differ between the builds.
    const expected = zigA.trials
      .filter((t) => t.verdict.kind !== rustA.trials.find((u) => u.id === t.id)!.verdict.kind)
      .map((t) => t.id)
      .sort();
    expect(expected).toEqual([
      'cold-start/after',
      'cold-start/timer',
      'lazy-rst/after',
      'lazy-rst/timer',
      'terminate/timer',
    ]);
    expect(differing).toEqual(expected);
  });

  it('Holm: a p of 0.03 differs alone, and does not once it is one of two tests', () => {
    // DOCTORED: 1.3.14 lazy-rst/after, ten hangs published, five hangs and five fast failures yours.
    const one = (ids: string[], runId: string, outcomes?: boolean) => {
      let r = onlyTrials(expanded(zigA, 10), ids);
      if (outcomes)
        r = withOutcomes(r, 'lazy-rst/after', [...times(5, 'hangs' as const), ...times(5, 'fails-fast' as const)]);
      return valid(withRunId(r, runId));
    };
    const raw = fisherExact([10, 0], [5, 5]);
    expect(raw).toBeCloseTo((2 * 3003) / 184_756, 12); // 0.0325
    const alone = run(loaded([one(['lazy-rst/after'], 'b', true)]), loaded([one(['lazy-rst/after'], 'a')]));
    expect(row(alone, '1.3.14', 'lazy-rst/after')).toMatchObject({ verdict: 'differs', pAdjusted: raw });
    const pair = run(
      loaded([one(['lazy-rst/after', 'terminate/after'], 'b', true)]),
      loaded([one(['lazy-rst/after', 'terminate/after'], 'a')]),
    );
    expect(row(pair, '1.3.14', 'lazy-rst/after')).toMatchObject({ verdict: 'reproduced', p: raw });
    expect(row(pair, '1.3.14', 'lazy-rst/after').pAdjusted).toBeCloseTo(2 * raw, 12);
  });

  it('a difference that the test cannot tell from chance reproduces: 7 of 10 hangs against 10 of 10', () => {
    const reference = valid(withRunId(onlyTrials(expanded(zigA, 10), ['lazy-rst/after']), 'a'));
    const mine = valid(
      withRunId(
        withOutcomes(reference, 'lazy-rst/after', [...times(7, 'hangs' as const), ...times(3, 'fails-fast' as const)]),
        'b',
      ),
    );
    const report = run(loaded([mine]), loaded([reference]));
    expect(row(report, '1.3.14', 'lazy-rst/after')).toMatchObject({
      verdict: 'reproduced',
      yours: 'hangs 7/10 (40–89 %), fails-fast 3',
    });
    expect(row(report, '1.3.14', 'lazy-rst/after').p).toBeCloseTo(fisherExact([10, 0], [7, 3]), 12);
  });

  it('attempts not met are not counted on either side', () => {
    const reference = valid(withRunId(onlyTrials(expanded(zigA, 10), ['lazy-rst/after']), 'a'));
    const mine = valid(withRunId(withOutcomes(reference, 'lazy-rst/after', times(10, 'hangs'), 5), 'b'));
    const report = run(loaded([mine]), loaded([reference]));
    expect(row(report, '1.3.14', 'lazy-rst/after')).toMatchObject({
      verdict: 'reproduced',
      yours: 'hangs 10/10 (72–100 %) · 5 not met',
      counted: { published: 10, yours: 10 },
    });
  });
});

describe('not comparable', () => {
  it('other parameters: a pool of 8, another timer delay, another pause', () => {
    const reference = tenA('a');
    const mine = tenA('b');
    const pool8 = valid({
      ...mine[0]!,
      parameters: { ...mine[0]!.parameters, pool: { ...mine[0]!.parameters.pool, max: 8 } },
    });
    const timer = valid({ ...mine[1]!, parameters: { ...mine[1]!.parameters, timerDelayMs: 500 } });
    const report = run(loaded([pool8, timer]), loaded(reference));
    expect(verdicts(report)).toEqual(['not-comparable']);
    for (const r of report.rows)
      expect(r.rule).toBe('other pause, pool options, watchdogs or timing: rerun with the published ones');
    expect(report.verdict).toBe('not-comparable');

    const longer = structuredClone(mine[0]!) as SqlPoolRecord;
    longer.trials.find((t) => t.id === 'terminate/after')!.pauseMs = 5000;
    const one = run(loaded([valid(longer)]), loaded(reference));
    expect(row(one, '1.3.14', 'terminate/after').verdict).toBe('not-comparable');
    expect(row(one, '1.3.14', 'rst/after').verdict).toBe('reproduced');
  });

  it('3 against 3 repetitions (power rule): even every outcome flipped is "not comparable", never "differs"', () => {
    const reference = valid(withRunId(onlyTrials(expanded(zigA, 3), ['lazy-rst/after']), 'a'));
    const flipped = valid(withRunId(withOutcomes(reference, 'lazy-rst/after', times(3, 'recovers')), 'b'));
    const report = run(loaded([flipped]), loaded([reference]));
    const r = row(report, '1.3.14', 'lazy-rst/after');
    expect(r.p).toBeCloseTo(0.1, 12);
    expect(r).toMatchObject({
      verdict: 'not-comparable',
      published: 'hangs 3/3 (44–100 %)',
      yours: 'recovers 3/3 (44–100 %)',
    });
    expect(r.rule).toMatch(
      /^too few repetitions to tell \(3 published, 3 yours\): even opposite outcomes in every repetition would give p = 0\.10 over 1 trials; run more \(--repetitions\)$/,
    );
    expect(report.verdict).toBe('not-comparable');
    // 4 against 4 can tell a flip apart (p = 2/70 < 0.05)
    const ref4 = valid(withRunId(onlyTrials(expanded(zigA, 4), ['lazy-rst/after']), 'a'));
    const flip4 = valid(withRunId(withOutcomes(ref4, 'lazy-rst/after', times(4, 'recovers')), 'b'));
    expect(row(run(loaded([flip4]), loaded([ref4])), '1.3.14', 'lazy-rst/after').verdict).toBe('differs');
  });

  it('a build the reference lacks', () => {
    const report = run(loaded(tenA('b')), loaded(tenA('a', [zigA])));
    expect(row(report, '1.4.5', 'build')).toMatchObject({
      verdict: 'not-comparable',
      published: zigA.runtime.revision,
      yours: rustA.runtime.revision,
    });
    expect(row(report, '1.4.5', 'build').rule).toMatch(/^the published run \(a\) has no record of this build$/);
    expect(report.rows.filter((r) => r.build.startsWith('1.3.14')).every((r) => r.verdict === 'reproduced')).toBe(true);
  });

  it('trials the reference did not run, and shared trials with too few repetitions (the two real runs, unchanged)', () => {
    const report = run(loaded([zigB, rustB]), loaded([zigA, rustA]));
    expect(report.verdict).toBe('not-comparable');
    expect(row(report, '1.3.14', 'idle-timeout/after')).toMatchObject({
      verdict: 'not-comparable',
      published: 'not run',
      rule: 'the published run has no such trial',
    });
    expect(row(report, '1.3.14', 'kernel-blackhole/after/long').rule).toBe('the published run has no such trial');
    expect(row(report, '1.3.14', 'cold-start/after').rule).toMatch(
      /^too few repetitions to tell \(2 published, 2 yours\)/,
    );
    expect(report.reference[0]!.runId).toBe(RUN_A);
  });

  it('an interrupted run of yours', () => {
    const mine = tenA('b').map((r) => valid({ ...r, status: 'interrupted' as const }));
    const report = run(loaded(mine), loaded(tenA('a')));
    expect(report.rows).toHaveLength(2);
    for (const r of report.rows)
      expect(r).toMatchObject({
        item: 'run',
        published: 'complete',
        yours: 'interrupted',
        verdict: 'not-comparable',
        rule: 'your run did not complete',
      });
    expect(report.verdict).toBe('not-comparable');
  });

  it('an interrupted or partial reference is not a reference; an older complete one is', () => {
    const partial = tenA('20261127T000000Z-cccc').map((r) =>
      valid({
        ...r,
        startedAt: '2026-11-27T00:00:00.000Z',
        endedAt: '2026-11-27T00:10:00.000Z',
        status: 'partial' as const,
      }),
    );
    const none = run(loaded(tenA('b')), loaded(partial));
    expect(none.rows.map((r) => r.rule)).toEqual(times(2, 'there is no published sql-pool run to compare with'));
    expect(none.verdict).toBe('not-comparable');
    const withOlder = run(loaded(tenA('b')), loaded([...partial, ...tenA('20261126T124644Z-aaaa')]));
    expect(withOlder.reference[0]!.runId).toBe('20261126T124644Z-aaaa');
    expect(withOlder.verdict).toBe('reproduced');
  });
});

describe("the counts are the repetitions': a summary they contradict is rejected, never compared", () => {
  const rejected = (yours: SqlPoolRecord[], reference = tenA('20261126T124644Z-aaaa')): string => {
    try {
      run(loaded(yours), loaded(reference));
    } catch (error) {
      expect(error).toMatchObject({ exitCode: 2 });
      return (error as Error).message;
    }
    throw new Error('compare accepted the record');
  };
  const [zigTen, rustTen] = tenA('b');
  const lazy = zigTen!.trials.findIndex((t) => t.id === 'lazy-rst/after');

  it('no repetitions at all, the published counts kept: rejected, naming the trial and both counts', () => {
    const d = structuredClone(zigTen!);
    for (const t of d.trials) t.repetitions = [];
    const kind = zigTen!.trials[0]!.verdict.kind;
    expect(rejected([valid(d), rustTen!])).toBe(
      `memory/b_1.3.14-zig.json: the summary disagrees with the record's own evidence: trials.0.verdict.counts.${kind} (${zigTen!.trials[0]!.id}) is 10, its repetitions give 0`,
    );
  });

  it('repetitions relabelled without their operations (every hang called fails-fast): rejected, naming the repetition', () => {
    const d = structuredClone(zigTen!);
    const trial = d.trials[lazy]!;
    expect(trial.verdict.kind).toBe('hangs');
    for (const rep of trial.repetitions) rep.verdict = 'fails-fast';
    trial.verdict = { ...trial.verdict, kind: 'fails-fast', counts: { 'fails-fast': 10 } };
    expect(rejected([valid(d), rustTen!])).toMatch(
      new RegExp(`: trials\\.${lazy}\\.repetitions\\.0\\.verdict is fails-fast, its operations and checks give hangs$`),
    );
  });

  it('repetitions with no operations, labelled as the published outcome: rejected', () => {
    const d = structuredClone(zigTen!);
    for (const rep of d.trials[lazy]!.repetitions) rep.operations = [];
    expect(rejected([valid(d), rustTen!])).toMatch(
      new RegExp(
        `: trials\\.${lazy}\\.repetitions\\.0\\.verdict is hangs, its operations and checks give interrupted$`,
      ),
    );
  });

  it('only the trial counts changed, or the attempts not met: rejected', () => {
    const counts = structuredClone(zigTen!);
    counts.trials[lazy]!.verdict.counts = { hangs: 9 };
    expect(rejected([valid(counts), rustTen!])).toMatch(
      new RegExp(`: trials\\.${lazy}\\.verdict\\.counts\\.hangs \\(lazy-rst/after\\) is 9, its repetitions give 10$`),
    );
    const notMet = structuredClone(zigTen!);
    notMet.trials[lazy]!.verdict.notMet = 3;
    expect(rejected([valid(notMet), rustTen!])).toMatch(
      /verdict\.notMet \(lazy-rst\/after\) is 3, its repetitions give 0$/,
    );
  });

  it('a reference whose counts its repetitions contradict is rejected too', () => {
    const d = structuredClone(zigTen!);
    d.trials[lazy]!.verdict.counts = { hangs: 9 };
    expect(rejected([zigTen!, rustTen!], [valid({ ...d, runId: 'ref' }), { ...rustTen!, runId: 'ref' }])).toMatch(
      /^memory\/ref_1\.3\.14-zig\.json: /,
    );
  });

  it('a record emptied consistently (no repetitions, no counts) is never reproduced: not comparable', () => {
    const d = structuredClone(zigTen!);
    for (const t of d.trials) {
      t.repetitions = [];
      t.verdict = { ...t.verdict, kind: 'interrupted', counts: {}, notMet: 0 };
    }
    const report = run(loaded([valid(d)]), loaded(tenA('20261126T124644Z-aaaa')));
    expect(verdicts(report)).toEqual(['not-comparable']);
    expect(report.verdict).toBe('not-comparable');
  });
});
