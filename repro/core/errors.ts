// The one error type the CLI knows how to print: a single line for the reader, and the exit code to use.
// Anything else that escapes is a harness bug and is printed the same way with exit code 1.
import { terminalSafe } from './control-characters.ts';

/** Exit codes of `npm run repro`. */
export const EXIT = {
  ok: 0,
  /** A build failed to produce a measurement, or the harness could not run at all. */
  failed: 1,
  /** Bad command line: unknown scenario, unknown flag, bad value. */
  usage: 2,
  /** `compare`: a measurement of the rerun differs from the published run. */
  differs: 3,
  /** `compare`: nothing could be compared (other parameters, too few repetitions, no reference). */
  notComparable: 4,
  /** Ctrl-C or SIGTERM: partial records were written and marked interrupted. */
  interrupted: 130,
} as const;

export class HarnessError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message);
    this.name = 'HarnessError';
    this.exitCode = exitCode;
  }
}

/** A mistake on the command line: exit code 2. */
export function usageError(message: string): HarnessError {
  return new HarnessError(message, EXIT.usage);
}

/**
 * One line, whatever was thrown: the CLI never prints a stack trace to a reader, and never a control
 * character (a file name or a record's text in a message could hold an escape sequence).
 */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return terminalSafe(text.replace(/\s*\n\s*/g, ' ').trim());
}

/** Lines a crashing process prints that say nothing about why: Bun's version banner, blank lines. */
const NOISE = /^(Bun v\d[^\s]* \(|\s*$|\s*at\s|\s*\^+\s*$)/;
const CAUSE =
  /(error|ERR_|refused|ECONN|ENOENT|EACCES|FATAL|panic|out of memory|timed out|no answer|exception|killed)/i;

/**
 * The line of a child's output that says why it failed: the last one that reads like an error
 * (`RangeError: Out of memory`, `ConnectionRefused …`), not the last one printed (Bun's banner).
 */
export function errorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => !NOISE.test(l));
  return (lines.findLast((l) => CAUSE.test(l)) ?? lines.at(-1) ?? 'no message').slice(0, 500);
}
