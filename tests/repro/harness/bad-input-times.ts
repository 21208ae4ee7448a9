// Prints the bad-input table (bad-input.ts) as Markdown: invocation, exit code, the message, wall
// time, and whether anything was left behind, then the maximum and median wall time. A measurement
// for notes, not a test: times vary with the machine's load, so no test asserts on them.
//
//   npm run bench:bad-input
//   REPRO_TEST_CLI=/old/checkout/repro/harness/cli.ts npm run bench:bad-input
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BAD_INPUTS, invocation, KNOWN_GAPS, placesUnder, runBadInput } from './bad-input.ts';
import { CLI, privateTmp } from './run-cli.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ⏎ ');
console.log(`CLI: ${CLI}\n`);
console.log('| invocation | exit | stderr | wall time | left behind |');
console.log('|---|---|---|---|---|');
const seconds: number[] = [];
for (const input of [...BAD_INPUTS, ...KNOWN_GAPS]) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'repro-bad-input-'));
  const tmpdir = privateTmp('bad-input-tmp');
  try {
    const run = await runBadInput(input, placesUnder(root), tmpdir);
    const left = [
      run.outCreated ? '--out folder' : '',
      run.created.length ? `created: ${run.created.join(', ')}` : '',
      run.tmpEntries.length ? `TMPDIR: ${run.tmpEntries.join(', ')}` : '',
      run.systemTempDirs.length ? run.systemTempDirs.join(', ') : '',
      run.survivors.length ? `processes: ${run.survivors.join(', ')}` : '',
    ].filter(Boolean);
    const exit = run.result.code ?? run.result.signal;
    const gap = KNOWN_GAPS.includes(input) ? ' (known gap)' : '';
    seconds.push(run.wallMs / 1000);
    console.log(
      `| \`${invocation(input)}\`${gap} | ${exit} | ${cell(run.result.stderr.trim())} | ${(run.wallMs / 1000).toFixed(2)} s | ${left.join('; ') || 'nothing'} |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(tmpdir, { recursive: true, force: true });
  }
}
const sorted = [...seconds].sort((a, b) => a - b);
const median =
  sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
console.log(`\n${seconds.length} rows: wall time max ${sorted.at(-1)!.toFixed(2)} s, median ${median.toFixed(2)} s`);
