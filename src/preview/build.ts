// The site built as a local preview on a port: `npm run build` with CASEBOOK_LOCAL_PREVIEW=1 and
// PORT, so that its own address (canonical links, sitemap, citations) is http://localhost:<port>.
// Used by `npm start` and `npm run audit`. Stopping the caller, even by killing its parent, stops the
// build (repro/harness/parent.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { whenParentGoes } from '../../repro/harness/parent.ts';
import { StartError } from './server.ts';

/** `npm run build` for a preview on this port. Resolves when it succeeds. */
export function buildPreview(port: number): Promise<void> {
  // A process group of its own, so that stopping the caller reaches the whole build (npm, sh, astro,
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
      else reject(new StartError(`the build failed (${signal ?? `exit code ${code}`})`));
    });
  });
}
