// The bad-input table: command lines a reader can get wrong (or an attacker can hand them: a FIFO, a
// symlink to a secret, a device), each of which must end in exit code 2, one line on stderr that says
// what is wrong, no secret, and nothing created (no --out folder, no file, no temporary folder, no
// process). It covers every command a reader types: `npm run repro -- <scenario>`, `compare`,
// `--replay`, `npm run matrix`, `matrix -- ingest`, `npm run preview` and `npm start`. Shared by
// cli-errors.test.ts (the assertions) and bad-input-times.ts (the table with wall times).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { casebookTempDirs, isAlive, startCli, watchDescendants, type CliResult } from './run-cli.ts';

/** The commands of the table: the entry point npm runs (in the copy under test) and how its lines start. */
export const PROGRAMS = {
  repro: { entry: undefined, npm: 'npm run repro', prefix: 'repro: ' },
  matrix: { entry: 'repro/harness/matrix.ts', npm: 'npm run matrix', prefix: 'matrix: ' },
  preview: { entry: 'src/preview/serve.ts', npm: 'npm run preview', prefix: 'npm run preview: ' },
  start: { entry: 'src/preview/start.ts', npm: 'npm start', prefix: 'npm start: ' },
} as const;
type Program = keyof typeof PROGRAMS;

/** What the symlink of BadInputPlaces.secretLink points at, shaped like a line of /etc/shadow. */
const SECRET = 'root:$y$j9T$casebook-bad-input-secret:19000:0:99999:7:::';
/** Pieces of it no output may carry: its first bytes (what JSON.parse's message quotes) and its middle. */
export const SECRET_TELLTALES = ['root:$y$', 'bad-input-secret'];

export interface BadInputPlaces {
  /** A path that does not exist yet: the --out a case passes unless it is about --out. */
  freshOut: string;
  /** An existing regular file. */
  file: string;
  /** A FIFO named like a record: opening it to read waits for a writer, for ever. */
  fifo: string;
  /** A folder of records holding such a FIFO. */
  fifoFolder: string;
  /** A character device named like a record (a copy of /dev/null, so that nothing real is at stake). */
  device: string;
  /** A symlink named like a record, to a file holding SECRET (as one to /etc/shadow would). */
  secretLink: string;
  /** A symlink to nothing. */
  dangling: string;
  /** A real record (the published s3-leak run's first), outside the case's folder. */
  record: string;
}

export interface BadInput {
  /** Which command; `npm run repro` when absent. */
  program?: Program;
  /** The arguments as the table shows them, `<…>` standing for the places above. */
  shown: string;
  args(places: BadInputPlaces): string[];
  /** Environment variables the case sets (PORT and CASEBOOK_LIVE_EMBEDDER are unset otherwise). */
  env?: Record<string, string>;
  /** The one stderr line, after the program's prefix (`repro: `, `matrix: `, …). */
  message: RegExp;
  /** Text the message must not contain (e.g. Node's own parseArgs wording). */
  notMessage?: RegExp;
  /** The answer comes from the npm registry (a version it does not publish). */
  registry?: true;
}

/** The invocation as a reader types it. */
export function invocation(input: BadInput): string {
  const env = Object.entries(input.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  return `${env}${PROGRAMS[input.program ?? 'repro'].npm}${input.shown ? ` -- ${input.shown}` : ''}`;
}

const s3 =
  (...flags: string[]) =>
  (p: BadInputPlaces) => ['s3-leak', ...flags, '--out', p.freshOut];
const sql =
  (...flags: string[]) =>
  (p: BadInputPlaces) => ['sql-pool', ...flags, '--out', p.freshOut];
const FIFO = 'a FIFO \\(named pipe\\)';

export const BAD_INPUTS: BadInput[] = [
  // ---------------------------------------------------------------- a run's flags
  { shown: "s3-leak --out ''", args: () => ['s3-leak', '--out', ''], message: /^--out is empty: name a folder/ },
  {
    shown: 's3-leak --out /proc/x',
    args: () => ['s3-leak', '--out', '/proc/x'],
    message: /^--out \/proc\/x: inside \/proc, a kernel filesystem/,
  },
  {
    shown: 's3-leak --out <existing file>',
    args: (p) => ['s3-leak', '--out', p.file],
    message: /^--out \S+: is a file, not a folder$/,
  },
  {
    shown: 's3-leak --out <existing file>/sub',
    args: (p) => ['s3-leak', '--out', path.join(p.file, 'sub')],
    message: /^--out \S+\/sub: \S+ is a file, not a folder$/,
  },
  {
    shown: 's3-leak --out <FIFO>',
    args: (p) => ['s3-leak', '--out', p.fifo],
    message: new RegExp(`^--out \\S+: is ${FIFO}, not a folder$`),
  },
  {
    shown: 's3-leak --out <dangling symlink>',
    args: (p) => ['s3-leak', '--out', p.dangling],
    message: /^--out \S+: \S+ is a symbolic link to nothing$/,
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
    registry: true,
    message:
      /^--bun 9\.9\.9: @oven\/bun-linux-x64@9\.9\.9 is not published \(the registry lists \d+ builds, the newest \d/,
  },
  {
    shown: 's3-leak --iterations 3 --out <new dir>',
    args: s3('--iterations', '3'),
    message: /^Unknown option '--iterations'.* \(see: npm run repro -- s3-leak --help\)$/,
  },
  {
    shown: 's3-lake --out <new dir>',
    args: (p) => ['s3-lake', '--out', p.freshOut],
    message:
      /^unknown scenario "s3-lake"; known scenarios: s3-leak, sql-pool, s3-upload, catalogue or a failure of the catalogue: [a-z-]+(, [a-z-]+)*$/,
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
    message:
      /^--faults nope: expected a comma-separated list of terminate, idle-timeout, rst, fin, lazy-rst, blackhole, kernel-blackhole, cold-start$/,
  },
  {
    shown: 'sql-pool --database-url mysql://x/y --out <new dir>',
    args: sql('--database-url', 'mysql://x/y'),
    message: /^--database-url: expected postgres:\/\/user:password@host:port\/db \(not a postgres:\/\/ URL: mysql:\)$/,
  },
  {
    // A connection string pasted without its flag: Node's message quotes the argument, password and all.
    shown: 'sql-pool postgres://u:<secret>@h/db --out <new dir>',
    args: (p) => ['sql-pool', 'postgres://u:casebook-bad-input-secret@127.0.0.1/db', '--out', p.freshOut],
    message:
      /^Unexpected argument 'postgres:\/\/<redacted>@127\.0\.0\.1\/db'\. This command does not take positional arguments/,
  },
  {
    // The page's server read it only after --out was made and the builds hashed, and exited 1.
    shown: 's3-leak --live --out <new dir>',
    env: { CASEBOOK_LIVE_EMBEDDER: 'not-an-origin' },
    args: s3('--live'),
    message: /^CASEBOOK_LIVE_EMBEDDER must be an origin such as https:\/\/example\.org, not "not-an-origin"$/,
  },

  // ---------------------------------------------------------------- --replay
  {
    shown: 's3-leak --replay <FIFO>',
    args: (p) => ['s3-leak', '--replay', p.fifo],
    message: new RegExp(`^\\S+: ${FIFO}, not a record file or a folder of them$`),
  },
  {
    shown: 's3-leak --replay <folder holding a FIFO>',
    args: (p) => ['s3-leak', '--replay', p.fifoFolder],
    message: new RegExp(`^\\S+/x\\.json: ${FIFO}, not a record file$`),
  },
  {
    shown: 's3-leak --replay <symlink to a secret>',
    args: (p) => ['s3-leak', '--replay', p.secretLink],
    message: /^\S+secret\.json: not JSON \(an unexpected character\)$/,
  },
  {
    shown: 's3-leak --replay <device>',
    args: (p) => ['s3-leak', '--replay', p.device],
    message: /^\S+: a device, not a record file or a folder of them$/,
  },

  // ---------------------------------------------------------------- affected
  {
    shown: 'affected nonsense',
    args: () => ['affected', 'nonsense'],
    message: /^affected: "nonsense" is not a Bun version: expected an npm label such as 1\.4\.2/,
  },
  {
    shown: 'affected 1.4.2 1.4.3',
    args: () => ['affected', '1.4.2', '1.4.3'],
    message: /^affected: one version at a time, not 2/,
  },
  {
    shown: 'affected 1.4.2 --bun <file>',
    args: (p) => ['affected', '1.4.2', '--bun', p.file],
    message: /^affected: a version or --bun <path>, not both$/,
  },
  {
    shown: 'affected --bun <new path>',
    args: (p) => ['affected', '--bun', p.freshOut],
    message: /^affected: --bun \S+: no such file$/,
  },
  {
    shown: 'affected --bun <file>',
    args: (p) => ['affected', '--bun', p.file],
    message: /^affected: --bun \S+: not executable$/,
  },
  {
    shown: 'affected --bun /bin/echo',
    args: () => ['affected', '--bun', '/bin/echo'],
    message: /^affected: --bun \/bin\/echo: does not look like Bun \(`--revision` printed "--revision"\)$/,
  },
  { shown: 'affected --colour', args: () => ['affected', '--colour'], message: /^affected: Unknown option '--colour'/ },

  // ---------------------------------------------------------------- compare
  { shown: 'compare', args: () => ['compare'], message: /^compare: name at least one record or folder of records/ },
  {
    shown: 'compare <FIFO>',
    args: (p) => ['compare', p.fifo],
    message: new RegExp(`^\\S+: ${FIFO}, not a record file or a folder of them$`),
  },
  {
    shown: 'compare <folder holding a FIFO>',
    args: (p) => ['compare', p.fifoFolder],
    message: new RegExp(`^\\S+/x\\.json: ${FIFO}, not a record file$`),
  },
  {
    shown: 'compare <symlink to a secret>',
    args: (p) => ['compare', p.secretLink],
    message: /^\S+secret\.json: not JSON \(an unexpected character\)$/,
  },
  {
    shown: 'compare <record> --reference <device>',
    args: (p) => ['compare', p.record, '--reference', p.device],
    message: /^\S+: a device, not a record file or a folder of them$/,
  },
  {
    shown: 'compare <record> --report <existing file>',
    args: (p) => ['compare', p.record, '--report', p.file],
    message: /^--report \S+: already exists \(a file\); name a new file, nothing is replaced$/,
  },
  {
    shown: 'compare <record> --report <device>',
    args: (p) => ['compare', p.record, '--report', p.device],
    message: /^--report \S+: already exists \(a device\); name a new file, nothing is replaced$/,
  },
  {
    shown: 'compare <record> --report <symlink>',
    args: (p) => ['compare', p.record, '--report', p.secretLink],
    message: /^--report \S+: already exists \(a symbolic link\); name a new file, nothing is replaced$/,
  },
  {
    shown: "compare <record> --report ''",
    args: (p) => ['compare', p.record, '--report', ''],
    message: /^--report is empty: name a new file$/,
  },
  {
    shown: 'compare <record> --report /proc/x',
    args: (p) => ['compare', p.record, '--report', '/proc/x'],
    message: /^--report \/proc\/x: inside \/proc, a kernel filesystem/,
  },
  {
    shown: 'compare <record> --report <new dir>/report.json',
    args: (p) => ['compare', p.record, '--report', path.join(p.freshOut, 'report.json')],
    message: /^--report \S+: no such folder \S+$/,
  },
  {
    shown: 'compare <record> --tolerance 5',
    args: (p) => ['compare', p.record, '--tolerance', '5'],
    message: /^Unknown option '--tolerance'.* \(see: npm run repro -- compare --help\)$/,
  },

  // ---------------------------------------------------------------- npm run matrix
  { program: 'matrix', shown: "--out ''", args: () => ['--out', ''], message: /^--out is empty: name a folder/ },
  {
    program: 'matrix',
    shown: '--out /proc/x',
    args: () => ['--out', '/proc/x'],
    message: /^--out \/proc\/x: inside \/proc, a kernel filesystem/,
  },
  {
    program: 'matrix',
    shown: '--out <existing file>',
    args: (p) => ['--out', p.file],
    message: /^--out \S+: is a file, not a folder$/,
  },
  {
    program: 'matrix',
    shown: '--scenarios s3-lake --out <new dir>',
    args: (p) => ['--scenarios', 's3-lake', '--out', p.freshOut],
    message: /^--scenarios: unknown scenario "s3-lake"; known: /,
  },
  {
    program: 'matrix',
    shown: '--frobnicate',
    args: () => ['--frobnicate'],
    message: /^Unknown option '--frobnicate'.* \(see: npm run matrix -- --help\)$/,
  },

  // ---------------------------------------------------------------- npm run matrix -- ingest
  {
    program: 'matrix',
    shown: 'ingest',
    args: () => ['ingest'],
    message: /^ingest: name the folders \(or files\) holding the downloaded records$/,
  },
  {
    program: 'matrix',
    shown: 'ingest <missing> --out <new dir>',
    args: (p) => ['ingest', path.join(p.freshOut, 'nope'), '--out', p.freshOut],
    message: /^ingest: \S+nope: no such file or folder$/,
  },
  {
    program: 'matrix',
    shown: 'ingest <FIFO> --out <new dir>',
    args: (p) => ['ingest', p.fifo, '--out', p.freshOut],
    message: new RegExp(`^ingest: \\S+: ${FIFO}, not a record file or a folder of them$`),
  },
  {
    program: 'matrix',
    shown: 'ingest <folder holding a FIFO> --out <new dir>',
    args: (p) => ['ingest', p.fifoFolder, '--out', p.freshOut],
    message: new RegExp(`^ingest: \\S+/x\\.json: ${FIFO}, not a record file$`),
  },
  {
    program: 'matrix',
    shown: "ingest <record> --out ''",
    args: (p) => ['ingest', p.record, '--out', ''],
    message: /^--out is empty: name a folder/,
  },
  {
    program: 'matrix',
    shown: 'ingest <record> --out /proc/x',
    args: (p) => ['ingest', p.record, '--out', '/proc/x'],
    message: /^--out \/proc\/x: inside \/proc, a kernel filesystem/,
  },
  {
    program: 'matrix',
    shown: 'ingest <record> --out <existing file>',
    args: (p) => ['ingest', p.record, '--out', p.file],
    message: /^--out \S+: is a file, not a folder$/,
  },
  {
    program: 'matrix',
    shown: 'ingest <record> --list --out <new dir>',
    args: (p) => ['ingest', p.record, '--list', '--out', p.freshOut],
    message: /^ingest takes --out only, not --list/,
  },

  // ---------------------------------------------------------------- npm run preview, npm start
  {
    program: 'preview',
    shown: '--port 70000',
    args: () => ['--port', '70000'],
    message: /^--port must be a number from 0 to 65535, not "70000"$/,
  },
  {
    program: 'preview',
    shown: '--port http',
    args: () => ['--port', 'http'],
    message: /^--port must be a number from 0 to 65535, not "http"$/,
  },
  {
    program: 'preview',
    shown: '--port 0 --root <missing>',
    args: (p) => ['--port', '0', '--root', p.freshOut],
    message: /^--root \S+: no such folder$/,
  },
  {
    program: 'preview',
    shown: '--port 0 --root <FIFO>',
    args: (p) => ['--port', '0', '--root', p.fifo],
    message: new RegExp(`^--root \\S+: is ${FIFO}, not a folder$`),
  },
  {
    program: 'preview',
    shown: '--port 0 --root <folder, no site>',
    args: (p) => ['--port', '0', '--root', p.fifoFolder],
    message: /^\S+ has no index\.html; run `npm run build` first$/,
  },
  {
    program: 'preview',
    shown: '--host 0.0.0.0',
    args: () => ['--host', '0.0.0.0'],
    message: /^Unknown option '--host'.* \(see: npm run preview -- --help\)$/,
  },
  {
    program: 'start',
    shown: '--port 99999',
    args: () => ['--port', '99999'],
    message: /^--port must be a number from 0 to 65535, not "99999"$/,
  },
  {
    program: 'start',
    shown: '',
    env: { PORT: 'eighty' },
    args: () => [],
    message: /^--port must be a number from 0 to 65535, not "eighty"$/,
  },
  {
    program: 'start',
    shown: '--root <folder>',
    args: (p) => ['--root', p.fifoFolder],
    message: /^--root serves a folder as it is; add --no-build$/,
  },
  {
    program: 'start',
    shown: '--no-build --port 0 --root <missing>',
    args: (p) => ['--no-build', '--port', '0', '--root', p.freshOut],
    message: /^--root \S+: no such folder$/,
  },
  {
    program: 'start',
    shown: '--bogus',
    args: () => ['--bogus'],
    message: /^Unknown option '--bogus'.* \(see: npm start -- --help\)$/,
  },
];

/** Bad input the harness still checks only after creating something: none left; kept for the timing script. */
export const KNOWN_GAPS: BadInput[] = [];

/** Fresh places for one case, under `root` (which the caller removes). */
export function placesUnder(root: string): BadInputPlaces {
  mkdirSync(root, { recursive: true });
  const file = path.join(root, 'a-file');
  writeFileSync(file, 'not a folder\n');
  const fifo = path.join(root, 'fifo.json');
  execFileSync('mkfifo', [fifo]);
  const fifoFolder = path.join(root, 'records');
  mkdirSync(fifoFolder);
  execFileSync('mkfifo', [path.join(fifoFolder, 'x.json')]);
  // The tests run as root (README): a device of their own, never a real one, is what a case may hit.
  const device = path.join(root, 'device.json');
  execFileSync('mknod', [device, 'c', '1', '3']);
  const secret = path.join(root, 'secret-target');
  writeFileSync(secret, `${SECRET}\n`);
  const secretLink = path.join(root, 'secret.json');
  symlinkSync(secret, secretLink);
  const dangling = path.join(root, 'dangling');
  symlinkSync(path.join(root, 'nowhere', 'x'), dangling);
  const published = fromRoot('content', 'runs', 's3-leak');
  const record = path.join(
    published,
    readdirSync(published)
      .filter((f) => f.endsWith('.json'))
      .sort()[0]!,
  );
  return { freshOut: path.join(root, 'new-out'), file, fifo, fifoFolder, device, secretLink, dangling, record };
}

/** Every path under `root`, relative, sorted (symlinks not followed). */
function listing(root: string): string[] {
  return readdirSync(root, { recursive: true }).map(String).sort();
}

export interface BadInputRun {
  result: CliResult;
  pid: number;
  wallMs: number;
  /** Whether the fresh --out folder exists afterwards. */
  outCreated: boolean;
  /** Paths under the case's folder (its working folder too) that were not there before. */
  created: string[];
  /** Entries in the CLI's own TMPDIR afterwards (it starts empty). */
  tmpEntries: string[];
  /** `casebook-<pid>-*` folders of this CLI in the system temp folder. */
  systemTempDirs: string[];
  /** Processes it started that are still alive. */
  survivors: number[];
}

/** A CLI that takes a bad input for a good one starts a real run: it is stopped (SIGKILL) after this long. */
const LIMIT_MS = 30_000;

/**
 * Runs one case with its own empty TMPDIR, in the case's own folder (so that a command that takes
 * `--out ''` for the current folder writes there, not into the project), and reports what it left.
 */
export async function runBadInput(input: BadInput, places: BadInputPlaces, tmpdir: string): Promise<BadInputRun> {
  const root = path.dirname(places.file);
  const before = listing(root);
  const started = performance.now();
  const env = { PORT: undefined, CASEBOOK_LIVE_EMBEDDER: undefined, ...input.env };
  const cli = startCli(input.args(places), { tmpdir, cwd: root, env, entry: PROGRAMS[input.program ?? 'repro'].entry });
  const watch = watchDescendants(cli.pid);
  const limit = setTimeout(() => cli.child.kill('SIGKILL'), LIMIT_MS);
  const result = await cli.result;
  clearTimeout(limit);
  const wallMs = performance.now() - started;
  watch.stop();
  return {
    result,
    pid: cli.pid,
    wallMs,
    outCreated: existsSync(places.freshOut),
    created: listing(root).filter((p) => !before.includes(p)),
    tmpEntries: readdirSync(tmpdir),
    systemTempDirs: casebookTempDirs(cli.pid, os.tmpdir()),
    survivors: [...watch.seen.values()].filter(isAlive).map((p) => p.pid),
  };
}
