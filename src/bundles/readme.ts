// The README inside a bundle: the one command, what to expect (read from the latest recorded
// run, so it matches the site), what it needs, and the files it contains.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { verdictView } from '../lib/verdicts.ts';
import type { BundleNeeds } from './needs.ts';
import type { BundleScenario } from './scenarios.ts';

/** Paths the README promises; the e2e test checks an unpacked bundle has each of them. */
export const BUNDLE_FILES = ['README.md', 'LICENSE', 'package.json', 'package-lock.json', 'repro/harness/cli.ts', 'repro/harness/record/schema.ts'];

export function bundleReadme(s: BundleScenario, records: readonly RunRecord[], siteUrl: string, needs: BundleNeeds): string {
  const view = verdictView(records, s.name);
  const expected = view
    ? [
        `The project's latest recorded run (${view.caption.replace(/^[^(]*\(/, '').replace(/\)$/, '')}) gave:`,
        '',
        `| ${view.header.join(' | ')} |`,
        `| ${view.header.map(() => '---').join(' | ')} |`,
        ...view.rows.map((r) => `| ${r.join(' | ')} |`),
        '',
        'Your numbers will differ in detail (machine, kernel, noise); the verdicts are what should match.',
        ...(s.resultNote ? ['', s.resultNote] : []),
      ]
    : ['No run of this scenario was recorded on the project machine when this bundle was built; the verdicts are yours to find.'];
  return [
    `# Reproduction bundle: ${s.title}`,
    '',
    `From ${siteUrl}. Runs the scenario against both pinned Bun builds, 1.3.14 (Zig) and 1.4.5 (Rust), and writes one JSON run record per build.`,
    '',
    '## Run',
    '',
    '```sh',
    'npm install && npm run repro',
    '```',
    '',
    `A shorter first run: \`${s.quickRun}\`. All flags: \`npm run repro -- --help\`.`,
    'Records are written to `content/runs/' + s.name + '/` (or `--out <dir>`), validated by `repro/harness/record/schema.ts`.',
    '',
    '## Expected results',
    '',
    ...expected,
    '',
    '## What it needs',
    '',
    `- Time: ${needs.time}`,
    `- Disk: ${needs.disk}`,
    `- RAM: ${needs.ram}`,
    `- OS: ${needs.os}`,
    '- Network: the npm registry, for `npm install` only. The pinned Node 24 comes from the `node` package.',
    '',
    '## Files',
    '',
    ...BUNDLE_FILES.map((f) => `- \`${f}\``),
    `- \`repro/scenarios/${s.name}/\`: the scenario's probe and trial code (the harness loads only this scenario)`,
    '',
    '## Licence',
    '',
    'MIT; see `LICENSE`.',
    '',
  ].join('\n');
}
