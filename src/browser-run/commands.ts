// The commands the "Run the harness in your browser" page runs in its WebContainer, defined once:
// the page spawns exactly these, and tests/repro/browser-run/commands.test.ts runs exactly these under
// plain Node in a folder holding the same files. No Node imports: this ships to the browser.
import { EXIT } from '../../repro/core/errors.ts';
import { LIVE_EMBEDDER_ENV } from '../../repro/harness/live/embed.ts';

export interface Command {
  command: string;
  args: string[];
}

/** Installs the bundle's dependencies, Bun and the pinned Node left out (src/bundles/browser.ts). */
export const INSTALL: Command = { command: 'npm', args: ['install', '--no-audit', '--no-fund', '--no-progress'] };

/** How long the page's replay lasts, about: a run of hours plays at the speed that fits it in this. */
const REPLAY_TARGET_SECONDS = 60;

/** The --speed that plays a run of this length in about REPLAY_TARGET_SECONDS (1× for a shorter run). */
export function replaySpeed(runMs: number): number {
  return Math.max(1, Math.ceil(runMs / (REPLAY_TARGET_SECONDS * 1000)));
}

/** Replays the published run (one record per build) on the live page, which the page shows in a frame. */
export function replayCommand(scenario: string, records: readonly string[], speed: number): Command {
  return {
    command: 'npm',
    args: [
      'run',
      'repro',
      '--',
      scenario,
      ...records.flatMap((r) => ['--replay', r]),
      '--speed',
      String(speed),
      '--live',
    ],
  };
}

/** Lets the site's origin frame the live page (repro/harness/live/embed.ts). */
export function replayEnv(siteOrigin: string): Record<string, string> {
  return { [LIVE_EMBEDDER_ENV]: siteOrigin };
}

/** Where a dropped record is written, inside the container's working directory. */
export const DROP_DIR = 'yours';

/** The largest record the page accepts; the biggest published record is a few MiB. */
export const MAX_DROP_BYTES = 64 * 1024 * 1024;

/** A file name that stays inside DROP_DIR whatever the reader's file is called. */
export function dropFileName(name: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[^\w.-]/g, '_')
    .replace(/^\.+/, '')
    .slice(-100);
  return base === '' ? 'record.json' : base.endsWith('.json') ? base : `${base}.json`;
}

/** Compares the dropped record with the published run shipped in the bundle (reference/<scenario>/). */
export function compareCommand(fileName: string): Command {
  return { command: 'npm', args: ['run', 'repro', '--', 'compare', `${DROP_DIR}/${dropFileName(fileName)}`] };
}

/** A command as a reader would type it. */
export function commandLine({ command, args }: Command): string {
  return [command, ...args].join(' ');
}

/** What compare's exit code says, in the words its help uses. */
export function compareOutcome(code: number): string {
  switch (code) {
    case EXIT.ok:
      return 'REPRODUCED: every measurement compared matches the published run';
    case EXIT.differs:
      return 'DIFFERS: a measurement differs from the published run';
    case EXIT.notComparable:
      return 'NOT COMPARABLE: nothing in this record could be compared with the published run';
    case EXIT.usage:
      return 'not a record compare can read (the terminal names the file and the field)';
    default:
      return `compare stopped with exit code ${code} (the terminal says why)`;
  }
}
