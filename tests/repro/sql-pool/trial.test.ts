// One real trial per build against embedded PostgreSQL: lazy RST (every stale connection found by a
// failing query), then sql.begin(). Bun 1.3.14's pool drives its query count negative and begin()
// never settles; 1.4.5 dials fresh connections and the transaction runs (sql-pool-experiments.md §5.2, §6).
// Watchdogs are small here: they are parameters of the trial, not timing assertions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolveBuilds, type Build } from '../../../repro/harness/builds.ts';
import { livePids } from '../../../repro/harness/processes.ts';
import { startPostgres, type Postgres } from '../../../repro/harness/services/postgres.ts';
import { faults } from '../../../repro/scenarios/sql-pool/faults.ts';
import { proxyPath } from '../../../repro/scenarios/sql-pool/network.ts';
import {
  AFTER_DELAY_MS,
  TIMER_BOUND_MS,
  TIMER_DELAY_MS,
  runRepetition,
} from '../../../repro/scenarios/sql-pool/repetition.ts';
import { classifyRepetition } from '../../../repro/scenarios/sql-pool/verdict.ts';
import type { SqlRepetition } from '../../../repro/core/record/schema.ts';

let builds: Build[];
let postgres: Postgres;

beforeAll(async () => {
  builds = await resolveBuilds([]);
  postgres = await startPostgres({ databaseUrl: null, port: null, idleSessionTimeoutMs: 2000 });
});

afterAll(async () => {
  await postgres?.stop();
});

async function lazyRstTrial(build: Build) {
  const result = await runRepetition({
    build,
    postgres,
    fault: faults['lazy-rst'],
    ordering: 'after',
    pauseMs: 1000,
    pool: { max: 4, idleTimeoutMs: null, maxLifetimeMs: null, connectionTimeoutMs: null },
    timing: { afterDelayMs: AFTER_DELAY_MS, timerDelayMs: TIMER_DELAY_MS, timerBoundMs: TIMER_BOUND_MS },
    firstWatchdogMs: 5000,
    followUpWatchdogMs: 3000,
    index: 0,
    openPath: (log) => proxyPath(postgres, (e) => log.add('proxy', e.event, e.detail)),
    signal: new AbortController().signal,
  });
  expect(result.failure).toBeNull();
  const workerPid = result.repetition.events.find((e) => e.event === 'worker-started')!.detail!.pid as number;
  // The worker was SIGKILLed before the repetition returned: no process, and no longer tracked.
  expect(existsSync(`/proc/${workerPid}`)).toBe(false);
  expect(livePids()).not.toContain(workerPid);
  // The trial's conditions held, so the repetition counts: a full warm-up, and RSTs only after the pause.
  expect(result.repetition.checks.map((c) => [c.name, c.met])).toEqual([
    ['pool-warm', true],
    ['rst-answered-first-packet', true],
  ]);
  return result.repetition;
}

describe('lazy-rst then sql.begin(), real PostgreSQL', () => {
  it('Bun 1.3.14: the stale connections fail fast, then begin() hangs', async () => {
    const rep = await lazyRstTrial(builds.find((b) => b.runtime.version === '1.3.14')!);
    const [first, second, , begin] = rep.operations;
    expect(first).toMatchObject({ op: 'first', outcome: 'error', code: 'ERR_POSTGRES_CONNECTION_CLOSED' });
    expect(second).toMatchObject({ outcome: 'error', code: 'ERR_POSTGRES_CONNECTION_CLOSED' });
    expect(begin).toMatchObject({ op: 'begin', outcome: 'hang' });
    expect(rep.verdict).toBe('hangs');
    expect(classifyRepetition(rep)).toBe('hangs');
    // begin() is pending on fresh, healthy connections: the pool reconnected, and still did not serve it.
    expect(rep.onconnect).toBeGreaterThan(4);
    // The mechanism, read from the running worker: no keepalive on any pooled connection.
    expect(socketsSeen(rep)).toEqual({
      optionsError: null,
      atFreeze: ['established', 'none'],
      options: { keepAlive: false, userTimeoutMs: 0 },
    });
  });

  it('Bun 1.4.5: the stale connections fail fast, then begin() works', async () => {
    const rep = await lazyRstTrial(builds.find((b) => b.runtime.version === '1.4.5')!);
    expect(rep.operations[0]).toMatchObject({ op: 'first', outcome: 'error', code: 'ERR_POSTGRES_CONNECTION_CLOSED' });
    expect(rep.operations.at(-1)).toMatchObject({ op: 'begin', outcome: 'ok' });
    expect(rep.operations.some((o) => o.outcome === 'hang')).toBe(false);
    expect(rep.verdict).toBe('fails-fast');
    expect(classifyRepetition(rep)).toBe('fails-fast');
    // Keepalive on every pooled connection: set by Bun (getsockopt) and armed in the kernel (/proc).
    expect(socketsSeen(rep)).toEqual({
      optionsError: null,
      atFreeze: ['established', 'keepalive'],
      options: { keepAlive: true, userTimeoutMs: 0 },
    });
    expect(
      rep.sockets!.connections.every(
        (c) => c.options!.keepIdleS > 0 && c.atFreeze.timerMs! <= c.options!.keepIdleS * 1000,
      ),
    ).toBe(true);
  });
});

/** What every pooled connection showed, when they all agree (else the test fails on the first that differs). */
function socketsSeen(rep: SqlRepetition) {
  const { connections, optionsError } = rep.sockets!;
  // Every connection of the pool (max 4) is read.
  expect(connections).toHaveLength(4);
  const distinct = (values: unknown[]) =>
    [...new Set(values.map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as unknown);
  const [atFreeze, ...moreStates] = distinct(connections.map((c) => [c.atFreeze.state, c.atFreeze.timer]));
  const [options, ...moreOptions] = distinct(
    connections.map((c) => ({ keepAlive: c.options?.keepAlive, userTimeoutMs: c.options?.userTimeoutMs })),
  );
  expect([moreStates, moreOptions]).toEqual([[], []]);
  return { optionsError, atFreeze, options };
}
