// The bad-input table: command lines a reader can get wrong, each of which must end in exit code 2,
// one line on stderr that says what is wrong, and nothing created (no --out folder, no temporary
// folder, no process). Shared by cli-errors.test.ts (the assertions) and bad-input-times.ts (the
// table with wall times, for the record).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { casebookTempDirs, startCli, type CliResult } from './run-cli.ts';

export interface BadInputPlaces {
  /** A path that does not exist yet: the --out a case passes unless it is about --out. */
  freshOut: string;
  /** An existing regular file. */
  file: string;
}

export interface BadInput {
  /** The invocation as the table shows it, `<…>` standing for the places above. */
  shown: string;
  args(places: BadInputPlaces): string[];
  /** The one stderr line, after `repro: `. */
  message: RegExp;
  /** Text the message must not contain (e.g. Node's own parseArgs wording). */
  notMessage?: RegExp;
}

const s3 = (...flags: string[]) => (p: BadInputPlaces) => ['s3-leak', ...flags, '--out', p.freshOut];
const sql = (...flags: string[]) => (p: BadInputPlaces) => ['sql-pool', ...flags, '--out', p.freshOut];

export const BAD_INPUTS: BadInput[] = [
  { shown: "s3-leak --out ''", args: () => ['s3-leak', '--out', ''], message: /^--out is empty: name a folder/ },
  { shown: 's3-leak --out /proc/x', args: () => ['s3-leak', '--out', '/proc/x'], message: /^--out \/proc\/x: inside \/proc, a kernel filesystem/ },
  { shown: 's3-leak --out <existing file>', args: (p) => ['s3-leak', '--out', p.file], message: /^--out \S+: is a file, not a folder$/ },
  {
    shown: 's3-leak --out <existing file>/sub',
    args: (p) => ['s3-leak', '--out', path.join(p.file, 'sub')],
    message: /^--out \S+\/sub: \S+ is a file, not a folder$/,
  },
  {
    shown: 's3-leak --sample-interval-ms 1e12 --out <new dir>',
    args: s3('--sample-interval-ms', '1e12'),
    message: /^--sample-interval-ms "1e12": expected a whole number from 1 to 60000 ms$/,
  },
  {
    shown: 's3-leak --payload-mib 1e-9 --out <new dir>',
    args: s3('--payload-mib', '1e-9'),
    message: /^--payload-mib "1e-9": expected a decimal number from 0\.0009765625 to 1024 MiB$/,
  },
  {
    shown: 's3-leak --payload-mib 0x1 --out <new dir>',
    args: s3('--payload-mib', '0x1'),
    message: /^--payload-mib "0x1": expected a decimal number from 0\.0009765625 to 1024 MiB$/,
  },
  {
    shown: 's3-leak --max-iterations -5 --out <new dir>',
    args: s3('--max-iterations', '-5'),
    message: /^--max-iterations "-5": expected a whole number from 1 to 1000000$/,
    notMessage: /ambiguous/,
  },
  {
    shown: 's3-leak --max-iterations 1.5 --out <new dir>',
    args: s3('--max-iterations', '1.5'),
    message: /^--max-iterations "1\.5": expected a whole number from 1 to 1000000$/,
  },
  {
    shown: 's3-leak --bun 9.9.9 --out <new dir>',
    args: s3('--bun', '9.9.9'),
    message: /^--bun 9\.9\.9: @oven\/bun-linux-x64@9\.9\.9 is not published \(the registry lists \d+ builds, the newest \d/,
  },
  {
    shown: 's3-leak --iterations 3 --out <new dir>',
    args: s3('--iterations', '3'),
    message: /^Unknown option '--iterations'.* \(see: npm run repro -- s3-leak --help\)$/,
  },
  {
    shown: 's3-lake --out <new dir>',
    args: (p) => ['s3-lake', '--out', p.freshOut],
    message: /^unknown scenario "s3-lake"; known scenarios: s3-leak, sql-pool, s3-upload$/,
  },
  {
    shown: 'sql-pool --repetitions 0 --out <new dir>',
    args: sql('--repetitions', '0'),
    message: /^--repetitions "0": expected a whole number from 1 to 1000$/,
  },
  {
    shown: 'sql-pool --pause-ms 99999999999 --out <new dir>',
    args: sql('--pause-ms', '99999999999'),
    message: /^--pause-ms "99999999999": expected a whole number from 0 to 86400000 ms$/,
  },
  {
    shown: 'sql-pool --faults nope --out <new dir>',
    args: sql('--faults', 'nope'),
    message: /^--faults nope: expected a comma-separated list of terminate, idle-timeout, rst, fin, lazy-rst, blackhole, kernel-blackhole, cold-start$/,
  },
  {
    shown: 'sql-pool --database-url mysql://x/y --out <new dir>',
    args: sql('--database-url', 'mysql://x/y'),
    message: /^--database-url: expected postgres:\/\/user:password@host:port\/db \(not a postgres:\/\/ URL: mysql:\)$/,
  },
];

/** Bad input the harness still checks only after creating --out: none left; kept for the timing script. */
export const KNOWN_GAPS: BadInput[] = [];

/** Fresh places for one case, under `root` (which the caller removes). */
export function placesUnder(root: string): BadInputPlaces {
  mkdirSync(root, { recursive: true });
  const file = path.join(root, 'a-file');
  writeFileSync(file, 'not a folder\n');
  return { freshOut: path.join(root, 'new-out'), file };
}

export interface BadInputRun {
  result: CliResult;
  pid: number;
  wallMs: number;
  /** Whether the fresh --out folder exists afterwards. */
  outCreated: boolean;
  /** Entries in the CLI's own TMPDIR afterwards (it starts empty). */
  tmpEntries: string[];
  /** `casebook-<pid>-*` folders of this CLI in the system temp folder. */
  systemTempDirs: string[];
}

/** A CLI that takes a bad input for a good one starts a real run: it is stopped (SIGKILL) after this long. */
const LIMIT_MS = 30_000;

/**
 * Runs one case with its own empty TMPDIR, in the case's own folder (so that a harness that takes
 * `--out ''` for the current folder writes there, not into the project), and reports what it left.
 */
export async function runBadInput(input: BadInput, places: BadInputPlaces, tmpdir: string): Promise<BadInputRun> {
  const started = performance.now();
  const cli = startCli(input.args(places), { tmpdir, cwd: path.dirname(places.file) });
  const limit = setTimeout(() => cli.child.kill('SIGKILL'), LIMIT_MS);
  const result = await cli.result;
  clearTimeout(limit);
  const wallMs = performance.now() - started;
  return {
    result,
    pid: cli.pid,
    wallMs,
    outCreated: existsSync(places.freshOut),
    tmpEntries: readdirSync(tmpdir),
    systemTempDirs: casebookTempDirs(cli.pid, os.tmpdir()),
  };
}
