// The watchdogs that end an operation after resume that gets no answer: the first operation's (it may
// have to reconnect first), then each follow-up's. A repetition runs the operations under them
// (repetition.ts); the live page counts on them for the time a silent fault takes (faults.ts `silent`).
import { SqlOperationKind } from '../../core/record/schema.ts';

/** The record's parameters (and a repetition's plan) carry both. */
interface Watchdogs {
  firstWatchdogMs: number;
  followUpWatchdogMs: number;
}

/** How long the operation may go without an answer before it counts as a hang. */
export function watchdogFor(op: SqlOperationKind, { firstWatchdogMs, followUpWatchdogMs }: Watchdogs): number {
  return op === 'first' ? firstWatchdogMs : followUpWatchdogMs;
}

/** What a repetition waits when every operation after resume hangs: each watchdog in turn. */
export function everyWatchdogMs(watchdogs: Watchdogs): number {
  return SqlOperationKind.options.reduce((ms, op) => ms + watchdogFor(op, watchdogs), 0);
}
