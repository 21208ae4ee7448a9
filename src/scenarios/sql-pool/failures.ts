// The SQL pool's columns in the version matrix (/affected/): one per failure its quick protocols measure.
import type { PoolSocket, SqlTrial } from '../../../repro/core/record/schema.ts';
import { countedOf, distributionText, modalOutcome } from '../../../repro/scenarios/sql-pool/outcomes.ts';
import { isOutcome } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';
import { formatInt } from '../../lib/format.ts';

type SqlFailureSpec = Pick<Failure, 'id' | 'title' | 'heading' | 'definition' | 'kind' | 'issue' | 'fix'> & {
  /** The quick protocol that measures it, as `npm run repro -- sql-pool` flags. */
  protocol: string;
  /** The trials that decide it. */
  trials: readonly string[];
  /** The outcome that makes a build affected, when it is the most frequent one. */
  bad: 'hangs' | 'corrupted';
  /** What the repetitions measured of the mechanism, for the cell. */
  why?(trials: readonly SqlTrial[]): string | undefined;
};

/** A SQL failure: its trials, affected when the most frequent outcome of any of them is the bad one. */
function sqlFailure({ trials: ids, bad, why, protocol, ...about }: SqlFailureSpec): Failure {
  return {
    ...about,
    // The share of counted repetitions that ended badly: affected from half on (the most frequent outcome).
    keyFigure: {
      label: `counted repetitions that ${bad === 'hangs' ? 'hung' : 'ended corrupted'}`,
      unit: '%',
      threshold: 50,
    },
    probe: 'repro/scenarios/sql-pool/worker.ts',
    rerun: `npm run repro -- sql-pool --bun <version> ${protocol}`,
    article: 'sql-pool-after-scale-to-zero',
    cell(records) {
      const r = completeRecord(records, 'sql-pool', (x) => x.trials.some((t) => ids.includes(t.id)));
      if (!r) return notRun;
      const trials = r.trials.filter((t) => ids.includes(t.id));
      const modal = trials.map((t) => modalOutcome(t.verdict.counts));
      const outcomes = trials
        .map((t) => `${t.ordering}: ${distributionText(t.verdict.counts, t.verdict.notMet)}`)
        .join('; ');
      const mechanism = why?.(trials);
      const text = mechanism ? `${outcomes}; ${mechanism}` : outcomes;
      const counted = trials.reduce((n, t) => n + countedOf(t.verdict.counts), 0);
      const badCount = trials.reduce((n, t) => n + (t.verdict.counts[bad] ?? 0), 0);
      const figure = counted > 0 ? (100 * badCount) / counted : null;
      const base = { text, runId: r.runId, figure, ...(mechanism ? { why: mechanism } : {}) };
      if (trials.some((t) => countedOf(t.verdict.counts) === 0)) return { status: 'inconclusive', ...base };
      return { status: modal.includes(bad) ? 'affected' : 'not-affected', ...base };
    },
  };
}

/**
 * What the counted repetitions' sockets say: whether Bun set keepalive on its pooled connections (and
 * with which timings), and how many of them the kernel had closed by the end of the pause.
 */
function keepaliveText(trials: readonly SqlTrial[]): string | undefined {
  const connections: PoolSocket[] = trials.flatMap((t) =>
    t.repetitions.filter((rep) => isOutcome(rep.verdict)).flatMap((rep) => rep.sockets?.connections ?? []),
  );
  if (connections.length === 0) return undefined;
  const read = connections.filter((c) => c.options !== null);
  const on = read.filter((c) => c.options!.keepAlive);
  const timings = [
    ...new Set(
      on.map(
        (c) => `${c.options!.keepIdleS} s idle, then ${c.options!.keepCnt} probes ${c.options!.keepIntvlS} s apart`,
      ),
    ),
  ];
  const options =
    read.length === 0
      ? 'socket options not read'
      : on.length === 0
        ? 'no keepalive on its connections'
        : `keepalive ${on.length === read.length ? 'on every connection' : `on ${formatInt(on.length)} of ${formatInt(read.length)} connections`} (${timings.join('; ')})`;
  const judged = connections.filter((c) => c.beforeResume !== null);
  const gone = judged.filter((c) => c.beforeResume!.state === 'gone').length;
  return `${options}; ${formatInt(gone)} of ${formatInt(judged.length)} connections closed by the kernel during the pause`;
}

export const sqlFailures: readonly Failure[] = [
  sqlFailure({
    id: 'lazy-rst',
    title: 'begin() hangs after a lazy RST',
    heading: { wide: 'begin() hang\nafter lazy RST', narrow: 'lazy\nRST' },
    definition: 'after a pause, a connection answered with RST makes begin() hang instead of failing',
    kind: 'hang',
    issue: null,
    fix: null,
    protocol: '--faults lazy-rst,cold-start --repetitions 5',
    trials: ['lazy-rst/after', 'lazy-rst/timer'],
    bad: 'hangs',
  }),
  sqlFailure({
    id: 'cold-start',
    title: 'Pool corrupted after a cold start',
    heading: { wide: 'Corrupt pool\nafter cold start', narrow: 'cold\nstart' },
    definition: 'a pool frozen mid-handshake is left corrupted on resume (oven-sh/bun#30947)',
    kind: 'wrong-result',
    issue: {
      number: 30947,
      title: 'Bun.SQL pool corrupted: every query fails with “connection must be a PostgresSQLConnection”',
      reported: '1.3.14 and 1.3.14-canary.1+172afa532',
    },
    fix: { pr: 30950, status: 'closed', note: 'proposed fix with the cause; shows as closed in the sources we have' },
    protocol: '--faults lazy-rst,cold-start --repetitions 5',
    trials: ['cold-start/after', 'cold-start/timer'],
    bad: 'corrupted',
  }),
  sqlFailure({
    id: 'silent-loss',
    title: 'Queries hang after a silent network loss',
    heading: { wide: 'Hang after\nsilent loss', narrow: 'silent\nloss' },
    definition:
      'the kernel drops every packet of the pooled connections during a 90 s pause, and a query after the resume hangs',
    kind: 'hang',
    issue: null,
    fix: null,
    protocol: '--long-pause-only --long-pause-repetitions 4',
    trials: ['kernel-blackhole/after/long'],
    bad: 'hangs',
    why: keepaliveText,
  }),
];
