// The conditions a trial needs, measured from its own events: a repetition counts only when the
// fault, the ordering or the window it claims really happened. Each check is a pure function of the
// repetition's timeline (harness, Bun worker and network path events), so a test can feed it a real
// run or a doctored one.
import type { Check, SqlEvent, SqlFault, SqlOrdering } from '../../core/record/schema.ts';

export interface CheckContext {
  fault: SqlFault;
  ordering: SqlOrdering;
  /** The pool's `max`: how many connections the trial breaks. */
  poolMax: number;
  /** The timer ordering's bound: the timer must fire within this many ms of the resume, on Bun's clock. */
  timerBoundMs: number;
  events: readonly SqlEvent[];
}

interface CheckSpec {
  name: string;
  /** Which trials need it. */
  appliesTo(fault: SqlFault, ordering: SqlOrdering): boolean;
  evaluate(ctx: CheckContext): Omit<Check, 'name'>;
}

const find = (events: readonly SqlEvent[], source: SqlEvent['source'], event: SqlEvent['event']) =>
  events.find((e) => e.source === source && e.event === event);
const all = (events: readonly SqlEvent[], source: SqlEvent['source'], event: SqlEvent['event']) =>
  events.filter((e) => e.source === source && e.event === event);
const num = (e: SqlEvent | undefined, key: string): number | undefined => {
  const v = e?.detail?.[key];
  return typeof v === 'number' ? v : undefined;
};
const timeOf = (events: readonly SqlEvent[], source: SqlEvent['source'], event: SqlEvent['event']) =>
  find(events, source, event)?.t;

/** Full warm-up: every pooled connection was open and had served a query before the freeze. */
const poolWarm: CheckSpec = {
  name: 'pool-warm',
  appliesTo: (fault) => fault !== 'cold-start',
  evaluate({ events, poolMax }) {
    const ready = find(events, 'bun', 'ready');
    const pids = Array.isArray(ready?.detail?.pids) ? new Set(ready.detail.pids).size : 0;
    return {
      met: pids >= poolMax,
      observed: `${pids} of ${poolMax} pooled connections served a query before the freeze`,
    };
  },
};

/** The timer ordering: the timer was overdue at resume and fired on the first tick, before anything else. */
const timerOnFirstTick: CheckSpec = {
  name: 'timer-on-first-tick',
  appliesTo: (_, ordering) => ordering === 'timer',
  evaluate({ events, timerBoundMs }) {
    const fired = num(find(events, 'bun', 'timer_fired'), 'bunT');
    // The gap the worker reports after SIGCONT: a starved worker can report a stall during warm-up too.
    const sigcont = timeOf(events, 'harness', 'sigcont') ?? -Infinity;
    const resumed = events.find((e) => e.source === 'bun' && e.event === 'resumed' && e.t >= sigcont);
    const resumedAt = num(resumed, 'bunT');
    const gap = num(resumed, 'gapMs');
    if (fired === undefined || resumedAt === undefined || gap === undefined) {
      return {
        met: false,
        observed: fired === undefined ? 'the timer never fired' : 'the worker never reported the resume',
      };
    }
    // The worker's 100 ms interval reports the resume on its first tick; both timers were overdue.
    const sinceResume = Math.round((fired - resumedAt) * 10) / 10;
    const afterFreeze = fired > resumedAt - gap;
    const firstClose = all(events, 'bun', 'onclose')
      .map((e) => num(e, 'bunT')!)
      .find((t) => t >= resumedAt - gap);
    const beforeCloses =
      firstClose === undefined
        ? 'no close event after resume'
        : fired <= firstClose
          ? 'before the first close event'
          : 'after the first close event';
    return {
      met: afterFreeze && Math.abs(fired - resumedAt) <= timerBoundMs,
      observed: `the timer fired ${sinceResume} ms from the resume tick on Bun's clock (bound ±${timerBoundMs} ms), ${beforeCloses}`,
    };
  },
};

/** terminate, idle-timeout, cold-start: the server had closed every session of the worker before SIGCONT. */
const sessionsGone: CheckSpec = {
  name: 'sessions-gone-before-resume',
  appliesTo: (fault) => fault === 'terminate' || fault === 'idle-timeout' || fault === 'cold-start',
  evaluate({ events }) {
    const left = num(find(events, 'harness', 'sessions-before-resume'), 'sessions');
    if (left === undefined || left < 0)
      return { met: false, observed: 'the server sessions could not be counted before the resume' };
    return {
      met: left === 0,
      observed: `${left} server session${left === 1 ? '' : 's'} of the worker left just before SIGCONT`,
    };
  },
};

/** cold-start: the freeze caught the pool mid-handshake, and the server had sessions Bun had not yet completed. */
const frozeMidHandshake: CheckSpec = {
  name: 'froze-mid-handshake',
  appliesTo: (fault) => fault === 'cold-start',
  evaluate({ events, poolMax }) {
    const connected = num(find(events, 'bun', 'freezing'), 'connected');
    // Both sweeps: at the freeze, and again just before the resume.
    const terminated = all(events, 'harness', 'fault').reduce((sum, e) => sum + (num(e, 'terminated') ?? 0), 0);
    if (connected === undefined)
      return { met: false, observed: 'the worker did not report its connections before stopping' };
    return {
      met: connected < poolMax && terminated > connected,
      observed: `${connected} of ${poolMax} connections had completed startup in Bun at the freeze; the server closed ${terminated} session${terminated === 1 ? '' : 's'}`,
    };
  },
};

/** rst, fin: the proxy sent the reset or the close on every pooled connection before SIGCONT. */
const everyConnectionBroken: CheckSpec = {
  name: 'every-connection-broken',
  appliesTo: (fault) => fault === 'rst' || fault === 'fin',
  evaluate({ events, poolMax, fault }) {
    const resume = timeOf(events, 'harness', 'sigcont') ?? Infinity;
    const kind = fault === 'rst' ? 'rst-sent' : 'fin-sent';
    const sent = new Set(
      all(events, 'proxy', kind)
        .filter((e) => e.t < resume)
        .map((e) => num(e, 'id')),
    );
    const word = fault === 'rst' ? 'an RST' : 'a FIN';
    return {
      met: sent.size >= poolMax,
      observed: `the proxy sent ${word} on ${sent.size} of ${poolMax} pooled connections before SIGCONT`,
    };
  },
};

/** lazy-rst: nothing reached Bun during the pause, and an RST answered its first packet after it. */
const rstAnsweredFirstPacket: CheckSpec = {
  name: 'rst-answered-first-packet',
  appliesTo: (fault) => fault === 'lazy-rst',
  evaluate({ events }) {
    const resume = timeOf(events, 'harness', 'sigcont') ?? Infinity;
    const fired = all(events, 'proxy', 'lazy-rst-fire');
    const early = fired.filter((e) => e.t < resume).length;
    const after = fired.length - early;
    return {
      met: after >= 1 && early === 0,
      observed: `${after} RST${after === 1 ? '' : 's'} answered Bun's packets after SIGCONT, ${early} before it`,
    };
  },
};

/** blackhole: every pooled connection went silent, and none was closed or answered until the first operation ended. */
const staySilent: CheckSpec = {
  name: 'silent-until-watchdog',
  appliesTo: (fault) => fault === 'blackhole',
  evaluate({ events, poolMax }) {
    const fault = find(events, 'harness', 'fault');
    const ids = new Set((find(events, 'proxy', 'fault')?.detail?.ids as number[] | undefined) ?? []);
    const firstEnd = endOfFirstOperation(events);
    const closed = all(events, 'proxy', 'close').filter((e) => ids.has(num(e, 'id')!) && e.t < firstEnd).length;
    const dropped = all(events, 'proxy', 'blackhole-drop').length;
    const affected = num(fault, 'affected') ?? ids.size;
    return {
      met: affected >= poolMax && closed === 0,
      observed: `${affected} of ${poolMax} connections blackholed; ${closed} closed before the first operation ended; ${dropped} chunk${dropped === 1 ? '' : 's'} dropped, none forwarded`,
    };
  },
};

/** kernel-blackhole: the DROP rules covered every flow and counted Bun's packets. */
const dropCounted: CheckSpec = {
  name: 'drop-counted-packets',
  appliesTo: (fault) => fault === 'kernel-blackhole',
  evaluate({ events, poolMax }) {
    const flows = (find(events, 'proxy', 'iptables-drop')?.detail?.ports as number[] | undefined)?.length ?? 0;
    const counters = find(events, 'proxy', 'iptables-counters');
    const packets = num(counters, 'packets') ?? 0;
    return {
      met: flows >= poolMax && packets > 0,
      observed: `DROP rules on ${flows} of ${poolMax} flows counted ${packets} packet${packets === 1 ? '' : 's'}`,
    };
  },
};

/** Every check, in the order a reader meets them; `checksFor` picks a trial's own. */
export const CHECKS: readonly CheckSpec[] = [
  poolWarm,
  frozeMidHandshake,
  timerOnFirstTick,
  sessionsGone,
  everyConnectionBroken,
  rstAnsweredFirstPacket,
  staySilent,
  dropCounted,
];

/** The checks a trial needs, evaluated on one repetition's events. */
export function evaluateChecks(ctx: CheckContext): Check[] {
  return CHECKS.filter((c) => c.appliesTo(ctx.fault, ctx.ordering)).map((c) => ({ name: c.name, ...c.evaluate(ctx) }));
}

/** The names of the checks a trial needs, e.g. for documentation and tests. */
export function checkNamesFor(fault: SqlFault, ordering: SqlOrdering): string[] {
  return CHECKS.filter((c) => c.appliesTo(fault, ordering)).map((c) => c.name);
}

/** When the first operation after resume ended: its result, or its watchdog; the end of the log otherwise. */
function endOfFirstOperation(events: readonly SqlEvent[]): number {
  const result = events.find((e) => e.source === 'bun' && e.event === 'result' && e.detail?.id === 'first');
  const watchdog = events.find((e) => e.source === 'harness' && e.event === 'watchdog' && e.detail?.op === 'first');
  return result?.t ?? watchdog?.t ?? events.at(-1)?.t ?? Infinity;
}
