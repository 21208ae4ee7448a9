// The site built as a local preview on a port: `npm run build` with CASEBOOK_LOCAL_PREVIEW=1 and
// PORT, so that its own address (canonical links, sitemap, citations) is http://localhost:<port>.
// Used by `npm start` and `npm run audit`. Stopping the caller, even by killing its parent, stops the
// build (repro/harness/parent.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { whenParentGoes } from '../../repro/harness/parent.ts';
import { StartError } from './server.ts';

/**
 * `npm run build` for a preview on this port. Resolves when it succeeds. `quiet`: the build's ~300
 * lines (every page it wrote) are kept back; only its warnings are shown (buildWarnings), and the
 * whole output if it fails.
 */
export function buildPreview(port: number, { quiet = false } = {}): Promise<void> {
  // A process group of its own, so that stopping the caller reaches the whole build (npm, sh, astro,
  // Pagefind), which would otherwise finish orphaned.
  const child = spawn('npm', ['run', 'build'], {
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
    detached: true,
    env: { ...process.env, CASEBOOK_LOCAL_PREVIEW: '1', PORT: String(port) },
  });
  let output = '';
  if (quiet) for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk) => (output += chunk));
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
      if (quiet) process.stderr.write(code === 0 ? buildWarnings(output) : output);
      if (code === 0) resolve();
      else reject(new StartError(`the build failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** A line of Astro's log: a time stamp first. */
const LOGGED = /^\d\d:\d\d:\d\d /;
// The colour codes of the build's log.
const COLOUR = /\u001b\[[0-9;]*m/g;

/**
 * The build's warnings and errors, each with the lines that belong to it (a code frame), up to the
 * next logged line or a blank one. Left out: the local preview's own notices (SITE_URL and
 * REPOSITORY_URL unset), which `npm start` asks for by building a local preview and answers with
 * the address it prints.
 */
export function buildWarnings(output: string): string {
  const kept: string[] = [];
  let keeping = false;
  for (const line of output.split('\n')) {
    const plain = line.replace(COLOUR, '');
    if (LOGGED.test(plain) || plain.trim() === '')
      keeping = /\[(WARN|ERROR)\]/.test(plain) && !/\[casebook-addresses\] local preview:/.test(plain);
    if (keeping) kept.push(line);
  }
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
