// The flags every scenario of `npm run repro` accepts, beside its own (Scenario.flags): the CLI parses
// them and its help lists them from here (tests/repro/harness/help.test.ts checks help leaves none out);
// a module of its own so the docs' flag tables (src/checks/docs-flags.ts) can import it without
// starting the CLI.
import type { Flag } from './scenario.ts';

/** Flags every scenario accepts. */
export const COMMON_FLAGS: Record<string, Flag> = {
  bun: {
    type: 'string',
    multiple: true,
    placeholder: 'version|path',
    help: "a Bun build to run instead of the scenario's default builds (the pinned pair unless it says otherwise): any version published on npm (downloaded and verified once) or a path to a binary (repeatable)",
  },
  out: { type: 'string', placeholder: 'dir', help: 'where to write the run records (default runs/<scenario>/)' },
  compare: {
    type: 'boolean',
    help: 'after the run, compare the records with the published run (exit 3 if they differ)',
  },
  live: {
    type: 'boolean',
    help: "watch the run on a local page (its address is printed): the article's figure, point by point; Ctrl-C stops both",
  },
  replay: {
    type: 'string',
    multiple: true,
    placeholder: 'record.json',
    help: 'play a recorded run on the live page instead of running (repeatable: one record per build of the run); needs neither Bun nor Linux',
  },
  speed: {
    type: 'string',
    placeholder: 'n',
    help: 'with --replay: n times the recorded pace (default 1, from 0.1 to 10000)',
  },
  help: { type: 'boolean', help: 'show this help' },
};
