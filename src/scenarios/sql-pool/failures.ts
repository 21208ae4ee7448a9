// The SQL pool's columns in the version matrix (/affected/): one per failure its quick protocols measure.
import type { PoolSocket, SqlPoolRecord, SqlTrial } from '../../../repro/core/record/schema.ts';
import { countedOf, distributionText, modalOutcome } from '../../../repro/scenarios/sql-pool/outcomes.ts';
import { isOutcome } from '../../../repro/scenarios/sql-pool/verdict.ts';
import { completeRecord, notRun, type Failure } from '../../lib/failure.ts';
import { formatInt } from '../../lib/format.ts';

interface SqlFailureSpec {
  id: string;
  title: string;
  heading: Failure['heading'];
  definition: string;
  /** The trials that decide it. */
  trials: readonly string[];
  /** The outcome that makes a build affected, when it is the most frequent one. */
  bad: 'hangs' | 'corrupted';
  /** What the repetitions measured of the mechanism, for the cell. */
  why?(trials: readonly SqlTrial[]): string | undefined;
}

/** A SQL failure: its trials, affected when the most frequent outcome of any of them is the bad one. */
function sqlFailure({ id, title, heading, definition, trials: ids, bad, why }: SqlFailureSpec): Failure {
  return {
    id,
    title,
    heading,
    definition,
    cell(records) {
      const r = completeRecord(records, 'sql-pool', (x) => x.trials.some((t) => ids.includes(t.id)));
      if (!r) return notRun;
      const trials = r.trials.filter((t) => ids.includes(t.id));
      const modal = trials.map((t) => modalOutcome(t.verdict.counts));
      const outcomes = trials.map((t) => `${t.ordering}: ${distributionText(t.verdict.counts, t.verdict.notMet)}`).join('; ');
      const mechanism = why?.(trials);
      const text = mechanism ? `${outcomes}; ${mechanism}` : outcomes;
      const base = { text, runId: r.runId, ...(mechanism ? { why: mechanism } : {}) };
      if (trials.some((t) => countedOf(t.verdict.counts) === 0)) return { status: 'inconclusive', ...base };
      return { status: modal.includes(bad) ? 'affected' : 'not-affected', ...base };
    },
  };
}

/**
 * What the counted repetitions' sockets say: whether Bun set keepalive on its pooled connections (and
 * with which timings), and how many of them the kernel had closed by the end of the pause.
 */
export function keepaliveText(trials: readonly SqlTrial[]): string | undefined {
  const connections: PoolSocket[] = trials.flatMap((t) => t.repetitions.filter((rep) => isOutcome(rep.verdict)).flatMap((rep) => rep.sockets?.connections ?? []));
  if (connections.length === 0) return undefined;
  const read = connections.filter((c) => c.options !== null);
  const on = read.filter((c) => c.options!.keepAlive);
  const timings = [...new Set(on.map((c) => `${c.options!.keepIdleS} s idle, then ${c.options!.keepCnt} probes ${c.options!.keepIntvlS} s apart`))];
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
    trials: ['lazy-rst/after', 'lazy-rst/timer'],
    bad: 'hangs',
  }),
  sqlFailure({
    id: 'cold-start',
    title: 'Pool corrupted after a cold start',
    heading: { wide: 'Corrupt pool\nafter cold start', narrow: 'cold\nstart' },
    definition: 'a pool frozen mid-handshake is left corrupted on resume (oven-sh/bun#30947)',
    trials: ['cold-start/after', 'cold-start/timer'],
    bad: 'corrupted',
  }),
  sqlFailure({
    id: 'silent-loss',
    title: 'Queries hang after a silent network loss',
    heading: { wide: 'Hang after\nsilent loss', narrow: 'silent\nloss' },
    definition: 'the kernel drops every packet of the pooled connections during a 90 s pause, and a query after the resume hangs',
    trials: ['kernel-blackhole/after/long'],
    bad: 'hangs',
    why: keepaliveText,
  }),
];
