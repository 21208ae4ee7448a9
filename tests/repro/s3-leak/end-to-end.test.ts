// Real runs: both pinned Bun builds against the embedded s3rver, through the real CLI.
// https://github.com/oven-sh/bun/issues/29083 — on 1.3.14 each 8 MiB read leaks its 8 MiB native body.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { isCgroupV2, cgroupMemoryLimitBytes } from '../../../repro/harness/cgroup.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { RunRecord, type S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { BUN_RUST, runCli } from '../harness/run-cli.ts';

const MiB = 1024 * 1024;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempOut(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-s3-e2e-'));
  dirs.push(dir);
  return dir;
}

function readRecords(dir: string): S3LeakRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => RunRecord.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))) as S3LeakRecord);
}

test('24 reads of 8 MiB: 1.3.14 grows by about the payload per read, 1.4.5 stays flat', {
  timeout: 120_000,
}, async () => {
  const out = tempOut();
  const r = await runCli(['s3-leak', '--max-iterations', '24', '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);

  const [zig, rust] = readRecords(out).sort((a, b) => a.runtime.version.localeCompare(b.runtime.version));
  expect([zig!.runtime.revision, rust!.runtime.revision]).toEqual(['1.3.14+0d9b296af', '1.4.5+a7733435c']);
  expect(zig!.runId).toBe(rust!.runId);
  for (const record of [zig!, rust!]) {
    expect(record.status).toBe('complete');
    expect(record.redacted).toEqual([]);
    expect(record.command).toBe(`npm run repro -- s3-leak --max-iterations 24 --out ${out}`);
    // The run's condition, measured on every read: all 24 returned the whole 8 MiB object.
    expect(record.checks).toEqual([
      { name: 'every-read-verified', met: true, observed: '24 of 24 reads returned the whole 8 MiB object' },
    ]);
    expect(record.verdict.iteration).toBe(24);
    expect(record.baselineAtOutsideMs).toBeGreaterThanOrEqual(0);
    expect(record.samples.map((s) => s.iteration)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(record.outsideSamples.length).toBeGreaterThan(0);
    expect(record.samples.every((s) => s.anonRss !== null && s.anonRss > 0)).toBe(true);
    // Far from the 900 MiB target in 24 reads, so both end with all reads done.
    expect(record.verdict.kind).toBe('bounded');
  }
  // The leak is the whole 8 MiB body per read; allow half of it for allocator noise.
  expect(zig!.verdict.growthMiBPerIteration).toBeGreaterThan(4);
  expect(rust!.verdict.growthMiBPerIteration).toBeLessThan(1);
  // The leaked bodies are anonymous memory that the JS heap does not account for.
  const last = zig!.samples.at(-1)!;
  expect(last.anonRss! - zig!.samples[0]!.anonRss!).toBeGreaterThan(24 * 4 * MiB);
  expect(last.heapUsed).toBeLessThan(64 * MiB);

  expect(r.stdout).toMatch(/1\.3\.14 \(Zig\)\s+bounded\s+24\s/);
  expect(r.stdout).toMatch(/1\.4\.5 \(Rust\)\s+bounded\s+24\s/);
  if (!isCgroupV2() && cgroupMemoryLimitBytes() === null) {
    // This machine (cgroup v1, no container limit): the harness must say it fell back to its watchdog.
    expect(zig!.parameters.memoryCap.kind).toBe('watchdog');
    expect(r.stdout).toMatch(/memory cap: watchdog — .*no kernel cap: cgroup v1/);
  }
});

test('a cap below the target: the leaking build is killed at the cap, which is a verdict, not a crash', {
  timeout: 120_000,
}, async () => {
  const out = tempOut();
  const r = await runCli(['s3-leak', '--bun', '1.3.14', '--memory-cap', '200', '--out', out]);
  expect(r.code).toBe(0);
  const [record] = readRecords(out);
  expect(record!.status).toBe('complete');
  expect(record!.verdict.kind).toBe('oom-killed');
  // Every read it finished before the kill was whole; the count is the reads it reported.
  expect(record!.checks[0]).toMatchObject({ name: 'every-read-verified', met: true });
  expect(record!.checks[0]!.observed).toBe(
    `${record!.verdict.iteration} of ${record!.verdict.iteration} reads returned the whole 8 MiB object`,
  );
  // The outside sampler saw the process reach the cap, past anything the probe itself reported.
  expect(record!.verdict.peakRssBytes).toBeGreaterThanOrEqual(200 * MiB);
  expect(Math.max(...record!.outsideSamples.map((s) => s.vmRss))).toBeGreaterThanOrEqual(200 * MiB);
});

test('without --out the record goes to runs/s3-leak/ (created if need be), named by the run and the build', {
  timeout: 120_000,
}, async () => {
  const runs = fromRoot('runs');
  const dir = fromRoot('runs', 's3-leak');
  const runsExisted = existsSync(runs);
  const dirExisted = existsSync(dir);
  const r = await runCli(['s3-leak', '--bun', BUN_RUST, '--max-iterations', '2']);
  const written = /^record: (runs\/s3-leak\/\S+\.json)$/m.exec(r.stdout)?.[1];
  try {
    expect(r.code, r.stderr).toBe(0);
    expect(written).toMatch(/^runs\/s3-leak\/\d{8}T\d{6}Z-[0-9a-f]{4}_1\.4\.5-rust\.json$/);
    const record = RunRecord.parse(JSON.parse(readFileSync(fromRoot(written!), 'utf8')));
    expect(record.status).toBe('complete');
    expect(record.command).toBe(`npm run repro -- s3-leak --bun ${BUN_RUST} --max-iterations 2`);
  } finally {
    // Only what this test made goes.
    if (written) rmSync(fromRoot(written), { force: true });
    if (!dirExisted) rmSync(dir, { recursive: true, force: true });
    if (!runsExisted) rmSync(runs, { recursive: true, force: true });
  }
});
