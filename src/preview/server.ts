// Starting and stopping the preview server, shared by `npm start` (start.ts) and `npm run preview`
// (serve.ts): one clear line for a port in use, and an exit on Ctrl-C, SIGTERM or when the process
// that started the server goes away (repro/harness/parent.ts).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { whenParentGoes } from '../../repro/harness/parent.ts';
import { staticSite } from './static-site.ts';

export const HOST = '127.0.0.1';

/** A bad command line or a busy port: the message is the whole story, printed as one line. */
export class StartError extends Error {}

/** Parses --port: 0 to 65535 (0: any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new StartError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

function inUse(port: number): StartError {
  return new StartError(`port ${port} on ${HOST} is already in use (another \`npm start\`?); pick another with \`npm start -- --port <number>\``);
}

function listening(server: Server | ReturnType<typeof createNetServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? inUse(port) : error));
    server.listen(port, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Checks that the port is free before a build that takes seconds, so a busy port fails at once; for
 * port 0, picks a free one. Returns the port to use.
 */
export async function freePort(port: number): Promise<number> {
  const probe = createNetServer();
  const found = await listening(probe, port);
  await new Promise((resolve) => probe.close(resolve));
  return found;
}

/** Serves the built site in root on HOST:port until a signal or the parent's exit; returns the port. */
export async function serveSite(root: string, port: number): Promise<number> {
  const dir = path.resolve(root);
  if (!existsSync(path.join(dir, 'index.html'))) throw new StartError(`${dir} has no index.html; run \`npm run build\` first`);
  const server = createServer(staticSite(dir));
  const bound = await listening(server, port);
  const stop = () => {
    // Open keep-alive connections would hold close() back; the reader asked to stop.
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  whenParentGoes(stop);
  return bound;
}

/** Runs a CLI's main: a StartError or a bad flag is one line on stderr and exit code 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    // parseArgs's own errors (an unknown flag, a missing value) are command-line errors too.
    const usage = error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof StartError) && !usage) throw error;
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  });
}
