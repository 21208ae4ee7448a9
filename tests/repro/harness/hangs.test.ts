// Nothing hangs: a store that accepts connections but never answers ends the CLI with one line naming
// it, and a store that stalls in the middle of a run ends the probe (under real Bun) with the request
// it was waiting for — the line the record's verdict then shows, not Bun's banner.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { errorLine } from '../../../repro/core/errors.ts';
import { hermeticEnv } from '../../../repro/harness/processes.ts';
import { decideVerdict } from '../../../repro/scenarios/s3-leak/verdict.ts';
import { PROBE } from '../../../repro/scenarios/s3-leak/run-build.ts';
import { parseProbeLine } from '../../../repro/scenarios/s3-leak/protocol.ts';
import {
  BUN_RUST,
  BUN_ZIG,
  casebookTempDirs,
  descendants,
  privateTmp,
  recordsIn,
  removeDirs,
  startCli,
} from './run-cli.ts';
import { startS3rver, startSilentServer, startStallingProxy } from './s3-store.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

test('an S3 endpoint that accepts TCP and never answers: exit 1, one line naming it, nothing left', {
  timeout: 90_000,
}, async () => {
  const silent = await startSilentServer();
  const tmpdir = privateTmp('hangs-tmp');
  dirs.push(tmpdir);
  let cli: ReturnType<typeof startCli> | undefined;
  try {
    const endpoint = `http://127.0.0.1:${silent.port}`;
    cli = startCli(
      [
        's3-leak',
        '--bun',
        BUN_RUST,
        '--s3-endpoint',
        endpoint,
        '--s3-bucket',
        'b',
        '--s3-access-key-id',
        'k',
        '--s3-secret-access-key',
        's',
        '--out',
        `${tmpdir}/out`,
      ],
      { tmpdir },
    );
    const r = await cli.result;
    expect(r.code).toBe(1);
    // It did reach the server (the TCP check passed): it is the missing HTTP answer that ends the run.
    expect(silent.connections()).toBeGreaterThan(0);
    expect(r.stderr.trim().split('\n')).toEqual([`repro: --s3-endpoint ${endpoint}: no HTTP answer within 10 s`]);
    expect(descendants(cli.pid)).toEqual([]);
    expect(casebookTempDirs(cli.pid, tmpdir)).toEqual([]);
    expect(recordsIn(`${tmpdir}/out`)).toEqual([]);
  } finally {
    // A CLI that does hang (the old harness had no HTTP check) must not outlive the test.
    if (cli?.child.exitCode === null) cli.child.kill('SIGKILL');
    await silent.close();
  }
});

interface ProbeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real probe under a real Bun, with the environment run-build.ts gives it, and a short request timeout. */
function runProbe(bun: string, port: number, requestTimeoutMs: number): Promise<ProbeRun> {
  const env = hermeticEnv({
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: 'repro',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    PAYLOAD_MIB: '1',
    TARGET_RSS_MIB: '100000',
    MAX_ITERATIONS: '1000000',
    REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
  });
  const child = spawn(bun, [PROBE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // A probe that does hang is killed when the test gives up, so it cannot outlive the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe.each([
  ['1.3.14 (Zig)', BUN_ZIG],
  ['1.4.5 (Rust)', BUN_RUST],
])('the probe under %s: every S3 request is bounded', (_, bun) => {
  test('a store that never answers: the write gives up with a reason', { timeout: 90_000 }, async () => {
    const silent = await startSilentServer();
    try {
      const r = await runProbe(bun, silent.port, 1000);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Bun v\d+\.\d+\.\d+ \(Linux x64\)\s*$/);
      expect(errorLine(r.stderr)).toBe('error: probe: S3 write got no answer within 1 s');
    } finally {
      await silent.close();
    }
  });

  test('a store that stalls mid-run: the read it waits for gives up, and the verdict says which', {
    timeout: 120_000,
  }, async () => {
    const data = privateTmp('hangs-s3-data');
    dirs.push(data);
    const store = await startS3rver(data);
    // Three and a half 1 MiB reads come back, then the store goes silent in the middle of the fourth.
    const proxy = await startStallingProxy(store.port, 3.5 * 1024 * 1024);
    try {
      const r = await runProbe(bun, proxy.port, 1500);
      expect(proxy.stalled()).toBe(true);
      expect(r.code).toBe(1);
      const lines = r.stdout.trim().split('\n').map(parseProbeLine);
      const samples = lines.flatMap((l) => (l?.type === 'sample' ? [l] : []));
      const lastRead = samples.at(-1)!.iteration;
      expect(lastRead).toBeGreaterThanOrEqual(2);
      expect(lines.some((l) => l?.type === 'end')).toBe(false);
      const line = errorLine(r.stderr);
      expect(line).toBe(`error: probe: S3 read ${lastRead + 1} got no answer within 1.5 s`);

      // What the record would say: run-build.ts hands the verdict the probe's stderr tail.
      const verdict = decideVerdict(
        samples.map(({ type: _, ...s }) => ({ ...s, anonRss: null })),
        [],
        {
          end: null,
          exit: { code: r.code, signal: null },
          loopStartMs: null,
          watchdogKilled: false,
          interrupted: false,
          errorText: r.stderr.slice(-4096),
          wallMs: 1,
        },
        { targetRssMiB: 100000, maxIterations: 1000000, memoryCapMiB: 1024 },
      );
      expect(verdict.kind).toBe('error');
      expect(verdict.message).toBe(`probe exited with code 1 after ${lastRead} reads: ${line}`);
    } finally {
      await proxy.close();
      await store.close();
    }
  });
});
