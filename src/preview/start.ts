// `npm start`: builds the site as a local preview and serves it on one port, which the build bakes
// into the site's own address (CASEBOOK_LOCAL_PREVIEW=1 and PORT: http://localhost:<port>).
// Stopping npm, even with SIGKILL, stops the build and the server (parent.ts).
// Usage: npm start -- [--port 4321] [--no-build] [--root dist]   (--port 0: any free port; default $PORT)
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { whenParentGoes } from './parent.ts';
import { freePort, parsePort, runMain, serveSite, StartError } from './server.ts';

/** `npm run build` for a preview on this port. Resolves when it succeeds. */
function build(port: number): Promise<void> {
  // A process group of its own, so that stopping start reaches the whole build (npm, sh, astro,
  // Pagefind), which would otherwise finish orphaned.
  const child = spawn('npm', ['run', 'build'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: { ...process.env, CASEBOOK_LOCAL_PREVIEW: '1', PORT: String(port) },
  });
  const stopBuild = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The build already ended.
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopBuild(signal);
    process.exit(128 + constants.signals[signal]);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  const unwatch = whenParentGoes(() => onSignal('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      unwatch();
      for (const s of signals) process.off(s, onSignal);
      if (code === 0) resolve();
      else reject(new StartError(`the build failed (${signal ?? `exit code ${code}`}); nothing to serve`));
    });
  });
}

runMain('npm start', async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4321' },
      build: { type: 'boolean', default: true },
      root: { type: 'string', default: 'dist' },
    },
    allowNegative: true,
  });
  // A busy port fails before the build, not after it; port 0 becomes a real one the build can use.
  const port = await freePort(parsePort(values.port));
  if (values.build) {
    if (values.root !== 'dist') throw new StartError('--root serves a folder as it is; add --no-build');
    await build(port);
  }
  await serveSite(values.root, port);
  console.log(`Serving ${values.root} on http://localhost:${port}/ (Ctrl-C stops it)`);
});
