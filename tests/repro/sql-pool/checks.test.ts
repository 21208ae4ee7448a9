// Each condition check of the SQL scenario (repro/scenarios/sql-pool/checks.ts), as a pure function
// of a repetition's event log. "Meets" cases are real event logs from the fixture records (measured
// runs, unchanged); "fails" cases are either real repetitions that did not meet their condition, or
// in-memory copies of real logs doctored in one place, each labelled with what was changed. Every
// failing check must turn a repetition that has an outcome into `condition-not-met`.
import { describe, expect, it } from 'vitest';
import { CHECKS, checkNamesFor, evaluateChecks } from '../../../repro/scenarios/sql-pool/checks.ts';
import { classifyRepetition, classifyTrial } from '../../../repro/scenarios/sql-pool/verdict.ts';
import {
  SqlFault,
  SqlOrdering,
  type SqlEvent,
  type SqlPoolRecord,
  type SqlRepetition,
} from '../../../repro/core/record/schema.ts';
import { clone, fixture, fixtureRecords, repetitionOf, RUN_A, RUN_B, trialOf } from './fixtures/records.ts';

const zigA = fixture(RUN_A, 'zig');
const rustA = fixture(RUN_A, 'rust');
const zigB = fixture(RUN_B, 'zig');

interface Case {
  record: SqlPoolRecord;
  trial: string;
  events: SqlEvent[];
  operations: SqlRepetition['operations'];
  /** DOCTORED when set: another timer bound than the run's. */
  timerBoundMs?: number;
}

/** A real repetition as a check case (its events deep-copied, so a test may doctor them). */
function real(record: SqlPoolRecord, trial: string, index = 0): Case {
  const rep = repetitionOf(record, trial, index);
  return { record, trial, events: clone(rep.events), operations: rep.operations };
}

function evaluate(c: Case) {
  const t = trialOf(c.record, c.trial);
  return evaluateChecks({
    fault: t.fault,
    ordering: t.ordering,
    poolMax: c.record.parameters.pool.max,
    timerBoundMs: c.timerBoundMs ?? c.record.parameters.timerBoundMs,
    events: c.events,
  });
}

function check(c: Case, name: string) {
  const found = evaluate(c).find((x) => x.name === name);
  if (!found) throw new Error(`${c.trial} has no check ${name}`);
  return found;
}

/** The verdict of the repetition with these checks: what the scenario would record. */
const verdictOf = (c: Case) => classifyRepetition({ operations: c.operations, checks: evaluate(c) });

/** The events of a kind, for doctoring. */
const events = (c: Case, source: SqlEvent['source'], event: SqlEvent['event']) =>
  c.events.filter((e) => e.source === source && e.event === event);
const one = (c: Case, source: SqlEvent['source'], event: SqlEvent['event']) => {
  const found = events(c, source, event);
  if (found.length === 0) throw new Error(`no ${source} ${event} in ${c.trial}`);
  return found[0]!;
};
const tOf = (c: Case, source: SqlEvent['source'], event: SqlEvent['event']) => one(c, source, event).t;
const remove = (c: Case, e: SqlEvent) => c.events.splice(c.events.indexOf(e), 1);

/** Expects the check to fail, and the repetition (which has a real outcome) to be not counted. */
function expectNotMet(c: Case, name: string, observed: RegExp) {
  const result = check(c, name);
  expect(result.met, result.observed).toBe(false);
  expect(result.observed).toMatch(observed);
  expect(c.operations).toHaveLength(4); // a full repetition, with an outcome of its own…
  expect(verdictOf(c)).toBe('condition-not-met'); // …that does not count
}

function expectMet(c: Case, name: string, observed: RegExp) {
  const result = check(c, name);
  expect(result.met, result.observed).toBe(true);
  expect(result.observed).toMatch(observed);
  expect(evaluate(c).every((x) => x.met)).toBe(true);
  expect(verdictOf(c)).not.toBe('condition-not-met');
}

describe('which checks a trial needs', () => {
  it('every fault and ordering gets its own conditions, and nothing else', () => {
    const table = Object.fromEntries(
      SqlFault.options.flatMap((f) => SqlOrdering.options.map((o) => [`${f}/${o}`, checkNamesFor(f, o)])),
    );
    expect(table).toEqual({
      'terminate/after': ['pool-warm', 'sessions-gone-before-resume'],
      'terminate/timer': ['pool-warm', 'timer-on-first-tick', 'sessions-gone-before-resume'],
      'idle-timeout/after': ['pool-warm', 'sessions-gone-before-resume'],
      'idle-timeout/timer': ['pool-warm', 'timer-on-first-tick', 'sessions-gone-before-resume'],
      'rst/after': ['pool-warm', 'every-connection-broken'],
      'rst/timer': ['pool-warm', 'timer-on-first-tick', 'every-connection-broken'],
      'fin/after': ['pool-warm', 'every-connection-broken'],
      'fin/timer': ['pool-warm', 'timer-on-first-tick', 'every-connection-broken'],
      'lazy-rst/after': ['pool-warm', 'rst-answered-first-packet'],
      'lazy-rst/timer': ['pool-warm', 'timer-on-first-tick', 'rst-answered-first-packet'],
      'blackhole/after': ['pool-warm', 'silent-until-watchdog'],
      'blackhole/timer': ['pool-warm', 'timer-on-first-tick', 'silent-until-watchdog'],
      'kernel-blackhole/after': ['pool-warm', 'drop-counted-packets'],
      'kernel-blackhole/timer': ['pool-warm', 'timer-on-first-tick', 'drop-counted-packets'],
      'cold-start/after': ['froze-mid-handshake', 'sessions-gone-before-resume'],
      'cold-start/timer': ['froze-mid-handshake', 'timer-on-first-tick', 'sessions-gone-before-resume'],
    });
    // Every check is used by some trial.
    expect(new Set(Object.values(table).flat())).toEqual(new Set(CHECKS.map((c) => c.name)));
  });

  it('re-evaluated on the real records, every repetition gets the checks and the verdict it was recorded with', () => {
    let repetitions = 0;
    for (const record of fixtureRecords()) {
      for (const trial of record.trials) {
        for (const rep of trial.repetitions) {
          const checks = evaluateChecks({
            fault: trial.fault,
            ordering: trial.ordering,
            poolMax: record.parameters.pool.max,
            timerBoundMs: record.parameters.timerBoundMs,
            events: rep.events,
          });
          expect(checks, `${record.runtime.label} ${trial.id} #${rep.index}`).toEqual(rep.checks);
          expect(classifyRepetition({ ...rep, checks })).toBe(rep.verdict);
          repetitions++;
        }
        expect(classifyTrial(trial.repetitions)).toEqual(trial.verdict);
      }
    }
    expect(repetitions).toBe(80);
  });
});

describe('pool-warm', () => {
  it('met: four distinct backends served the warm-up (real blackhole/after, 1.3.14)', () => {
    expectMet(
      real(zigA, 'blackhole/after'),
      'pool-warm',
      /^4 of 4 pooled connections served a query before the freeze$/,
    );
  });
  it('not met: doctored so that the warm-up saw only three backends (one pid repeated)', () => {
    const c = real(zigA, 'blackhole/after');
    const ready = one(c, 'bun', 'ready');
    const pids = ready.detail!.pids as number[];
    ready.detail!.pids = [pids[0]!, pids[0]!, pids[1]!, pids[2]!];
    expectNotMet(c, 'pool-warm', /^3 of 4 pooled connections/);
  });
  it('not met: doctored so that the worker never reported ready', () => {
    const c = real(zigA, 'terminate/after');
    remove(c, one(c, 'bun', 'ready'));
    expectNotMet(c, 'pool-warm', /^0 of 4/);
  });
});

describe('froze-mid-handshake (cold-start)', () => {
  it('met: 2 of 4 connections had completed startup at the freeze, the server closed 4 sessions (real, 1.3.14)', () => {
    expectMet(
      real(zigA, 'cold-start/timer'),
      'froze-mid-handshake',
      /^2 of 4 connections had completed startup in Bun at the freeze; the server closed 4 sessions$/,
    );
  });
  it('not met, as measured: every handshake had completed before the freeze (real attempt, not counted)', () => {
    const c = real(zigB, 'cold-start/after', 1);
    expect(repetitionOf(zigB, 'cold-start/after', 1).verdict).toBe('condition-not-met');
    expectNotMet(c, 'froze-mid-handshake', /^4 of 4 connections had completed startup/);
  });
  it('not met: doctored so that the server closed only the sessions Bun had completed (2 connected, 2 terminated)', () => {
    const c = real(zigA, 'cold-start/timer');
    expect(events(c, 'harness', 'fault')).toHaveLength(1); // this run swept once, at the freeze
    one(c, 'harness', 'fault').detail!.terminated = 2;
    expectNotMet(
      c,
      'froze-mid-handshake',
      /^2 of 4 connections had completed startup in Bun at the freeze; the server closed 2 sessions$/,
    );
  });
  it('not met: doctored so that all 4 had completed startup, however many sessions the server closed', () => {
    const c = real(zigA, 'cold-start/timer');
    one(c, 'bun', 'freezing').detail!.connected = 4;
    one(c, 'harness', 'fault').detail!.terminated = 5;
    expectNotMet(c, 'froze-mid-handshake', /^4 of 4 connections had completed startup/);
  });
  it('the sweep just before SIGCONT counts too', () => {
    const c = real(zigA, 'cold-start/timer');
    const first = one(c, 'harness', 'fault');
    first.detail!.terminated = 2;
    const again: SqlEvent = {
      t: tOf(c, 'harness', 'sessions-before-resume') - 1,
      source: 'harness',
      event: 'fault',
      detail: { fault: 'cold-start', again: true, terminated: 1 },
    };
    c.events.splice(c.events.indexOf(one(c, 'harness', 'sessions-before-resume')), 0, again);
    expectMet(c, 'froze-mid-handshake', /the server closed 3 sessions$/);
  });
  it('not met: doctored so that the worker did not report its connections before stopping', () => {
    const c = real(zigA, 'cold-start/timer');
    remove(c, one(c, 'bun', 'freezing'));
    expectNotMet(c, 'froze-mid-handshake', /^the worker did not report its connections before stopping$/);
  });
});

describe('timer-on-first-tick (timer ordering)', () => {
  it('met: the timer fired 6.8 ms after the resume tick, before the first close event (real rst/timer, 1.3.14)', () => {
    expectMet(
      real(zigA, 'rst/timer'),
      'timer-on-first-tick',
      /^the timer fired 6\.8 ms from the resume tick on Bun's clock \(bound ±100 ms\), before the first close event$/,
    );
  });
  it('not met: doctored so that the timer fired 1 s after the resume (a timer that was not overdue)', () => {
    const c = real(zigA, 'rst/timer');
    const fired = one(c, 'bun', 'timer_fired');
    fired.detail!.bunT = (one(c, 'bun', 'resumed').detail!.bunT as number) + 1000;
    expectNotMet(
      c,
      'timer-on-first-tick',
      /^the timer fired 1000 ms from the resume tick .*, after the first close event$/,
    );
  });
  it('just inside and just outside the bound', () => {
    const at = (offset: number) => {
      const c = real(zigA, 'rst/timer');
      one(c, 'bun', 'timer_fired').detail!.bunT = (one(c, 'bun', 'resumed').detail!.bunT as number) + offset;
      return check(c, 'timer-on-first-tick').met;
    };
    expect([at(99.9), at(100.1), at(-99.9), at(-100.1)]).toEqual([true, false, true, false]);
  });
  it('not met: doctored so that the timer fired before the freeze (it expired before SIGSTOP)', () => {
    const c = real(zigA, 'rst/timer');
    const resumed = one(c, 'bun', 'resumed').detail!;
    one(c, 'bun', 'timer_fired').detail!.bunT = (resumed.bunT as number) - (resumed.gapMs as number) - 1;
    expectNotMet(c, 'timer-on-first-tick', /^the timer fired -\d+(\.\d)? ms from the resume tick/);
  });
  it('not met, whatever the bound: a timer that fired before the freeze (doctored, with a bound wider than the pause)', () => {
    const c = real(zigA, 'rst/timer');
    const resumed = one(c, 'bun', 'resumed').detail!;
    one(c, 'bun', 'timer_fired').detail!.bunT = (resumed.bunT as number) - (resumed.gapMs as number) - 1;
    c.timerBoundMs = 10_000;
    expectNotMet(c, 'timer-on-first-tick', /\(bound ±10000 ms\)/);
    one(c, 'bun', 'timer_fired').detail!.bunT = (resumed.bunT as number) - (resumed.gapMs as number) + 1; // just after the freeze
    expect(check(c, 'timer-on-first-tick').met).toBe(true);
  });
  it("a stall during the warm-up (a gap of the worker's interval before the freeze) is not the resume", () => {
    // DOCTORED: an extra `resumed` line as a 600 ms stall of a starved worker would print while warming
    // up, before SIGSTOP. The timer still fired 6.8 ms after the real resume.
    const c = real(zigA, 'rst/timer');
    const ready = one(c, 'bun', 'ready');
    const stall: SqlEvent = {
      t: ready.t - 1,
      source: 'bun',
      event: 'resumed',
      detail: { bunT: (ready.detail!.bunT as number) - 1, gapMs: 600 },
    };
    c.events.splice(c.events.indexOf(ready), 0, stall);
    expectMet(c, 'timer-on-first-tick', /^the timer fired 6\.8 ms from the resume tick/);
  });
  it('not met: doctored so that the timer never fired', () => {
    const c = real(zigA, 'rst/timer');
    remove(c, one(c, 'bun', 'timer_fired'));
    expectNotMet(c, 'timer-on-first-tick', /^the timer never fired$/);
  });
  it('not met: doctored so that the worker never reported the resume', () => {
    const c = real(zigA, 'rst/timer');
    remove(c, one(c, 'bun', 'resumed'));
    expectNotMet(c, 'timer-on-first-tick', /^the worker never reported the resume$/);
  });
});

describe('sessions-gone-before-resume (terminate, idle-timeout, cold-start)', () => {
  it('met: no session of the worker left before SIGCONT (real terminate/after and idle-timeout/after, 1.3.14)', () => {
    expectMet(
      real(zigA, 'terminate/after'),
      'sessions-gone-before-resume',
      /^0 server sessions of the worker left just before SIGCONT$/,
    );
    expectMet(real(zigB, 'idle-timeout/after'), 'sessions-gone-before-resume', /^0 server sessions/);
  });
  it('not met, as measured: a cold-start attempt with a session left at SIGCONT (real attempt, not counted)', () => {
    const rep = repetitionOf(zigA, 'cold-start/after', 0);
    expect(rep.verdict).toBe('condition-not-met');
    expectNotMet(
      real(zigA, 'cold-start/after', 0),
      'sessions-gone-before-resume',
      /^[1-9]\d* server sessions? of the worker left/,
    );
  });
  it('not met: doctored so that the idle reaper had left one session', () => {
    const c = real(zigB, 'idle-timeout/after');
    one(c, 'harness', 'sessions-before-resume').detail!.sessions = 1;
    expectNotMet(c, 'sessions-gone-before-resume', /^1 server session of the worker left just before SIGCONT$/);
  });
  it('not met: doctored so that the sessions could not be counted (-1, the query failed)', () => {
    const c = real(zigA, 'terminate/after');
    one(c, 'harness', 'sessions-before-resume').detail!.sessions = -1;
    expectNotMet(c, 'sessions-gone-before-resume', /^the server sessions could not be counted before the resume$/);
  });
});

describe('every-connection-broken (rst, fin)', () => {
  it('met: the proxy sent an RST, a FIN, on all 4 pooled connections before SIGCONT (real, 1.3.14)', () => {
    expectMet(
      real(zigA, 'rst/timer'),
      'every-connection-broken',
      /^the proxy sent an RST on 4 of 4 pooled connections before SIGCONT$/,
    );
    expectMet(
      real(zigA, 'fin/after'),
      'every-connection-broken',
      /^the proxy sent a FIN on 4 of 4 pooled connections before SIGCONT$/,
    );
  });
  it('not met: doctored so that one connection got no RST', () => {
    const c = real(zigA, 'rst/after');
    remove(c, events(c, 'proxy', 'rst-sent')[0]!);
    expectNotMet(c, 'every-connection-broken', /^the proxy sent an RST on 3 of 4/);
  });
  it('not met: doctored so that one FIN went out only after SIGCONT', () => {
    const c = real(zigA, 'fin/after');
    events(c, 'proxy', 'fin-sent')[0]!.t = tOf(c, 'harness', 'sigcont') + 1;
    expectNotMet(c, 'every-connection-broken', /^the proxy sent a FIN on 3 of 4/);
  });
  it('not met: doctored so that the same connection is reported twice and another never', () => {
    const c = real(zigA, 'rst/after');
    const sent = events(c, 'proxy', 'rst-sent');
    sent[1]!.detail!.id = sent[0]!.detail!.id!;
    expectNotMet(c, 'every-connection-broken', /on 3 of 4/);
  });
  it('an RST is not a FIN: the rst-sent events do not satisfy the fin trial', () => {
    const c = real(zigA, 'fin/after');
    for (const e of events(c, 'proxy', 'fin-sent')) e.event = 'rst-sent';
    expectNotMet(c, 'every-connection-broken', /^the proxy sent a FIN on 0 of 4/);
  });
});

describe('rst-answered-first-packet (lazy-rst)', () => {
  it('met: nothing before SIGCONT, RSTs answered Bun’s packets after it (real, 1.3.14)', () => {
    expectMet(
      real(zigA, 'lazy-rst/after'),
      'rst-answered-first-packet',
      /^4 RSTs answered Bun's packets after SIGCONT, 0 before it$/,
    );
  });
  it('not met: doctored so that one RST reached Bun during the pause', () => {
    const c = real(zigA, 'lazy-rst/after');
    events(c, 'proxy', 'lazy-rst-fire')[0]!.t = tOf(c, 'harness', 'sigcont') - 1;
    expectNotMet(c, 'rst-answered-first-packet', /^3 RSTs answered Bun's packets after SIGCONT, 1 before it$/);
  });
  it('not met: doctored so that no packet of Bun ever met the RST', () => {
    const c = real(zigA, 'lazy-rst/after');
    for (const e of events(c, 'proxy', 'lazy-rst-fire')) remove(c, e);
    expectNotMet(c, 'rst-answered-first-packet', /^0 RSTs answered/);
  });
});

describe('silent-until-watchdog (blackhole)', () => {
  it('met: 4 of 4 blackholed, none closed before the first operation’s watchdog (real, 1.3.14)', () => {
    expectMet(
      real(zigA, 'blackhole/after'),
      'silent-until-watchdog',
      /^4 of 4 connections blackholed; 0 closed before the first operation ended; 5 chunks dropped, none forwarded$/,
    );
  });
  it('not met: doctored so that one blackholed connection was closed before the first operation ended', () => {
    const c = real(zigA, 'blackhole/after');
    const id = (one(c, 'proxy', 'fault').detail!.ids as number[])[1]!;
    const at = tOf(c, 'harness', 'sigcont') + 10;
    c.events.push({ t: at, source: 'proxy', event: 'close', detail: { id, mode: 'blackhole' } });
    c.events.sort((a, b) => a.t - b.t);
    expectNotMet(c, 'silent-until-watchdog', /; 1 closed before the first operation ended;/);
  });
  it('closes after the first operation’s watchdog (the worker being killed) do not count', () => {
    const c = real(zigA, 'blackhole/after');
    expect(events(c, 'proxy', 'close').length).toBe(4); // all at the end, after SIGKILL
    expect(check(c, 'silent-until-watchdog').met).toBe(true);
  });
  it('not met: doctored so that only 3 of the 4 connections were blackholed', () => {
    const c = real(zigA, 'blackhole/after');
    one(c, 'harness', 'fault').detail!.affected = 3;
    expectNotMet(c, 'silent-until-watchdog', /^3 of 4 connections blackholed/);
  });
});

describe('drop-counted-packets (kernel-blackhole)', () => {
  it('met: DROP rules on the 4 flows counted Bun’s packets (real, 1.3.14)', () => {
    expectMet(
      real(zigB, 'kernel-blackhole/after'),
      'drop-counted-packets',
      /^DROP rules on 4 of 4 flows counted 30 packets$/,
    );
  });
  it('not met: doctored so that the DROP rules counted nothing', () => {
    const c = real(zigB, 'kernel-blackhole/after');
    one(c, 'proxy', 'iptables-counters').detail!.packets = 0;
    expectNotMet(c, 'drop-counted-packets', /counted 0 packets$/);
  });
  it('not met: doctored so that one flow had no DROP rule', () => {
    const c = real(zigB, 'kernel-blackhole/after');
    const drop = one(c, 'proxy', 'iptables-drop');
    drop.detail!.ports = (drop.detail!.ports as number[]).slice(1);
    expectNotMet(c, 'drop-counted-packets', /^DROP rules on 3 of 4 flows/);
  });
  it('not met: doctored so that the counters were never read', () => {
    const c = real(zigB, 'kernel-blackhole/after');
    remove(c, one(c, 'proxy', 'iptables-counters'));
    expectNotMet(c, 'drop-counted-packets', /counted 0 packets$/);
  });
});

describe('counted exactly when every check met', () => {
  it('in the real 1.4.5 run, every counted repetition met every check, and every uncounted one failed at least one', () => {
    for (const trial of rustA.trials) {
      for (const rep of trial.repetitions) {
        const met = rep.checks.every((c) => c.met);
        expect(met, `${trial.id} #${rep.index}`).toBe(rep.verdict !== 'condition-not-met');
      }
    }
  });
});
