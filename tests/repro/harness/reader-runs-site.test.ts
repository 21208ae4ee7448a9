// Records a reader made with legitimate flags never break the site: real short runs of each scenario
// with flags other than the published ones (sizes without the 256 MiB one the article quotes, fewer
// reads, one trial), previewed through CASEBOOK_RUNS_DIR as the README suggests. The build must pass,
// and the pages say what the run lacks instead of a number it does not hold.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildSite, copyProject, EXAMPLE_ADDRESSES } from '../../project-copy.ts';
import { BUN_RUST, recordsIn, removeDirs, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

test("a reader's own runs with other flags, one per scenario, build the site; its pages say what each run lacks", {
  timeout: 600_000,
}, async () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'repro-reader-runs-'));
  dirs.push(work);
  const runs = path.join(work, 'runs');
  const flags = {
    's3-upload': ['--payload-mib', '8,16', '--repetitions', '1', '--control-payload-mib', 'none', '--bun', BUN_RUST],
    's3-leak': ['--max-iterations', '300'],
    'sql-pool': ['--faults', 'terminate', '--orderings', 'after', '--repetitions', '1'],
  };
  // The three runs share nothing but the machine (each its own --out, temporary folders, store or
  // server, and port), and nothing here reads a measurement: they run at the same time.
  const runIds: Record<string, string> = Object.fromEntries(
    await Promise.all(
      Object.entries(flags).map(async ([scenario, args]) => {
        const out = path.join(runs, scenario);
        const run = await runCli([scenario, ...args, '--out', out]);
        expect(run.code, `${scenario}: ${run.stderr}`).toBe(0);
        return [scenario, recordsIn(out)[0]!.record.runId];
      }),
    ),
  );

  const dist = path.join(work, 'dist');
  const build = buildSite(copyProject(path.join(work, 'project')), dist, {
    ...process.env,
    CASEBOOK_RUNS_DIR: runs,
    ...EXAMPLE_ADDRESSES,
  });
  expect(build.status, `${build.stdout.slice(-2000)}\n${build.stderr.slice(-2000)}`).toBe(0);

  const page = (article: string) => readFileSync(path.join(dist, 'articles', article, 'index.html'), 'utf8');
  const upload = page('s3-upload-regression');
  expect(upload).toContain(runIds['s3-upload']);
  // The <Stat> that threw: the published run's 256 MiB rise, which this run did not measure.
  expect(upload).toContain('[not measured in this run: needs a 256 MiB upload (this run uploaded 8 and 16 MiB)]');
  // The affected 1.4.2 build the article quotes is not among this run's builds (one --bun).
  expect(upload).toContain('[not measured in this run: no 1.4.2 build in this run]');

  const leak = page('s3-read-leak');
  expect(leak).toContain(runIds['s3-leak']);
  expect(leak).not.toContain('[no recorded run yet]');

  const sql = page('sql-pool-after-scale-to-zero');
  expect(sql).toContain(runIds['sql-pool']);
  expect(sql).toContain('[not measured in this run: needs the cold-start/after trial]');
  expect(sql).toContain('[not measured in this run: needs the lazy-rst/after trial of both a Zig and a Rust build]');
});
