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
  expect(validateWorkflow(workflow.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04')).errors.length).toBeGreaterThan(0);
});

test('the jobs list builds and scenarios and run them with npm run matrix, and upload the records', () => {
  expect(workflow).toContain('npm run -s matrix -- --list --json --since "$SINCE"');
  // The scenarios come from the registry, never from a list in the workflow.
  expect(workflow).toContain('npm run -s matrix -- --list-scenarios --json --scenarios "$SCENARIOS"');
  expect(workflow).toContain('scenario: ${{ fromJSON(needs.list.outputs.scenarios) }}');
  // Under sudo only for a scenario the harness says needs root.
  expect(workflow).toContain(`run: \${{ matrix.scenario.root && 'sudo env "PATH=$PATH"' || '' }} npm run matrix -- --versions "$VERSION" --scenarios "$SCENARIO" --out matrix-records`);
  expect(workflow).toMatch(/uses: actions\/upload-artifact@v4[\s\S]*path: matrix-records\//);
});

const listScenarios = (scenarios: string) =>
  spawnSync(NODE, [fromRoot('repro', 'harness', 'matrix.ts'), '--list-scenarios', '--json', '--scenarios', scenarios], { encoding: 'utf8' });

test("the list job's scenarios: blank is the registry's every scenario; a list is checked against it", async () => {
  const all = listScenarios('');
  expect(all.status).toBe(0);
  const needsRoot = async (name: string) => (await loadScenario(name)).quick.some((p) => p.root);
  expect(JSON.parse(all.stdout)).toEqual(await Promise.all(scenarioNames.map(async (name) => ({ name, root: await needsRoot(name) }))));
  expect(JSON.parse(listScenarios(` ${scenarioNames.at(-1)}`).stdout)).toEqual([{ name: scenarioNames.at(-1), root: await needsRoot(scenarioNames.at(-1)!) }]);
  const bad = listScenarios('no-such-scenario');
  expect(bad.status).toBe(2);
  expect(bad.stderr.trim().split('\n')).toEqual([`matrix: --scenarios: unknown scenario "no-such-scenario"; known: ${scenarioNames.join(', ')}`]);
});
