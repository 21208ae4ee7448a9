// The matrix workflow is valid GitHub Actions YAML (schema check by action-validator), and each of its
// jobs runs the same command a reader runs locally, so the fan-out cannot drift from `npm run matrix`.
import { validateWorkflow } from '@action-validator/core';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';

const workflow = readFileSync(fromRoot('.github', 'workflows', 'matrix.yml'), 'utf8');

test('the workflow passes the GitHub Actions schema', () => {
  expect(validateWorkflow(workflow).errors).toEqual([]);
});

test('the validator is not vacuous: a misspelt key fails', () => {
  expect(validateWorkflow(workflow.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04')).errors.length).toBeGreaterThan(0);
});

test('the jobs list and run builds with npm run matrix, and upload the records', () => {
  expect(workflow).toContain('npm run -s matrix -- --list --json --since "$SINCE"');
  expect(workflow).toContain('npm run matrix -- --versions "$VERSION" --scenarios "$SCENARIO" --out matrix-records');
  expect(workflow).toMatch(/uses: actions\/upload-artifact@v4[\s\S]*path: matrix-records\//);
});
