// Starts the real CLI for the live page's browser tests and reads the address it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { fromRoot } from '../../repro/harness/paths.ts';

export interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  result: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[]): Cli {
  const child = spawn(fromRoot('node_modules', '.bin', 'node'), [fromRoot('repro', 'harness', 'cli.ts'), ...args], { cwd: fromRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, result };
}

/** The page's address, from the line the CLI prints (a live run first checks its builds). */
export async function addressOf(cli: Cli, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    if (url) return url;
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no address printed: ${cli.stdout()} ${cli.stderr()}`);
}
