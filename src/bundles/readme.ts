// The README inside a bundle: the commands, what a reader should see (generated from the published
// records and the harness's compare rules, so it says exactly what `--compare` will check), what it
// needs, and the files it contains. Record text is escaped before it enters Markdown.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { latestRun } from '../lib/runs.ts';
import { SITE_TITLE } from '../lib/site.ts';
import type { BundleNeeds } from './needs.ts';
import type { BundleScenario } from './scenarios.ts';

/** Paths the README promises; the e2e test checks an unpacked bundle has each of them. */
export const BUNDLE_FILES = [
  'README.md',
  'LICENSE',
  'package.json',
  'package-lock.json',
  'repro/harness/cli.ts',
  'repro/core/record/schema.ts',
  'repro/core/compare/rules.ts',
  'repro/affected/builds.json',
];

/**
 * Text from a record as a Markdown table cell: no cell, row or HTML breaks out of it. Pipes and
 * backslashes are escaped, <, > and & become entities, line breaks become spaces.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`');
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
}

/** The measured time of each command, as Markdown list items (the README; the site shows the same fields). */
function timesList(needs: BundleNeeds): string[] {
  return [
    `\`${needs.install.command}\` ${needs.install.took}.`,
    ...(needs.quick ? [`The quick look ${needs.quick.took}.`] : []),
    `The whole run ${needs.full.took}.`,
  ];
}

export function bundleReadme(
  s: BundleScenario,
  records: readonly RunRecord[],
  siteUrl: string,
  needs: BundleNeeds,
): string {
  const quick = s.quickLook(records);
  const view = s.verdictView(records);
  // The commands and their measured times come from needs (needs.ts), which the site's <Bundle> shows too.
  const refused = needs.fullRefused;
  const comment = (what: string, st: { wall: string | null }) => `   # ${what}${st.wall ? ` (${st.wall})` : ''}`;
  const run = [
    '```sh',
    needs.install.command,
    ...(needs.quick && needs.quick.command !== needs.full.command
      ? [`${needs.quick.command}${comment('the quick look: a verdict for every build', needs.quick)}`]
      : []),
    `${needs.full.command}${comment(refused ? "the scenario's defaults" : 'the whole run, as published', needs.full)}`,
    '```',
    '',
    ...timesList(needs).map((l) => `- ${l}`),
    ...(needs.provenance ? ['', needs.provenance] : []),
    ...(refused ? ['', `The published run's recorded command is not repeated here: ${markdownCell(refused)}.`] : []),
  ];
  const expected = quick
    ? [
        `The run ends with a table that compares your records with the published run (\`reference/${s.name}/\`, run ${markdownCell(quick.runId)}), ` +
          'one line per measurement, and the line `REPRODUCED: …` with exit code 0. These are the published values and the rule each is held to:',
        '',
        ...table(
          ['Build', 'Measurement', 'Published', 'Rule'],
          quick.expected.map((r) => [
            r.build,
            r.item,
            r.published,
            r.verdict === 'not-comparable' ? r.rule : r.rule.replace(/, Holm-adjusted.*$/, ', Holm-adjusted'),
          ]),
        ),
        '',
        'If a line says `DIFFERS` (exit code 3), your machine behaved differently from ours on that measurement: the report ' +
          `\`runs/${s.name}/<run id>.compare.json\` says how, and is small enough to attach to an issue. \`not comparable\` (exit code 4 ` +
          'when nothing else was compared) means the rule could not be applied: other parameters, or too few repetitions for the test to show a difference.',
        `The rules are in \`repro/scenarios/${s.name}/compare.ts\`; \`npm run repro -- compare --help\` explains the command.`,
      ]
    : [
        'No complete run of this scenario was recorded when this bundle was built: there is nothing to compare with yet.',
      ];
  const published = view
    ? [
        '',
        '## The published run',
        '',
        ...table(
          view.header,
          view.rows.map((r) => r.map(String)),
        ),
        '',
        markdownCell(view.caption),
      ]
    : [];
  // The builds are those of the published run (a scenario may name its own defaults); those that are
  // not npm dependencies of the bundle are downloaded from the registry on first use.
  const builds = latestRun(records, s.name).map((r) => r.runtime);
  const buildsText = builds.length ? builds.map((b) => b.label).join(', ') : '1.3.14 (Zig), 1.4.5 (Rust)';
  const fetched = builds.some((b) => b.source.startsWith('npm:@oven/'));
  return [
    `# Reproduction bundle: ${s.title}`,
    '',
    `From ${SITE_TITLE}, ${siteUrl}. Runs the scenario against the Bun builds of the published run, ${buildsText}, writes one JSON run record per build, and compares them with the published run.`,
    '',
    '## Run',
    '',
    ...run,
    '',
    `Records go to \`runs/${s.name}/\` (or \`--out <dir>\`), validated by \`repro/core/record/schema.ts\`. \`npm run repro -- --help\` lists every flag, of the scenario, of compare and of affected; \`npm run repro -- compare <records…>\` compares any records later.`,
    '',
    '## What you should see',
    '',
    ...expected,
    ...published,
    '',
    '## Is my Bun affected?',
    '',
    '```sh',
    'npm run repro -- affected 1.4.2           # an npm label, or what `bun --revision` prints',
    'npm run repro -- affected --bun ./bun     # ask a binary; with no argument, `bun` on PATH',
    '```',
    '',
    `Answers offline from \`repro/affected/builds.json\`, the version matrix as it stood when this bundle was built (${siteUrl.replace(/\/$/, '')}/affected/ has the newest): every recorded failure of that build, where each was fixed, and the smallest upgrade that avoids them. Exit code 0: none recorded; 1: at least one; 2: bad input; 3: the build is not in the matrix.`,
    '',
    '## What it needs',
    '',
    `- Time: the quick look ${needs.quick?.wall ?? 'not measured'}, the whole run ${needs.full.wall ?? 'not measured'} (above)`,
    `- Disk: ${needs.disk}`,
    `- RAM: ${needs.ram}`,
    `- OS: ${needs.os}`,
    fetched
      ? "- Network: the npm registry, for `npm install` and, on first use, each Bun build that is not a dependency (`@oven/bun-linux-x64`, checked against npm's integrity hash and cached). The pinned Node 24 comes from the `node` package."
      : '- Network: the npm registry, for `npm install` only. The pinned Node 24 comes from the `node` package.',
    '',
    '## Files',
    '',
    ...BUNDLE_FILES.map((f) => `- \`${f}\``),
    `- \`repro/scenarios/${s.name}/\`: the scenario's probe and trial code (the harness loads only this scenario)`,
    `- \`reference/${s.name}/\`: the published run's records, which \`--compare\` compares with`,
    '',
    '## Licence',
    '',
    'MIT; see `LICENSE`.',
    '',
  ].join('\n');
}
