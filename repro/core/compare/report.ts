// The compare report: what `npm run repro -- compare` prints and writes as JSON, small enough to
// attach to an issue. Its own schema, so the site and tests read it the way the harness wrote it.
import { z } from 'zod';
import { ScenarioName } from '../record/schema.ts';

export const CompareVerdict = z.enum(['reproduced', 'differs', 'not-comparable']);
export type CompareVerdict = z.infer<typeof CompareVerdict>;

export const CompareRow = z.object({
  scenario: ScenarioName,
  build: z.string(),
  revision: z.string(),
  /** The measurement: "verdict", "threshold read", … or a SQL trial id. */
  item: z.string(),
  published: z.string(),
  yours: z.string(),
  /** The rule applied, in words, or why none could be. */
  rule: z.string(),
  verdict: CompareVerdict,
  /** SQL trials: repetitions counted on each side (the power rule reads them). */
  counted: z.object({ published: z.number().int(), yours: z.number().int() }).nullable().default(null),
  /** SQL trials: Fisher's exact test, raw and Holm-adjusted. */
  p: z.number().min(0).max(1).nullable(),
  pAdjusted: z.number().min(0).max(1).nullable(),
});
export type CompareRow = z.infer<typeof CompareRow>;

const RunRef = z.object({ runId: z.string(), files: z.array(z.string()) });

export const CompareReport = z.object({
  kind: z.literal('casebook-compare'),
  reportVersion: z.literal(1),
  generatedAt: z.iso.datetime(),
  harness: z.object({ version: z.string(), commit: z.string().nullable() }),
  reference: z.array(RunRef),
  yours: z.array(RunRef),
  rows: z.array(CompareRow),
  counts: z.object({ reproduced: z.number().int(), differs: z.number().int(), notComparable: z.number().int() }),
  /** differs if any row differs; reproduced if none does and at least one reproduced; else not-comparable. */
  verdict: CompareVerdict,
});
export type CompareReport = z.infer<typeof CompareReport>;
