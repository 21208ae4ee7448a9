// `npm run repro -- affected [<version> | --bun <path>]`: is this Bun build affected by a failure
// the casebook has recorded? Reads the builds index that ships with the harness
// (repro/affected/builds.json, generated from the matrix records by `npm run affected:index`), so it
// answers offline, in a clone and in every bundle. With no argument it asks `bun` on PATH.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { answerFor, answerText, BuildsIndex, buildName, findBuild, type Answer } from '../core/builds-index.ts';
import { terminalSafe } from '../core/control-characters.ts';
import { HarnessError, oneLine, usageError } from '../core/errors.ts';
import { fromRoot } from './paths.ts';

/** Its exit codes: a script can branch on them. */
export const AFFECTED_EXIT = {
  /** No recorded failure affects the build. */
  clear: 0,
  /** At least one does. */
  affected: 1,
  /** Bad input: not a version, no such binary, not Bun. */
  usage: 2,
  /** The build is not in the matrix: the nearest recorded builds are named. */
  notInMatrix: 3,
} as const;

export const AFFECTED_HELP = `usage: npm run repro -- affected [<version> | --bun <path>] [--json]

Says whether a Bun build has any failure the casebook's version matrix recorded, where each was
fixed, and the smallest upgrade that avoids them all. Offline: it reads repro/affected/builds.json.

  <version>       an npm label (1.4.2, 1.4.5-canary.20261202.1) or what \`bun --revision\` prints
                  (1.4.3-canary.1+f5649a7ed)
  --bun <path>    ask this binary for its revision
  (neither)       ask \`bun\` on PATH
  --json          print the answer as JSON
  --help          show this help

exit codes: 0 no recorded failure affects it · 1 at least one does · 2 bad input ·
            3 not in the matrix (the nearest recorded builds are named)`;

/** affected's flags, as parseArgs takes them; AFFECTED_HELP describes each (tests/repro/harness/help.test.ts). */
export const AFFECTED_OPTIONS = {
  bun: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function affectedCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: AFFECTED_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`affected: ${oneLine(error)} (see: npm run repro -- affected --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(AFFECTED_HELP);
    return AFFECTED_EXIT.clear;
  }
  if (positionals.length > 1)
    throw usageError(
      `affected: one version at a time, not ${positionals.length} (see: npm run repro -- affected --help)`,
    );
  if (positionals.length === 1 && values.bun !== undefined)
    throw usageError('affected: a version or --bun <path>, not both');
  const query = positionals[0] ?? (await revisionOf(values.bun ?? 'bun', values.bun === undefined));
  const index = readIndex();
  const lookup = findBuild(index.builds, query);
  if (lookup.kind === 'invalid') throw usageError(`affected: ${lookup.message}`);
  if (lookup.kind === 'not-in-matrix') {
    const near = [
      lookup.before && `before it: ${buildName(lookup.before)}`,
      lookup.after && `after it: ${buildName(lookup.after)}`,
    ]
      .filter(Boolean)
      .join('; ');
    const message = `affected: ${terminalSafe(lookup.query)} is not in the matrix (${index.builds.length} builds recorded)${near ? `; the nearest recorded builds, ${near}` : ''}`;
    if (values.json)
      console.log(
        JSON.stringify({
          query: lookup.query,
          inMatrix: false,
          before: lookup.before?.npm ?? null,
          after: lookup.after?.npm ?? null,
        }),
      );
    else console.log(message);
    return AFFECTED_EXIT.notInMatrix;
  }
  const answer = answerFor(index, lookup.build);
  console.log(values.json ? JSON.stringify(answerJson(answer), null, 2) : answerText(index, answer, where).join('\n'));
  return answer.affected.length > 0 ? AFFECTED_EXIT.affected : AFFECTED_EXIT.clear;
}

/** The answer for a program: builds by npm label, failures by id. */
function answerJson({ build, affected, undecided, upgrade, releaseUpgrade }: Answer) {
  const upgradeJson = (u: Answer['upgrade']) => u && { build: u.build.npm, brings: u.brings.map((f) => f.id) };
  return {
    inMatrix: true,
    build: { npm: build.npm, revision: build.revision, line: build.line, published: build.published },
    affected: affected.map(({ failure, state, fixedIn }) => ({
      failure: failure.id,
      title: failure.title,
      text: state.text,
      record: state.record,
      fixedIn: fixedIn?.npm ?? null,
    })),
    undecided: undecided.map(({ failure, state }) => ({ failure: failure.id, status: state.status })),
    upgrade: upgradeJson(upgrade),
    releaseUpgrade: upgradeJson(releaseUpgrade),
  };
}

/** A site path as a reader can open it here: the record file itself in a clone, else the path on the casebook. */
function where(sitePath: string): string {
  const local = sitePath.startsWith('/matrix/') ? fromRoot('content', sitePath.slice(1)) : null;
  return local && existsSync(local) ? `content${sitePath}` : `${sitePath} on the casebook`;
}

function readIndex(): BuildsIndex {
  const file = fromRoot('repro', 'affected', 'builds.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new HarnessError(
      'affected: repro/affected/builds.json is missing from this copy; in a clone, `npm run affected:index` writes it',
    );
  }
  const parsed = BuildsIndex.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new HarnessError(
      `affected: repro/affected/builds.json is not a builds index: ${oneLine(parsed.error.issues[0]?.message ?? 'invalid')}`,
    );
  return parsed.data;
}

/** What a binary says of itself with --revision; `bun` on PATH when `onPath`. */
function revisionOf(binary: string, onPath: boolean): Promise<string> {
  const what = onPath ? '`bun` on PATH' : `--bun ${binary}`;
  return new Promise((resolve, reject) => {
    // A binary that is not Bun may ignore the flag and run forever, or print megabytes: bound both.
    execFile(
      binary,
      ['--revision'],
      { timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error, stdout) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const why =
            code === 'ENOENT'
              ? onPath
                ? 'not found: install Bun, or give a version or --bun <path>'
                : 'no such file'
              : code === 'EACCES'
                ? 'not executable'
                : `\`--revision\` failed: ${oneLine(error)}`;
          reject(usageError(`affected: ${what}: ${why}`));
        } else {
          const revision = stdout.trim().split('\n')[0] ?? '';
          // Bun prints <version>+<commit>; anything else is not Bun (and is not looked up as a version).
          if (/^\d+\.\d+\.\d+\S*\+[0-9a-f]{7,40}$/.test(revision)) resolve(revision);
          else
            reject(
              usageError(
                `affected: ${what}: does not look like Bun (\`--revision\` printed "${terminalSafe(revision.slice(0, 60))}")`,
              ),
            );
        }
      },
    );
  });
}
