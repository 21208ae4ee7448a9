// oven-sh/bun#40102: on 1.4.0, every bun:sql query that binds a jsonb parameter leaves the JSON text
// it sent (the payload, about 65 KB here) in native memory for good; the same text bound to a text
// column does not. The probe inserts the report's payload into a text column, then into a jsonb
// column, on one connection, and the verdict is the rise of anonymous resident memory per 1,000
// jsonb inserts, with the text inserts as the control.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const MiB = 2 ** 20;
const bytes = z.number().int().nonnegative();

const measurement = z.object({
  queries: z.number().int().positive(),
  payloadBytes: bytes,
  textRows: bytes,
  textAvgBytes: bytes,
  jsonbRows: bytes,
  jsonbAvgBytes: bytes,
  textBeforeAnonBytes: bytes,
  textAfterAnonBytes: bytes,
  textMs: bytes,
  jsonbBeforeAnonBytes: bytes,
  jsonbAfterAnonBytes: bytes,
  jsonbMs: bytes,
});
type Measurement = z.infer<typeof measurement>;

/** RssAnon rise per 1,000 inserts of one phase, in MiB. */
const perThousand = (m: Measurement, before: number, after: number) => ((after - before) / MiB / m.queries) * 1000;
const jsonbRise = (m: Measurement) => perThousand(m, m.jsonbBeforeAnonBytes, m.jsonbAfterAnonBytes);
const textRise = (m: Measurement) => perThousand(m, m.textBeforeAnonBytes, m.textAfterAnonBytes);
/** Every measured insert arrived, whole, in both tables. */
const complete = (m: Measurement) =>
  m.textRows === m.queries &&
  m.jsonbRows === m.queries &&
  m.textAvgBytes >= m.payloadBytes &&
  m.jsonbAvgBytes >= m.payloadBytes;

export const failure = defineFailure({
  id: 'sql-jsonb-bind-leak',
  title: 'bun:sql leaks every jsonb parameter it binds',
  heading: { wide: 'SQL jsonb\nparameter leak', narrow: 'SQL\njsonb leak' },
  kind: 'leak',
  summary:
    'A bun:sql query that binds a value to a jsonb parameter serializes it to JSON text and sends it; that text should be freed ' +
    'once the query is written. On affected builds it never is, so a service that writes jsonb grows by the size of every payload it ' +
    'ever sent, while the same payload bound as text costs nothing.',
  issue: {
    number: 40102,
    title: '1.4.0 regression: bun:sql leaks native memory on every query binding a jsonb parameter',
    reported:
      '1.4.0 and its canary; 1.3.14 flat (20,000 inserts of ~65 KB: 24 → 1,386 MB on 1.4.0, 44 → 56 MB on 1.3.14)',
  },
  fix: {
    pr: 40238,
    status: 'merged',
    note: 'in 1.4.1 (kernoeb/PlanningSup#212 confirms the commit is an ancestor of bun-v1.4.1)',
  },
  services: ['postgres'],
  parameters: { queries: 1_000, warmup: 20, gcEvery: 250 },
  timeoutMs: 60_000,
  repetitions: 1,
  measurement,
  keyFigure: {
    label: 'RssAnon rise per 1,000 jsonb inserts of ~65 KB, collected',
    unit: 'MiB',
    threshold: 16,
    of: jsonbRise,
  },
  verdict: {
    rule:
      'affected when anonymous resident memory rises by 16 MiB or more per 1,000 jsonb inserts of the ~65 KB payload while the same ' +
      'inserts into a text column rise by under 8 MiB; not affected under 4 MiB per 1,000 jsonb inserts',
    reason:
      'The report measured 1,362 MB over 20,000 jsonb inserts on 1.4.0, about 68 MB per 1,000, the size of the payload each time, and ' +
      'a flat 1.3.14 (12 MB over all 20,000). Here a build that frees the JSON text stays under 2 MiB per 1,000 jsonb inserts; the ' +
      'text control, which runs first and so also carries the heap settling after start-up, rises by up to about 3.5 MiB. 16 MiB is ' +
      'a quarter of the leak and eight times that jsonb noise; a control of 8 MiB or more would be a leak that is not specific to ' +
      'jsonb. Between 4 and 16 MiB, with such a control, or with rows missing in PostgreSQL, the run is inconclusive.',
    decide: (m) => {
      if (!complete(m)) return 'inconclusive';
      const rise = jsonbRise(m);
      if (rise < 4) return 'not-affected';
      return rise >= 16 && textRise(m) < 8 ? 'affected' : 'inconclusive';
    },
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
