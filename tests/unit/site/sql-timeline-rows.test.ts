// The sql-timeline figure's rows (sql-timeline-rows.ts), checked without drawing: which trials are
// drawn, which repetition stands for each, its times from the freeze, and the pool events counted.
import { expect, test } from 'vitest';
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import {
  chooseTrials,
  panelOf,
  poolCounts,
  selectSqlTimeline,
} from '../../../src/scenarios/sql-pool/figures/sql-timeline-rows.ts';
import { fixtureRecords } from './fixtures.ts';

const sql = fixtureRecords.filter((r) => r.scenario === 'sql-pool') as SqlPoolRecord[];
const zig = sql.find((r) => r.runtime.line === 'zig');
const rust = sql.find((r) => r.runtime.line === 'rust');

test('sql-timeline shows first the trial whose verdicts differ, preferring one with a hang, then the case trial', () => {
  // blackhole/timer: the builds differ by Fisher's exact test (10/10 hangs against 10/10 fails-fast), and one hangs.
  // It opens the figure, so the top panel shows the builds apart; blackhole/after, where both hang, follows.
  expect(chooseTrials([zig!, rust!])).toEqual(['blackhole/timer', 'blackhole/after']);
  const withoutCase = [zig!, rust!].map((r) => ({
    ...r,
    trials: r.trials.filter((t) => !t.id.startsWith('blackhole/')),
  }));
  // kernel-blackhole/after/long hangs on one build, but its p = 0.03 does not survive Holm's adjustment
  // over the trials compared; cold-start/after (p = 0.003) does, so it is the difference shown.
  expect(chooseTrials(withoutCase)).toEqual(['cold-start/after']);
  // Alone, cold-start/after is the one difference.
  const onlyColdStart = [zig!, rust!].map((r) => ({
    ...r,
    trials: r.trials.filter((t) => t.id === 'cold-start/after'),
  }));
  expect(chooseTrials(onlyColdStart)).toEqual(['cold-start/after']);
  expect(chooseTrials([])).toEqual([]);
});

test('each panel is one repetition whose outcome is its trial’s verdict, timed from the freeze', () => {
  const rows = selectSqlTimeline([zig!, rust!]);
  expect([...new Set(rows.map(panelOf))]).toEqual([
    'blackhole/timer · 1.3.14 (Zig)',
    'blackhole/timer · 1.4.5 (Rust)',
    'blackhole/after · 1.3.14 (Zig)',
    'blackhole/after · 1.4.5 (Rust)',
  ]);
  for (const r of [zig!, rust!])
    for (const id of ['blackhole/timer', 'blackhole/after']) {
      const trial = r.trials.find((t) => t.id === id)!;
      const own = rows.filter((x) => x.build === r.runtime.label && x.trial === id);
      const rep = trial.repetitions[own[0]!.repetition - 1]!;
      expect(rep.verdict).toBe(trial.verdict.kind);
      const stop = rep.events.find((e) => e.event === 'sigstop')!.t;
      const resume = rep.events.find((e) => e.event === 'sigcont')!.t;
      expect(own[0]).toMatchObject({ kind: 'phase', what: 'pause', startMs: 0, endMs: resume - stop });
      const ops = own.filter((x) => x.kind === 'operation');
      expect(ops.map((x) => [x.what, x.outcome, x.latencyMs, x.code])).toEqual(
        rep.operations.map((o) => [o.op, o.outcome, o.latencyMs, o.code]),
      );
      for (const op of ops) expect(op.endMs).toBeCloseTo(op.startMs + op.latencyMs!, 5);
      // Pool events from the freeze on only: the two connections made while warming up are not drawn.
      const pool = own.filter((x) => x.kind === 'pool');
      expect(pool.map((x) => x.startMs)).toEqual(
        rep.events
          .filter((e) => e.source === 'bun' && ['onconnect', 'onclose'].includes(e.event) && e.t >= stop)
          .map((e) => e.t - stop),
      );
    }
});

test('an operation Bun did not report starting starts when the one before it ended; no freeze, no rows', () => {
  const strip = (
    r: SqlPoolRecord,
    keep: (e: SqlPoolRecord['trials'][0]['repetitions'][0]['events'][0]) => boolean,
  ) => ({
    ...r,
    trials: r.trials.map((t) => ({
      ...t,
      repetitions: t.repetitions.map((rep) => ({ ...rep, events: rep.events.filter(keep) })),
    })),
  });
  const unstarted = selectSqlTimeline([strip(zig!, (e) => e.event !== 'query_start'), rust!]).filter(
    (r) => r.build === zig!.runtime.label && r.trial === 'blackhole/after',
  );
  const [pause, ...ops] = unstarted.filter((r) => r.kind !== 'pool');
  let previous = pause!.endMs!;
  for (const op of ops) {
    expect(op.startMs).toBe(previous);
    previous = op.endMs!;
  }
  expect(ops).toHaveLength(4);
  const frozenless = selectSqlTimeline([strip(zig!, (e) => e.event !== 'sigstop'), rust!]);
  expect(frozenless.some((r) => r.build === zig!.runtime.label)).toBe(false);
  expect(frozenless.some((r) => r.build === rust!.runtime.label)).toBe(true);
});

test('pool events are counted per panel and kind, at the last of them', () => {
  const rows = selectSqlTimeline(fixtureRecords);
  const pool = rows.filter((r) => r.kind === 'pool');
  const counted = poolCounts(pool);
  expect(counted.reduce((n, c) => n + c.count, 0)).toBe(pool.length);
  for (const c of counted) {
    const same = pool.filter((r) => panelOf(r) === panelOf(c) && r.what === c.what);
    expect(c.count).toBe(same.length);
    expect(c.startMs).toBe(same.at(-1)!.startMs);
  }
  expect(new Set(counted.map((c) => `${panelOf(c)}|${c.what}`)).size).toBe(counted.length);
});
