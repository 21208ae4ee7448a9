// Real `--live` runs of s3-upload and sql-pool, short ones, watched in Chromium: the progress gives the
// run's planned total from the start ("0 of 5 uploads", "0 of 2 trials") and, once there is a pace,
// the time left; the records written carry the plan the page read.
import { expect, test } from '@playwright/test';
import { addressOf, overlappingLabels, recordStatusLine, startCli, statusHistory, watchProblems } from './cli.ts';
import { privateTmp, recordsIn, removeDirs } from '../repro/harness/run-cli.ts';

const dirs: string[] = [];
test.afterAll(() => removeDirs(dirs));

/** Runs the CLI with `--live` and `--out`, opens its page, waits for the run's end; its history of status lines and its records. */
async function liveRun(page: import('@playwright/test').Page, args: string[]) {
  const tmpdir = privateTmp('live-totals');
  dirs.push(tmpdir);
  const out = `${tmpdir}/out`;
  const cli = startCli([...args, '--live', '--out', out], { tmpdir });
  try {
    const url = await addressOf(cli);
    const problems = watchProblems(page);
    await recordStatusLine(page);
    await page.goto(url);
    // The harness bounds every probe and repetition: the run ends, slowly on a busy machine.
    await expect(page.locator('#result')).toBeVisible({ timeout: 240_000 });
    await expect(page.locator('#status')).toHaveText(/^Run ended: /);
    // Small payloads over the published run's large ones: no label over another, none cut off.
    expect(await overlappingLabels(page)).toEqual([]);
    expect(problems).toEqual([]);
    return { statuses: await statusHistory(page), records: recordsIn(out).map((r) => r.record) };
  } finally {
    cli.child.kill('SIGINT');
    await cli.result;
  }
}

test('s3-upload --live: "N of 5 uploads" from the start, the time left once an upload is in', async ({ page }) => {
  test.setTimeout(300_000);
  // Two sizes, two s3-write uploads each, one fetch control at the smaller: five uploads.
  const { statuses, records } = await liveRun(page, [
    's3-upload',
    '--bun',
    '1.4.5',
    '--payload-mib',
    '8,16',
    '--repetitions',
    '2',
    '--control-payload-mib',
    '8',
    '--control-repetitions',
    '1',
  ]);
  expect(statuses).toContain('Running… 1.4.5 (Rust): 0 of 5 uploads (faint: the published run 20261126T203643Z-fad1)');
  for (const n of [1, 2, 3, 4])
    expect(
      statuses.some((s) => new RegExp(`1\\.4\\.5 \\(Rust\\): ${n} of 5 uploads · about \\d+ (s|min) left`).test(s)),
    ).toBe(true);
  // The build's whole record: the count, no estimate.
  expect(statuses).toContain('Running… 1.4.5 (Rust): 5 of 5 uploads (faint: the published run 20261126T203643Z-fad1)');
  const [record] = records;
  if (record?.scenario !== 's3-upload') throw new Error('no s3-upload record');
  expect(record.parameters.controlRepetitions).toBe(1);
  expect(record.uploads).toHaveLength(5);
  expect(record.uploads.every((u) => u.probeMs! > 0)).toBe(true);
});

test('sql-pool --live: "N of 2 trials" for each build, one time left for the run once both have a pace', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { statuses, records } = await liveRun(page, [
    'sql-pool',
    '--faults',
    'terminate',
    '--orderings',
    'after,timer',
    '--repetitions',
    '1',
  ]);
  expect(statuses).toContain('Running… 1.3.14 (Zig): 0 of 2 trials; 1.4.5 (Rust): 0 of 2 trials');
  // The builds take turns trial by trial: one time left, the run's, after both builds' lines.
  expect(
    statuses.some((s) =>
      /^Running… 1\.3\.14 \(Zig\): [01] of 2 trials; 1\.4\.5 \(Rust\): [01] of 2 trials · about \d+ (s|min) left$/.test(
        s,
      ),
    ),
  ).toBe(true);
  expect(statuses).toContain('Running… 1.3.14 (Zig): 2 of 2 trials; 1.4.5 (Rust): 2 of 2 trials');
  expect(records.map((r) => (r.scenario === 'sql-pool' ? r.parameters.plan?.map((t) => t.id) : null))).toEqual([
    ['terminate/after', 'terminate/timer'],
    ['terminate/after', 'terminate/timer'],
  ]);
});
