// oven-sh/bun#32659: aborting a streaming fetch() with an AbortController keeps the body it had
// received but not read in memory for as long as the response stays referenced; no collection
// returns it. The probe aborts 60 long streaming bodies after reading a few chunks of each, holds
// them, and the verdict is the rise of anonymous resident memory; the same run with
// reader.cancel(), in a child process, is the report's control.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const MiB = 2 ** 20;
const bytes = z.number().int().nonnegative();

/** What each phase (the aborts, and the reader.cancel() control) reports. */
const phase = {
  held: z.number().int(),
  baselineAnonBytes: bytes,
  endAnonBytes: bytes,
  readBytes: bytes,
  serverStreams: z.number().int(),
  serverBytes: bytes,
  serverOpenAtEnd: z.number().int(),
  heapUsedBytes: bytes,
};

/** A phase's fields under the probe's names for them: abortHeld, cancelHeld… */
function prefixed<P extends string, S extends Record<string, z.ZodTypeAny>>(prefix: P, shape: S) {
  return Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]),
  ) as {
    [K in keyof S & string as `${P}${Capitalize<K>}`]: S[K];
  };
}

export const failure = defineFailure({
  id: 'fetch-abort-stream-leak',
  title: 'An aborted streaming fetch keeps its body',
  heading: { wide: 'aborted fetch\nkeeps its body', narrow: 'fetch\nabort leak' },
  kind: 'leak',
  summary:
    'Aborting a streaming fetch() with an AbortController should release the part of the body that arrived but was never read. On ' +
    'affected builds it stays in memory for as long as the response is referenced, and a full garbage collection does not return ' +
    'it, so a proxy that aborts its upstream request whenever a client disconnects grows until it runs out of memory.',
  issue: {
    number: 32659,
    title: 'fetch(): aborting an in-flight streaming response via AbortController retains the response body off-heap',
    reported: '1.3.14 and 1.2.20 (Linux x64); stopping the body with reader.cancel() does not leak',
  },
  fix: {
    pr: 32662,
    status: 'merged',
    note: 'merged 2026-06-24 into the Rust line; first in 1.4.0 (inferred from the merge date)',
  },
  services: ['server'],
  parameters: { iterations: 60, readChunks: 3, waitMs: 50 },
  timeoutMs: 60_000,
  repetitions: 1,
  measurement: z.object({
    iterations: z.number().int().positive(),
    readChunks: z.number().int().nonnegative(),
    waitMs: z.number().nonnegative(),
    ...prefixed('abort', phase),
    ...prefixed('cancel', phase),
  }),
  keyFigure: {
    label: 'RssAnon rise after 60 aborted bodies, held and collected',
    unit: 'MiB',
    threshold: 20,
    of: (m) => (m.abortEndAnonBytes - m.abortBaselineAnonBytes) / MiB,
  },
  verdict: {
    rule:
      'affected when anonymous resident memory rises by 20 MiB or more over 60 streaming fetches aborted with unread bytes and kept ' +
      'referenced; not affected under 12 MiB; inconclusive in between, or when the server sent less than 15 MiB the probe did not read',
    reason:
      'The report saw RSS grow without bound with each aborted stream, and the fix’s own test counts the growth over 60 aborts. Here the ' +
      'server streams at most 12.5 MiB/s and the probe reads 3 chunks, waits 50 ms and aborts, so about 0.5 MiB of each body has ' +
      'arrived unread, some 30 MiB over the run (the probe reports the server’s bytes and its own): a build that keeps it rises by at ' +
      'least that much, a build that frees it only by the held responses and readers, a few MiB. 20 MiB sits between the two; a rise ' +
      'from 12 to 20 MiB is neither, and a run whose bodies did not stream enough to leak 15 MiB cannot tell. The control stops the same ' +
      'bodies with reader.cancel() and should stay as flat as a fixed build. Part of what an affected build keeps sits in the JS heap ' +
      'here (the held readers’ queued chunks), the rest in native memory; the rise counts both.',
    decide: (m) => {
      if (m.abortServerStreams < m.iterations || m.abortServerBytes - m.abortReadBytes < 15 * MiB)
        return 'inconclusive';
      const rise = (m.abortEndAnonBytes - m.abortBaselineAnonBytes) / MiB;
      return rise >= 20 ? 'affected' : rise < 12 ? 'not-affected' : 'inconclusive';
    },
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
