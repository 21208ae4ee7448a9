// `npm run repro -- --help` lists every flag the harness accepts: each scenario's own, those every
// scenario shares, compare's and affected's. The flags are read from the definitions the parsers use,
// and the help from the real CLI, so a flag added without help fails here.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { AFFECTED_OPTIONS } from '../../../repro/harness/affected.ts';
import { COMMON_FLAGS } from '../../../repro/harness/common-flags.ts';
import { COMPARE_OPTIONS } from '../../../repro/harness/compare/command.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { availableScenarios } from '../../../repro/harness/scenarios.ts';
import { CLI, NODE } from './run-cli.ts';

function help(args: string[]): string {
  const result = spawnSync(NODE, [CLI, ...args], { cwd: fromRoot(), encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** `--flag` as a word of its own (not the prefix of a longer flag). */
const listed = (text: string, flag: string) => new RegExp(`(^|\\s)--${flag}(\\s|$)`, 'm').test(text);

test('npm run repro -- --help lists every flag of every scenario, compare and affected', async () => {
  const text = help(['--help']);
  const scenarios = await availableScenarios();
  expect(scenarios.length).toBeGreaterThan(0);
  const flags = [
    ...Object.keys(COMMON_FLAGS),
    ...scenarios.flatMap((s) => Object.keys(s.flags)),
    ...Object.keys(COMPARE_OPTIONS),
    ...Object.keys(AFFECTED_OPTIONS),
  ];
  for (const flag of flags) expect(listed(text, flag), `--${flag} missing from --help`).toBe(true);
  // Each scenario's own flags under its own heading.
  for (const s of scenarios) {
    const section = text.split(`flags of ${s.name}:`)[1]?.split(/\n\n/)[0] ?? '';
    for (const flag of Object.keys(s.flags))
      expect(listed(section, flag), `--${flag} not under "flags of ${s.name}:"`).toBe(true);
  }
});

test('compare --help and affected --help each list every flag their parser accepts', () => {
  const compare = help(['compare', '--help']);
  for (const flag of Object.keys(COMPARE_OPTIONS)) expect(listed(compare, flag), `compare --${flag}`).toBe(true);
  const affected = help(['affected', '--help']);
  for (const flag of Object.keys(AFFECTED_OPTIONS)) expect(listed(affected, flag), `affected --${flag}`).toBe(true);
});
