// oven-sh/bun#39952: a numeric `fetch(url, { timeout })` aborts whatever request is in flight on a
// fixed 4 s tick. The probe sends sequential requests to a server answering in 20 ms, each with
// `timeout: 1000`, for 10 s, and counts the requests that failed before their timeout had elapsed.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

export const failure = defineFailure({
  id: 'fetch-numeric-timeout',
  title: "fetch's numeric timeout aborts healthy requests",
  heading: { wide: 'fetch timeout\naborts early', narrow: 'fetch\ntimeout' },
  kind: 'wrong-result',
  summary:
    'Bun accepts a numeric `timeout` option on fetch(). On affected builds a timeout of 4 seconds or less does not act as a ' +
    'deadline: it hands the request to a timer that fires on a fixed 4-second tick, so whatever request is in flight at that ' +
    'moment fails with a TimeoutError, even one the server answers in 20 ms.',
  issue: {
    number: 39952,
    title:
      '1.4.0 regression: numeric fetch `timeout` option aborts the in-flight request on a fixed 4 s tick, and never acts as a deadline',
    reported: '1.4.0 and 1.4.0-canary.1; 1.3.14 not affected',
  },
  fix: { pr: 39955, status: 'merged', note: 'merged 2026-08-21; first in 1.4.1 (inferred from the merge date)' },
  services: ['server'],
  parameters: { timeoutMs: 1000, serverDelayMs: 20, durationMs: 10_000 },
  timeoutMs: 40_000,
  repetitions: 2,
  measurement: z.object({
    timeoutMs: z.number(),
    serverDelayMs: z.number(),
    elapsedMs: z.number(),
    requests: z.number().int().nonnegative(),
    completed: z.number().int().nonnegative(),
    wrongBody: z.number().int().nonnegative(),
    serverAnswered: z.number().int().nonnegative(),
    medianLatencyMs: z.number().nullable(),
    spurious: z.number().int().nonnegative(),
    spuriousStartMs: z.array(z.number()),
    spuriousAfterMs: z.array(z.number()),
    lateTimeouts: z.number().int().nonnegative(),
    errorNames: z.array(z.string()),
  }),
  keyFigure: {
    label: 'requests aborted before their timeout, in 10 s',
    unit: 'requests',
    threshold: 1,
    of: (m) => m.spurious,
  },
  verdict: {
    rule:
      'affected when at least 1 of the sequential requests (timeout 1000 ms, server answering in 20 ms) fails before its 1000 ms have elapsed; ' +
      'not affected when none does and at least 100 requests completed in the 10 s',
    reason:
      'A request the server answers in 20 ms has no reason to fail within a 1000 ms timeout, so a single early failure is the wrong result; ' +
      'the fix’s own test likewise keeps requests in flight across a full 4-second tick with a 1000 ms timeout (its PR says stock 1.4.0 ' +
      'aborted three of them at t = 4 s). The report and the fix describe at most one aborted request per tick, so 1 or 2 in 10 s, ' +
      'for any timeout up to 4000 ms; an unaffected build fails none. A run that completed fewer than 100 requests (about 450 fit in 10 s) or got a ' +
      'wrong body measured too little to say, and is called inconclusive.',
    decide: (m) =>
      m.spurious >= 1 ? 'affected' : m.completed >= 100 && m.wrongBody === 0 ? 'not-affected' : 'inconclusive',
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
