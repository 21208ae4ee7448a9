// The real CLI for the live page's browser tests (tests/repro/harness/run-cli.ts starts it), and the
// page's address read from what it prints.
import type { Page } from '@playwright/test';
import type { RunningCli } from '../repro/harness/run-cli.ts';

export { startCli, type RunningCli } from '../repro/harness/run-cli.ts';

/** The page's address, from the line the CLI prints (a live run first checks its builds). */
export async function addressOf(cli: RunningCli, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    if (url) return url;
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no address printed: ${cli.stdout()} ${cli.stderr()}`);
}

/** Console errors and warnings (a CSP violation is one) and script errors on the page, as they come. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => void ((m.type() === 'error' || m.type() === 'warning') && problems.push(m.text())));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}
