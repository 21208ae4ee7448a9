import { expect, test } from 'vitest';
import { compareVersions, sortVersions } from '../../../repro/core/versions.ts';

test('npm labels sort by semver precedence: canaries by date, each release after its canaries', () => {
  expect(
    sortVersions([
      '1.4.0',
      '1.3.14',
      '1.3.9',
      '1.3.14-canary.20260519.1',
      '1.3.10',
      '1.3.14-canary.20260513.1',
      '1.4.0-canary.20260823.1',
      '1.3.0',
    ]),
  ).toEqual([
    '1.3.0',
    '1.3.9',
    '1.3.10',
    '1.3.14-canary.20260513.1',
    '1.3.14-canary.20260519.1',
    '1.3.14',
    '1.4.0-canary.20260823.1',
    '1.4.0',
  ]);
  expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBeLessThan(0);
  expect(compareVersions('1.0.0-alpha.beta', '1.0.0-beta')).toBeLessThan(0);
  expect(compareVersions('1.0.0-2', '1.0.0-11')).toBeLessThan(0);
  expect(compareVersions('1.0.0-1', '1.0.0-alpha')).toBeLessThan(0);
  expect(compareVersions('1.2.3+abc', '1.2.3+def')).toBe(0);
});
