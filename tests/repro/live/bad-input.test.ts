// Bad --replay / --speed / --live input: one line on stderr, exit 2, nothing printed on stdout and
// no server started (the address line is never printed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { runCli } from '../harness/run-cli.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'live-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const S3 = fromRoot('content/runs/s3-leak/20261126T140039Z-b9e3_1.3.14-zig.json');
const SQL = fromRoot('content/runs/sql-pool/20261126T140740Z-6ca5_1.4.5-rust.json');
const notJson = path.join(tmp, 'not.json');
const notRecord = path.join(tmp, 'other.json');
const otherRun = path.join(tmp, 'other-run.json');
writeFileSync(notJson, '{ half');
writeFileSync(notRecord, '{"hello": "world"}');
writeFileSync(
  otherRun,
  JSON.stringify({ ...JSON.parse((await import('node:fs')).readFileSync(S3, 'utf8')), runId: '20261127T000000Z-0000' }),
);

const cases: [string, string[], RegExp][] = [
  [
    'missing file',
    ['s3-leak', '--replay', path.join(tmp, 'nope.json')],
    /^repro: .*nope\.json: no such file or folder$/,
  ],
  ['not JSON', ['s3-leak', '--replay', notJson], /^repro: .*not\.json: not JSON \(/],
  ['not a record', ['s3-leak', '--replay', notRecord], /^repro: .*other\.json: not a run record: /],
  ['wrong scenario', ['s3-leak', '--replay', SQL], /^repro: --replay .*: a sql-pool record, not s3-leak$/],
  [
    'records of two runs',
    ['s3-leak', '--replay', S3, '--replay', otherRun],
    /^repro: --replay: records of 2 different runs \(.*\); replay one run at a time$/,
  ],
  [
    'speed zero',
    ['s3-leak', '--replay', S3, '--speed', '0'],
    /^repro: --speed "0": expected a decimal number from 0\.1 to 10000 × the recorded pace$/,
  ],
  [
    'speed not a number',
    ['s3-leak', '--replay', S3, '--speed', 'fast'],
    /^repro: --speed "fast": expected a decimal number/,
  ],
  ['speed negative', ['s3-leak', '--replay', S3, '--speed', '-2'], /^repro: --speed "-2": expected a decimal number/],
  [
    'speed in exponent form',
    ['s3-leak', '--replay', S3, '--speed', '1e3'],
    /^repro: --speed "1e3": expected a decimal number/,
  ],
  ['speed without replay', ['s3-leak', '--live', '--speed', '10'], /^repro: --speed applies to --replay only$/],
  [
    'replay with a run flag',
    ['s3-leak', '--replay', S3, '--bun', '1.3.14'],
    /^repro: --replay plays a recorded run and runs nothing: --bun does not apply$/,
  ],
  [
    'replay with a scenario flag',
    ['sql-pool', '--replay', SQL, '--repetitions', '3'],
    /^repro: --replay plays a recorded run and runs nothing: --repetitions does not apply$/,
  ],
  ['replay without a file', ['s3-leak', '--replay'], /^repro: .*--replay.*\(see: npm run repro -- s3-leak --help\)$/],
  ['live takes no value', ['s3-leak', '--live=yes'], /^repro: .*--live.*\(see: npm run repro -- s3-leak --help\)$/],
];

test.each(cases)('%s: one line, exit 2, no page', async (_, args, message) => {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stdout).toBe('');
});
