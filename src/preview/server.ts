// Starting and stopping the preview server, shared by `npm start` (start.ts) and `npm run preview`
// (serve.ts): one clear line for a port in use, and an exit on Ctrl-C, SIGTERM or when the process
// that started the server goes away (repro/harness/parent.ts).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EXIT, HarnessError, oneLine, usageError } from '../../repro/core/errors.ts';
import { guardServer } from '../../repro/harness/http/guard.ts';
import { hostAllowed } from '../../repro/harness/live/embed.ts';
import { kindOf } from '../../repro/harness/record/read.ts';
import { freePort as sharedFreePort } from '../../repro/harness/net.ts';
import { whenParentGoes } from '../../repro/harness/parent.ts';
import { siteSecurityHeaders, staticSite } from './static-site.ts';

export const HOST = '127.0.0.1';

/**
 * What the machine stopped (a busy port, a failed build): one line, exit code 1. A bad command line is
 * a usageError instead: one line, exit code 2, as the harness's.
 */
export class StartError extends HarnessError {}

/** Parses --port: 0 to 65535 (0: any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw usageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

function inUse(port: number): StartError {
  return new StartError(
    `port ${port} on ${HOST} is already in use (another \`npm start\`?); pick another with \`npm start -- --port <number>\``,
  );
}

function listening(server: Server, port: number): Promise<number> {
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
  return sharedFreePort(port).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? inUse(port) : error;
  });
}

/** Serves the built site in root on HOST:port until a signal or the parent's exit; returns the port. */
export async function serveSite(root: string, port: number): Promise<number> {
  const dir = path.resolve(root);
  await checkSiteFolder(root, dir);
  let bound = port;
  const server = createServer(staticSite(dir, (host) => hostAllowed(host, bound, false)));
  guardServer(server, siteSecurityHeaders(dir)('/'));
  bound = await listening(server, port);
  const stop = () => {
    // Open keep-alive connections would hold close() back; the reader asked to stop.
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  whenParentGoes(stop);
  return bound;
}

/** --root names a built site: a folder with an index.html. Checked before the server listens. */
async function checkSiteFolder(root: string, dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw usageError(`--root ${root}: no such folder`);
  if (!info.isDirectory()) throw usageError(`--root ${root}: is ${kindOf(info)}, not a folder`);
  if (!existsSync(path.join(dir, 'index.html')))
    throw usageError(`${dir} has no index.html; run \`npm run build\` first`);
}

/**
 * Runs a CLI's main: a bad command line is one line on stderr and exit code 2, a StartError one line
 * and exit code 1. `help` is what a usage error points to.
 */
export function runMain(name: string, help: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    // parseArgs's own errors (an unknown flag, a missing value) are command-line errors too.
    if (error instanceof TypeError && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${name}: ${oneLine(error)} (see: ${help})`);
      process.exit(EXIT.usage);
    }
    if (!(error instanceof HarnessError)) throw error;
    console.error(`${name}: ${oneLine(error)}`);
    process.exit(error.exitCode);
  });
}
