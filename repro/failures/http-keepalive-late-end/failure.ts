// oven-sh/bun#31889: a node:http keep-alive server run by Bun drops a request that arrived on a
// reused connection while the previous response, its Content-Length body already written, waited
// for a late end(): it closes the connection with no answer and no `Connection: close`. The probe
// is the report's script: a raw TCP client sends the second request before the server's late end().
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const count = z.number().int().nonnegative();

export const failure = defineFailure({
  id: 'http-keepalive-late-end',
  title: 'node:http drops the next keep-alive request after a late end()',
  heading: { wide: 'node:http drops\nkeep-alive request', narrow: 'keep-alive\ndrop' },
  kind: 'wrong-result',
  summary:
    'A node:http server should answer every request a client sends on a kept-alive connection. On affected builds, when a response ' +
    'has written its whole Content-Length body but calls end() a little later, as a piped file stream does, a request that arrives ' +
    'in between is never handled: the connection is closed with no answer and no `Connection: close`, which a proxy reports as a 502.',
  issue: {
    number: 31889,
    title:
      'node:http keep-alive server drops the next reused request after a Content-Length response finalized by a deferred end()',
    reported:
      '1.3.14 and 1.3.13 (Linux x64); Node.js serves every request, Bun.serve is not affected. Closed; "addressed around 1.4.0" per oven-sh/bun#42212',
  },
  fix: null,
  services: [],
  parameters: { trials: 20, endDelayMs: 50 },
  timeoutMs: 30_000,
  repetitions: 1,
  measurement: z.object({
    trials: z.number().int().positive(),
    endDelayMs: z.number(),
    served: count,
    dropped: count,
    closeAnnounced: count,
    stalled: count,
    firstFailed: count,
    firstBeforeEnd: count,
    handled: count,
  }),
  keyFigure: {
    label: 'second requests dropped unanswered, of 20',
    unit: 'requests',
    threshold: 1,
    of: (m) => m.dropped,
  },
  verdict: {
    rule:
      'affected when at least 1 of 20 second requests on a kept-alive connection is dropped (closed unanswered, no `Connection: close`) ' +
      'after a first response that was complete before its end(); not affected when all 20 are answered',
    reason:
      'The report makes the loss deterministic by deferring end() to a timer (about 0.1% of requests in the wild): on 1.3.13 and ' +
      '1.3.14 the second request is dropped, while Node.js answers all of them. A server that honours keep-alive answers every one, so a single dropped request is the ' +
      'wrong result, as a regression test would assert. The probe counts only trials whose first response was complete before the ' +
      'server’s end(), the report’s condition; a run where that did not hold, or where answers stalled, is inconclusive.',
    decide: (m) => {
      if (m.firstBeforeEnd < m.trials) return 'inconclusive';
      if (m.dropped >= 1) return 'affected';
      return m.served === m.trials ? 'not-affected' : 'inconclusive';
    },
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
