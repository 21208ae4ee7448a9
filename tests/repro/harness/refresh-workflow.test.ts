// The daily refresh (.github/workflows/refresh.yml), read as data and run here: its own step scripts,
// with the workflow's env, against a copy of content/matrix that lacks one record (as if a build, or
// a failure, had just been published). The plan step must name exactly that job, the run step must
// record it, the ingest step must bring the record in, after which the plan is empty; the pull
// request's body must name the build, the job and the ingest counts. Then the workflow's shape:
// actions pinned, least permissions, one refresh at a time, no expression inside a script.
import { validateWorkflow } from '@action-validator/core';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BuildsIndex } from '../../../repro/core/builds-index.ts';
import { PublishedBuilds } from '../../../repro/core/published.ts';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import { compareVersions } from '../../../repro/core/versions.ts';
import { cacheRoot, platformPackage } from '../../../repro/harness/bun-registry.ts';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { harnessInfo } from '../../../repro/harness/provenance.ts';
import { parseYaml } from './workflow-yaml.ts';

const text = readFileSync(fromRoot('.github', 'workflows', 'refresh.yml'), 'utf8');
// The file as data; its shape is what the tests below assert.
// biome-ignore lint/suspicious/noExplicitAny: the parsed workflow, whose shape these tests assert key by key
const workflow = parseYaml(text) as any;
type Step = {
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  if?: string;
};
const steps = (job: string): Step[] => workflow.jobs[job].steps;
const scripted = (job: string) =>
  steps(job).filter((s) => s.run !== undefined && s.run !== 'npm ci --no-audit --no-fund');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'casebook-refresh-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One step's script as the runner runs it (bash -eo pipefail), with the workflow's env and `env`. */
function runStep(step: Step, env: Record<string, string>) {
  const output = path.join(tmp, `output-${Math.random().toString(36).slice(2)}`);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: fromRoot(),
    encoding: 'utf8',
    env: { ...process.env, ...workflow.env, GITHUB_OUTPUT: output, RUNNER_TEMP: path.join(tmp, 'runner'), ...env },
    timeout: 300_000,
  });
  const outputs = Object.fromEntries(
    (existsSync(output) ? readFileSync(output, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { ...result, outputs };
}

const FAILURE = 'bundler-let-shadowing'; // the cheapest catalogue failure to run

test('the workflow passes the GitHub Actions schema, and a misspelt key would fail it', () => {
  expect(validateWorkflow(text).errors).toEqual([]);
  expect(validateWorkflow(text.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04')).errors.length).toBeGreaterThan(
    0,
  );
});

test(`a build without a record: the plan names exactly its job, the run records it, ingest brings it in, the plan is then empty${needs(NPM_REGISTRY)}`, {
  timeout: 600_000,
}, () => {
  // The matrix as committed, less one record: the newest build already in the Bun cache, one catalogue failure.
  const matrix = path.join(tmp, 'matrix');
  cpSync(fromRoot('content', 'matrix'), matrix, { recursive: true });
  const catalogue = path.join(matrix, 'catalogue');
  const ofFailure = readdirSync(catalogue)
    .filter((f) => f.includes(`_${FAILURE}_`))
    .map((f) => ({ file: f, record: RunRecord.parse(JSON.parse(readFileSync(path.join(catalogue, f), 'utf8'))) }));
  const buildOf = (r: RunRecord) => r.runtime.source.replace(/^.*@/, '');
  const cached = (v: string) =>
    existsSync(path.join(cacheRoot(), platformPackage().replace('/', '+'), v, 'install.json'));
  const builds = [...new Set(ofFailure.map((l) => buildOf(l.record)))].sort(compareVersions);
  const build = builds.filter(cached).at(-1) ?? builds.at(-1)!;
  const removed = ofFailure.filter((l) => buildOf(l.record) === build);
  expect(removed.length).toBeGreaterThan(0);
  for (const { file } of removed) rmSync(path.join(catalogue, file));

  const [plan] = steps('plan').filter((s) => s.id === 'plan');
  expect(plan!.env).toEqual({ SINCE: "${{ inputs.since || '1.3.0' }}", SCENARIOS: "${{ inputs.scenarios || '' }}" });
  const planEnv = { SINCE: '1.3.0', SCENARIOS: '', MATRIX_DIR: matrix };
  const planned = runStep(plan!, planEnv);
  expect(planned.status, planned.stderr).toBe(0);
  const expected = [{ version: build, scenario: 'catalogue', protocols: FAILURE, root: false }];
  expect(JSON.parse(planned.outputs.jobs!)).toEqual(expected);
  expect(planned.outputs.count).toBe('1');

  // The fan-out's one job, as the runner would run it, into its own records folder.
  const [run] = scripted('run');
  expect(run!.env).toEqual({
    VERSION: '${{ matrix.job.version }}',
    SCENARIO: '${{ matrix.job.scenario }}',
    PROTOCOLS: '${{ matrix.job.protocols }}',
    ROOT: '${{ matrix.job.root }}',
  });
  const records = path.join(tmp, 'records');
  const ran = runStep(run!, {
    VERSION: build,
    SCENARIO: 'catalogue',
    PROTOCOLS: FAILURE,
    ROOT: 'false',
    RECORDS: records,
  });
  expect(ran.status, ran.stdout + ran.stderr).toBe(0);
  const written = readdirSync(path.join(records, 'catalogue'));
  expect(written).toHaveLength(1);
  expect(written[0]).toContain(`_${FAILURE}_`);
  // Only the missing protocol ran: no other failure of the catalogue was recorded again.
  expect(ran.stdout.match(/\[\d+\/\d+\]/g)?.every((t) => t.endsWith('/1]'))).toBe(true);

  // As download-artifact lays the artifacts out: a folder per artifact, named as upload-artifact named it.
  const upload = steps('run').find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
  const download = steps('pull-request').find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
  expect(upload.with!.name).toBe('records-${{ matrix.job.scenario }}-${{ matrix.job.version }}');
  expect(download.with).toEqual({ pattern: 'records-*', path: '${{ env.ARTIFACTS }}' });
  expect(upload.with!.path).toBe('${{ env.RECORDS }}/');
  const artifacts = path.join(tmp, 'artifacts');
  mkdirSync(artifacts);
  cpSync(records, path.join(artifacts, `records-catalogue-${build}`), { recursive: true });

  mkdirSync(path.join(tmp, 'runner'));
  const [ingest, published, reindex, body] = scripted('pull-request');
  // The builds index as committed, copied: the step rewrites the copy, never this checkout's.
  const buildsIndexCopy = path.join(tmp, 'builds.json');
  cpSync(fromRoot('repro', 'affected', 'builds.json'), buildsIndexCopy);
  const prEnv = { MATRIX_DIR: matrix, ARTIFACTS: artifacts, BUILDS_INDEX: buildsIndexCopy };
  const ingested = runStep(ingest!, prEnv);
  expect(ingested.status, ingested.stdout + ingested.stderr).toBe(0);
  expect(ingested.stdout.trim()).toBe('matrix: ingested 1 record, rejected 0');
  expect(ingested.outputs.status).toBe('0');
  expect(readFileSync(path.join(catalogue, written[0]!))).toEqual(
    readFileSync(path.join(records, 'catalogue', written[0]!)),
  );

  const wrote = runStep(published!, prEnv);
  expect(wrote.status, wrote.stderr).toBe(0);
  const builds2 = PublishedBuilds.parse(JSON.parse(readFileSync(path.join(matrix, 'published.json'), 'utf8')));
  const when = builds2.versions.find((v) => v.version === build)?.published;
  expect(when).toBeDefined();

  // The index from the records now in place, and what changed in it: the record was run again, so the
  // build is still there with a state for the failure, whatever the state is now.
  const reindexed = runStep(reindex!, prEnv);
  expect(reindexed.status, reindexed.stderr).toBe(0);
  const after = BuildsIndex.parse(JSON.parse(readFileSync(buildsIndexCopy, 'utf8')));
  expect(after.builds.find((b) => b.npm === build)?.states[FAILURE]?.record).toMatch(
    new RegExp(`^/matrix/catalogue/${written[0]!.replace(/\.json$/, '')}`),
  );
  const changes = readFileSync(path.join(tmp, 'runner', 'changes.md'), 'utf8');
  expect(changes).toMatch(/^- /);

  // Recorded now: the next plan is empty, unless this checkout's harness has uncommitted changes, whose
  // records never count as done (the record says dirty, and the job stays to run).
  const again = runStep(plan!, planEnv);
  expect(again.status, again.stderr).toBe(0);
  if (harnessInfo().dirty) expect(JSON.parse(again.outputs.jobs!)).toEqual(expected);
  else expect([again.outputs.jobs, again.outputs.count]).toEqual(['[]', '0']);

  // The pull request's body: the build and when it came out, the job, what ingest said.
  const described = runStep(body!, {
    ...prEnv,
    JOBS: planned.outputs.jobs!,
    RUN_RESULT: 'success',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_RUN_ID: '7',
  });
  expect(described.status, described.stderr).toBe(0);
  const md = readFileSync(path.join(tmp, 'runner', 'body.md'), 'utf8');
  expect(md).toContain('https://github.com/o/r/actions/runs/7');
  expect(md).toContain(`- ${build}, published on npm ${when}\n`);
  expect(md).toContain('## Jobs (fan-out: success)');
  expect(md).toContain(`| ${build} | catalogue | ${FAILURE} |\n`);
  expect(md).toContain('matrix: ingested 1 record, rejected 0');
  expect(md).toContain(`## What changed in the ledger and the builds index\n\n${changes}`);
});

test(`nothing missing: the plan step says so with an empty fan-out, and the other jobs are skipped${needs(NPM_REGISTRY)}`, () => {
  const [plan] = steps('plan').filter((s) => s.id === 'plan');
  const empty = path.join(tmp, 'empty-plan');
  mkdirSync(empty);
  // Every job of a build range that has every record: the committed matrix, from its newest build on.
  const newest = JSON.parse(
    spawnSync('npm', ['run', '-s', 'matrix', '--', '--list', '--json'], { cwd: fromRoot(), encoding: 'utf8' }).stdout,
  ).at(-1);
  const planned = runStep(plan!, { SINCE: newest, SCENARIOS: 'catalogue', MATRIX_DIR: fromRoot('content', 'matrix') });
  expect(planned.status, planned.stderr).toBe(0);
  if (!harnessInfo().dirty) expect([planned.outputs.jobs, planned.outputs.count]).toEqual(['[]', '0']);
  // And a folder with no records: every job of that build, one entry per scenario.
  const all = runStep(plan!, { SINCE: newest, SCENARIOS: '', MATRIX_DIR: empty });
  expect(all.status, all.stderr).toBe(0);
  expect(
    JSON.parse(all.outputs.jobs!)
      .map((j: { scenario: string }) => j.scenario)
      .sort(),
  ).toEqual(['catalogue', 's3-leak', 's3-upload', 'sql-pool']);
  expect(JSON.parse(all.outputs.jobs!).find((j: { scenario: string }) => j.scenario === 'sql-pool')).toEqual({
    version: newest,
    scenario: 'sql-pool',
    protocols: 'pool-faults,silent-loss',
    root: true,
  });
  // The jobs after the plan run only when it found something.
  expect(workflow.jobs.run.if).toBe("needs.plan.outputs.count != '0'");
  expect(workflow.jobs['pull-request'].if).toBe("${{ !cancelled() && needs.plan.outputs.count != '0' }}");
  expect(workflow.jobs.run.strategy.matrix).toEqual({ job: '${{ fromJSON(needs.plan.outputs.jobs) }}' });
  expect(workflow.jobs['pull-request'].needs).toEqual(['plan', 'run']);
});

/** Every `uses:` in the file, with what follows it on its line. */
const usesLines = (t: string) => [...t.matchAll(/^\s*(?:- )?uses:\s*(.*)$/gm)].map((m) => m[1]!);
/** The jobs that ask for any write permission, and those that ask for any at all. */
const writers = (w: typeof workflow) =>
  Object.keys(w.jobs).filter((j) => Object.values(w.jobs[j].permissions ?? {}).includes('write'));

test('every action is pinned to a commit SHA with its tag; only the pull-request job writes; one refresh at a time', () => {
  const uses = usesLines(text);
  // Three jobs' checkout and setup-node, the upload and the download; the parsed file agrees with its text.
  expect(uses).toHaveLength(8);
  expect(Object.keys(workflow.jobs).flatMap((j) => steps(j).flatMap((s) => (s.uses ? [s.uses] : [])))).toEqual(
    uses.map((u) => u.replace(/ #.*$/, '')),
  );
  for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  expect(
    usesLines(text.replace(/download-artifact@[0-9a-f]{40}/, 'download-artifact@v4')).filter(
      (u) => !/@[0-9a-f]{40} /.test(u),
    ),
  ).toHaveLength(1);

  expect(workflow.on).toEqual({
    schedule: [{ cron: '17 5 * * *' }],
    workflow_dispatch: expect.objectContaining({
      inputs: expect.objectContaining({ since: expect.anything(), scenarios: expect.anything() }),
    }),
  });
  expect(workflow.permissions).toEqual({ contents: 'read' });
  expect(writers(workflow)).toEqual(['pull-request']);
  expect(workflow.jobs['pull-request'].permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  expect(workflow.jobs.plan.permissions).toBeUndefined();
  expect(workflow.jobs.run.permissions).toBeUndefined();
  // The check is not vacuous: a write slipped into the fan-out is caught.
  expect(
    writers(
      parseYaml(
        text.replace('    timeout-minutes: 60\n', '    timeout-minutes: 60\n    permissions:\n      contents: write\n'),
      ),
    ),
  ).toEqual(['run', 'pull-request']);

  expect(workflow.concurrency).toEqual({ group: 'refresh', 'cancel-in-progress': false });
  for (const job of Object.keys(workflow.jobs)) expect(workflow.jobs[job]['timeout-minutes'], job).toBeGreaterThan(0);

  // No checkout leaves its token in .git/config; the pull-request job's token reaches only its last step.
  const checkouts = Object.keys(workflow.jobs).flatMap((j) =>
    steps(j).filter((s) => s.uses?.startsWith('actions/checkout@')),
  );
  expect(checkouts).toHaveLength(3);
  for (const c of checkouts) expect(c.with).toEqual({ 'persist-credentials': false });
  const withToken = Object.keys(workflow.jobs).flatMap((j) =>
    steps(j).filter((s) => JSON.stringify(s).includes('github.token')),
  );
  expect(withToken).toEqual([steps('pull-request').at(-1)]);
  expect(steps('pull-request').at(-1)!.run).toMatch(
    /gh auth setup-git\n\s*git push origin "\$branch"\n\s*gh pr create /,
  );
});

test('no script interpolates an expression: inputs and matrix values reach them through env', () => {
  const scripts = Object.keys(workflow.jobs).flatMap((j) =>
    steps(j).flatMap((s) => (s.run === undefined ? [] : [s.run])),
  );
  expect(scripts.length).toBeGreaterThanOrEqual(9);
  expect(scripts.filter((s) => s.includes('${{'))).toEqual([]);
  // matrix.yml's form would be caught.
  expect(parseYaml(text.replace('if [ "$ROOT" = true ]; then', 'if ${{ matrix.job.root }}; then'))).toMatchObject({
    jobs: {
      run: { steps: expect.arrayContaining([expect.objectContaining({ run: expect.stringContaining('${{') })]) },
    },
  });
});
