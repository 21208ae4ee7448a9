// oven-sh/bun#43246 (and #43248): reserved.release() while a reserved.begin() transaction is still
// open hands the connection back to the pool mid-transaction. With a pool of one, the next
// sql.begin() runs inside that transaction, the reserved transaction's COMMIT commits the other
// caller's row too, and the other caller's rollback has nothing left to undo. The probe is the
// issue's script; the verdict is whether the row that was rolled back is committed.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const measurement = z.object({
  rows: z.array(z.string().max(20)).max(10),
  tx2RowCommitted: z.boolean(),
  nestedRowCommitted: z.boolean(),
  nestedOutcome: z.string().max(300),
  tx2Outcome: z.string().max(300),
  gateOpenedBy: z.enum(['tx2', 'timer']).nullable(),
  sameBackend: z.boolean(),
  tx2StartedMs: z.number().nullable(),
  nestedCommittedMs: z.number().nullable(),
});

export const failure = defineFailure({
  id: 'sql-reserved-release-in-begin',
  title: "release() mid-transaction commits another caller's rolled-back row",
  heading: { wide: 'SQL release in\nbegin: row kept', narrow: 'SQL release\nin begin' },
  kind: 'wrong-result',
  summary:
    'A transaction that throws must leave nothing behind. When a reserved connection is released while its own transaction is ' +
    "still open, affected builds give the connection to the next caller at once: that caller's transaction runs inside the " +
    'open one, the reserved transaction commits both, and the row the caller rolled back stays in the table.',
  issue: {
    number: 43246,
    title:
      "Bun.SQL: reserved.release() during a running reserved.begin() lets the nested transaction commit inside the next caller's transaction",
    reported: '1.4.3-canary.1 (the code is the same on main); 1.3.14 not tested',
  },
  fix: {
    pr: 43255,
    status: 'open',
    note: 'release() waits for the reserved transaction before the pool gets the connection back; open as last seen',
  },
  services: ['postgres'],
  parameters: { gateMs: 3_000 },
  timeoutMs: 20_000,
  repetitions: 3,
  measurement,
  keyFigure: {
    label: 'Rolled-back row committed (1 yes, 0 no)',
    unit: 'rows',
    threshold: 1,
    of: (m) => (m.tx2RowCommitted ? 1 : 0),
  },
  verdict: {
    rule:
      'affected when the row of the caller whose transaction threw is committed at the end; not affected when it is not, the ' +
      "caller's transaction was rolled back and the reserved transaction committed its own row",
    reason:
      "The issue's script prints both rows on 1.4.3-canary.1, where the caller's throw must leave only the reserved transaction's " +
      'row. The answer is a yes or no, read from the committed table after a rollback of anything left open, so one row is the ' +
      'whole margin; every run must agree, and a run where a step failed otherwise (a rejected reserved transaction, an error ' +
      'other than the thrown one) decides nothing.',
    decide: (m) => {
      if (m.tx2Outcome !== 'rolled back') return 'inconclusive';
      if (m.tx2RowCommitted) return 'affected';
      return m.nestedOutcome === 'committed' && m.nestedRowCommitted ? 'not-affected' : 'inconclusive';
    },
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
