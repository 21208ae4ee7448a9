// The probe's line protocol, as a zod schema: one JSON object per line on stdout. The harness parses
// every line with it; anything else (a Bun warning, a stack trace) is kept as text for the error message.
import { z } from 'zod';
import { parseJsonLine } from '../../harness/lines.ts';

const Bytes = z.number().int().nonnegative();

const ProbeLine = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    revision: z.string(),
    version: z.string(),
    pid: z.number().int(),
    key: z.string(),
    payloadBytes: Bytes,
  }),
  z.object({
    type: z.literal('sample'),
    iteration: z.number().int().nonnegative(),
    elapsedMs: z.number().nonnegative(),
    rss: Bytes,
    heapUsed: Bytes,
    external: Bytes,
    arrayBuffers: Bytes,
  }),
  /** The loop ended by itself; `verifiedReads` reads returned the whole object. */
  z.object({
    type: z.literal('end'),
    reason: z.enum(['threshold', 'max-iterations']),
    iteration: z.number().int().nonnegative(),
    verifiedReads: z.number().int().nonnegative(),
  }),
]);

export const parseProbeLine = (text: string) => parseJsonLine(ProbeLine, text);
