// The journal: each finished build is written at once, as a record with status `partial`, under the
// name its final record will have. A SIGKILL during the second build keeps the first build's
// measurement — whole and schema-valid — and the build that was cut short has no record at all.
import { readdirSync } from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import type { S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { descendants, isAlive, privateTmp, recordsIn, removeDirs, startCli, waitFor } from '../harness/run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

test("SIGKILL during the second build: the first build's record is there, partial and valid; the second has none", {
  timeout: 240_000,
}, async () => {
  const tmpdir = privateTmp('journal');
  dirs.push(tmpdir);
  const out = `${tmpdir}/out`;
  // 1.3.14 crosses the 900 MiB target after about a hundred reads; 1.4.5 then reads for much longer.
  const cli = startCli(['s3-leak', '--max-iterations', '300', '--out', out], { tmpdir });
  await waitFor(
    'the second build to start reading',
    () => cli.child.exitCode !== null || /1\.4\.5 \(Rust\)\s+read \d+/.test(cli.stdout()),
    200_000,
  );
  const children = descendants(cli.pid);
  expect(children.some((p) => p.cmdline.includes('bun-rust'))).toBe(true);
  cli.child.kill('SIGKILL');
  expect((await cli.result).signal).toBe('SIGKILL');
  await waitFor('the children to exit', () => children.every((p) => !isAlive(p)), 30_000);

  const records = recordsIn(out); // parses each with the schema
  expect(records).toHaveLength(1);
  const [{ file, record }] = records as [{ file: string; record: S3LeakRecord }];
  expect(file).toBe(`${record.runId}_1.3.14-zig.json`);
  expect(record.status).toBe('partial');
  expect(record.runtime.line).toBe('zig');
  // The journal names the whole comparison, though only the first build is in it.
  expect(record.builds.map((b) => b.version)).toEqual(['1.3.14', '1.4.5']);
  expect(record.verdict.kind).toBe('threshold-crossed');
  expect(record.checks).toEqual([
    {
      name: 'every-read-verified',
      met: true,
      observed: `${record.verdict.iteration} of ${record.verdict.iteration} reads returned the whole 8 MiB object`,
    },
  ]);
  // No half-written file either (records are written to a temporary name, then renamed).
  expect(readdirSync(out)).toEqual([file]);
});
