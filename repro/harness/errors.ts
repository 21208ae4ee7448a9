// The one error type the CLI knows how to print: a single line for the reader, and the exit code to use.
// Anything else that escapes is a harness bug and is printed the same way with exit code 1.

/** Exit codes of `npm run repro`. */
export const EXIT = {
  ok: 0,
  /** A build failed to produce a measurement, or the harness could not run at all. */
  failed: 1,
  /** Bad command line: unknown scenario, unknown flag, bad value. */
  usage: 2,
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

/** One line, whatever was thrown: the CLI never prints a stack trace to a reader. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
