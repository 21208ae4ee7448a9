// "A failure is one folder", enforced: a copy of the project gets one new folder under
// repro/failures/ (a probe that allocates 32 MiB and frees it), and nothing else. The folder alone
// must put the failure in the harness's registry, in the matrix's build plan, in a record written by
// a real Bun, on the site's pages and in ledger.json; and git must see no other file changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { copyProject, EXAMPLE_ADDRESSES } from '../project-copy.ts';
import { BUN_RUST, NODE } from '../repro/harness/run-cli.ts';
import { needs, NPM_REGISTRY } from '../prerequisites.ts';

const ID = 'throwaway-alloc';
const work = mkdtempSync(path.join(os.tmpdir(), 'casebook-throwaway-'));
const copy = path.join(work, 'project');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FAILURE_TS = `// A throwaway failure for the catalogue's own test: allocate and free, which no build leaks.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

export const failure = defineFailure({
  id: '${ID}',
  title: 'A 32 MiB buffer is not returned',
  heading: { wide: 'Throwaway\\nallocation', narrow: 'Throw-\\naway' },
  kind: 'leak',
  summary: 'A probe that allocates a buffer and drops it; any build returns the memory.',
  issue: { number: 1, title: 'not a real issue', reported: 'never' },
  fix: null,
  services: [],
  parameters: { mib: 32 },
  timeoutMs: 30_000,
  repetitions: 1,
  measurement: z.object({ riseBytes: z.number() }),
  keyFigure: { label: 'RssAnon rise after the buffer, collected', unit: 'MiB', threshold: 24, of: (m) => m.riseBytes / 2 ** 20 },
  verdict: {
    rule: 'affected when anonymous resident memory rises by 24 MiB or more after one 32 MiB buffer is dropped and collected',
    reason: 'The buffer is 32 MiB; a build that frees it ends within a few MiB of where it began.',
    decide: (m) => (m.riseBytes >= 24 * 2 ** 20 ? 'affected' : 'not-affected'),
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
`;

const PROBE_TS = `import { readFileSync } from 'node:fs';
declare const Bun: { gc(force: boolean): void };
const anon = () => Number(/RssAnon:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
Bun.gc(true);
const before = anon();
let buffer: Uint8Array | null = new Uint8Array(Number(process.env.CASEBOOK_MIB) * 2 ** 20).fill(1);
buffer = null;
Bun.gc(true);
console.log(JSON.stringify({ ev: 'result', riseBytes: anon() - before }));
`;

/** Runs a command in the copy and returns its stdout; a failure shows its stderr. */
function inCopy(command: string, args: string[], env: Record<string, string> = {}): string {
  const run = spawnSync(command, args, {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  expect(run.status, `${command} ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

test(`a new folder under repro/failures/ is the whole of adding a failure${needs(NPM_REGISTRY)}`, {
  timeout: 600_000,
}, () => {
  // The copy (every file git would commit, and node_modules of links), as a repository of its own.
  copyProject(copy);
  const git = (...args: string[]) =>
    inCopy('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args]);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'the project as it is');

  mkdirSync(path.join(copy, 'repro', 'failures', ID));
  writeFileSync(path.join(copy, 'repro', 'failures', ID, 'failure.ts'), FAILURE_TS);
  writeFileSync(path.join(copy, 'repro', 'failures', ID, 'probe.ts'), PROBE_TS);

  // The harness's registry: the CLI knows the id, as a scenario alias and in its help.
  expect(inCopy(NODE, ['repro/harness/cli.ts', ID, '--help'])).toContain(ID);
  // The matrix's build plan has a job for it.
  const plan = JSON.parse(
    inCopy(NODE, ['repro/harness/matrix.ts', '--scenarios', 'catalogue', '--versions', '1.4.5', '--plan', '--json']),
  ) as { protocol: string; build: string; recorded: boolean }[];
  expect(plan).toContainEqual({ scenario: 'catalogue', protocol: ID, build: '1.4.5', recorded: false });

  // A real run of its probe by a real Bun, recorded where the matrix keeps its records.
  const records = path.join(copy, 'content', 'matrix', 'catalogue');
  inCopy(NODE, ['repro/harness/cli.ts', ID, '--bun', BUN_RUST, '--out', records]);
  const written = readdirSync(records).filter((f) => f.includes(`_${ID}_`));
  expect(written).toHaveLength(1);
  const record = JSON.parse(readFileSync(path.join(records, written[0]!), 'utf8'));
  expect(record.status).toBe('complete');
  expect(record.verdict.status).toBe('not-affected');

  // The site, built from the copy: the failure's page, its row in the ledger, its column in the matrix.
  const dist = path.join(work, 'dist');
  inCopy('npx', ['astro', 'build', '--outDir', dist], EXAMPLE_ADDRESSES);
  const page = readFileSync(path.join(dist, 'failures', ID, 'index.html'), 'utf8');
  expect(page).toContain('A 32 MiB buffer is not returned');
  expect(page).toContain('CASEBOOK_MIB'); // the probe's source, shown
  expect(page).toContain(`npm run repro -- ${ID}`);
  expect(readFileSync(path.join(dist, 'failures', 'index.html'), 'utf8')).toContain(`/failures/${ID}/`);
  const ledger = JSON.parse(readFileSync(path.join(dist, 'ledger.json'), 'utf8')) as {
    failure: string;
    class: string;
    states: Record<string, string>;
  }[];
  const row = ledger.find((r) => r.failure === ID);
  expect(row?.class).toBe('not-seen');
  expect(Object.values(row!.states)).toContain('not-affected');

  // And nothing else was edited: git sees the folder and the record, no other change.
  const changes = git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort();
  expect(changes).toEqual(
    [
      `?? content/matrix/catalogue/${written[0]}`,
      `?? repro/failures/${ID}/failure.ts`,
      `?? repro/failures/${ID}/probe.ts`,
    ].sort(),
  );
});
