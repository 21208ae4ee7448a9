// The live status line of a running build. On a terminal it is rewritten in place; elsewhere (CI, a
// test, a pipe) it prints a line at most every few seconds, so logs stay short.
import type { Build } from './builds.ts';
import type { ProgressLine } from './scenario.ts';

const PIPE_EVERY_MS = 5000;

export function progressLine(build: Build, out: NodeJS.WriteStream = process.stdout): ProgressLine {
  const prefix = `${build.runtime.label.padEnd(18)} `;
  let lastPrinted = 0;
  return {
    update(text) {
      const now = Date.now();
      if (out.isTTY) {
        if (now - lastPrinted < 100) return;
        out.write(`\r\x1b[2K${`${prefix}${text}`.slice(0, (out.columns ?? 120) - 1)}`);
      } else {
        if (now - lastPrinted < PIPE_EVERY_MS) return;
        out.write(`${prefix}${text}\n`);
      }
      lastPrinted = now;
    },
    done(text) {
      out.write(`${out.isTTY ? '\r\x1b[2K' : ''}${prefix}${text}\n`);
    },
  };
}
