// The matrix workflow is valid GitHub Actions YAML (schema check by action-validator), and each of its
// jobs runs the same command a reader runs locally, so the fan-out cannot drift from `npm run matrix`.
import { validateWorkflow } from '@action-validator/core';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { loadScenario, scenarioNames } from '../../../repro/harness/scenarios.ts';
import { NODE } from './run-cli.ts';

const workflow = readFileSync(fromRoot('.github', 'workflows', 'matrix.yml'), 'utf8');

test('the workflow passes the GitHub Actions schema', () => {
  expect(validateWorkflow(workflow).errors).toEqual([]);
});

test('the validator is not vacuous: a misspelt key fails', () => {
  expect(
    validateWorkflow(workflow.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04')).errors.length,
  ).toBeGreaterThan(0);
});

test('the jobs list builds and scenarios and run them with npm run matrix, and upload the records', () => {
  expect(workflow).toContain('npm run -s matrix -- --list --json --since "$SINCE"');
  // The scenarios come from the registry, never from a list in the workflow.
  expect(workflow).toContain('npm run -s matrix -- --list-scenarios --json --scenarios "$SCENARIOS"');
  expect(workflow).toContain('scenario: ${{ fromJSON(needs.list.outputs.scenarios) }}');
  // Under sudo only for a scenario the harness says needs root.
  expect(workflow).toContain(
    `run: \${{ matrix.scenario.root && 'sudo env "PATH=$PATH"' || '' }} npm run matrix -- --versions "$VERSION" --scenarios "$SCENARIO" --out matrix-records`,
  );
  expect(workflow).toMatch(/uses: actions\/upload-artifact@[0-9a-f]{40} # v4[\s\S]*path: matrix-records\//);
});

const listScenarios = (scenarios: string) =>
  spawnSync(NODE, [fromRoot('repro', 'harness', 'matrix.ts'), '--list-scenarios', '--json', '--scenarios', scenarios], {
    encoding: 'utf8',
  });

test("the list job's scenarios: blank is the registry's every scenario; a list is checked against it", async () => {
  const all = listScenarios('');
  expect(all.status).toBe(0);
  const needsRoot = async (name: string) => (await loadScenario(name)).quick.some((p) => p.root);
  expect(JSON.parse(all.stdout)).toEqual(
    await Promise.all(scenarioNames.map(async (name) => ({ name, root: await needsRoot(name) }))),
  );
  expect(JSON.parse(listScenarios(` ${scenarioNames.at(-1)}`).stdout)).toEqual([
    { name: scenarioNames.at(-1), root: await needsRoot(scenarioNames.at(-1)!) },
  ]);
  const bad = listScenarios('no-such-scenario');
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim().split('\n')).toEqual([
    `matrix: --scenarios: unknown scenario "no-such-scenario"; known: ${scenarioNames.join(', ')}`,
  ]);
});

/** Each step of the workflow as its lines: a step starts at `- ` under `steps:`. */
function steps(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (/^\s+- (uses|run|id|env|if|name):/.test(line)) out.push([line]);
    else if (out.length > 0 && /^\s{8,}\S/.test(line)) out.at(-1)!.push(line);
  }
  return out;
}

/** The `uses:` references that are not pinned to a full commit SHA (a tag or branch can be moved to other code). */
const unpinned = (text: string) =>
  [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]!).filter((ref) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref));
/** Checkout steps that leave the job's token in .git/config, where install scripts and downloaded Bun builds can read it. */
const keepingCredentials = (text: string) =>
  steps(text).filter(
    (s) =>
      /uses:\s*actions\/checkout@/.test(s.join('\n')) && !s.some((l) => /^\s+persist-credentials:\s*false\s*$/.test(l)),
  );

test('every action is pinned to a commit SHA (the tag in a comment) and no checkout keeps its credentials', () => {
  const uses = [...workflow.matchAll(/uses:\s*(\S+)/g)];
  expect(uses.length).toBeGreaterThanOrEqual(5);
  expect(unpinned(workflow)).toEqual([]);
  for (const [line] of workflow.matchAll(/uses:.*$/gm)) expect(line).toMatch(/@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  expect(steps(workflow).filter((s) => /actions\/checkout@/.test(s[0]!))).toHaveLength(2);
  expect(keepingCredentials(workflow)).toEqual([]);
  // Read-only token for every job: nothing here writes to the repository.
  expect(workflow).toMatch(/^permissions:\n {2}contents: read\n\n/m);
  expect(workflow).not.toMatch(/^ +permissions:/m);
});

test('the pinning checks are not vacuous: a tag, a short SHA and a checkout with credentials are caught', () => {
  expect(unpinned(workflow.replace(/actions\/setup-node@[0-9a-f]{40}/g, 'actions/setup-node@v4'))).toEqual([
    'actions/setup-node@v4',
    'actions/setup-node@v4',
  ]);
  expect(unpinned(workflow.replace(/(actions\/upload-artifact@[0-9a-f]{7})[0-9a-f]{33}/, '$1'))).toHaveLength(1);
  expect(keepingCredentials(workflow.replace('persist-credentials: false', 'persist-credentials: true'))).toHaveLength(
    1,
  );
  expect(keepingCredentials(workflow.replace(/\n\s+with:\n\s+persist-credentials: false/, ''))).toHaveLength(1);
});
