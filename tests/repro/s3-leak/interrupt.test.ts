// Ctrl-C mid-run: the probe and the S3 server are stopped, and a partial record marked interrupted is written.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import { childrenOf, isAlive, startCli } from '../harness/run-cli.ts';

const out = mkdtempSync(path.join(os.tmpdir(), 'repro-s3-interrupt-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25));
}

test('SIGINT during the probe leaves an interrupted record and no child process', { timeout: 60_000 }, async () => {
  // The Rust build never reaches the target, so with a huge budget it is still reading when interrupted.
  const cli = startCli(['s3-leak', '--bun', '1.4.5', '--max-iterations', '1000000', '--out', out]);
  // The first progress line is printed once the probe has sent its baseline sample.
  await until(() => /read \d+\s+RSS/.test(cli.stdout()));
  const children = childrenOf(cli.child.pid!);
  expect(children.length).toBe(2); // the s3rver process and the probe

  cli.child.kill('SIGINT');
  const r = await cli.result;
  expect(r.code).toBe(130);
  expect(r.stderr).toMatch(/SIGINT: stopping the run/);
  for (const pid of children) expect(isAlive(pid)).toBe(false);

  const files = readdirSync(out).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  const record = RunRecord.parse(JSON.parse(readFileSync(path.join(out, files[0]!), 'utf8')));
  expect(record.status).toBe('interrupted');
  if (record.scenario !== 's3-leak') throw new Error('wrong scenario');
  expect(record.verdict.kind).toBe('interrupted');
  expect(record.samples.length).toBeGreaterThan(0);
});
