// Bad input ends in one clear line on stderr, a non-zero exit code, and no process left behind.
import { createServer, type Server } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NODE, pidsWithCommandLine, runCli } from './run-cli.ts';

const out = mkdtempSync(path.join(os.tmpdir(), 'repro-cli-errors-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function expectOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^repro: /);
  expect(lines[0]).toMatch(pattern);
}

describe('usage errors exit 2', () => {
  test('unknown scenario lists the known ones', async () => {
    const r = await runCli(['s3-lake']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /unknown scenario "s3-lake"; known scenarios: .*s3-leak/);
  });

  test('unknown flag', async () => {
    const r = await runCli(['s3-leak', '--iterations', '3']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--iterations.*s3-leak --help/);
  });

  test('bad flag value', async () => {
    const r = await runCli(['s3-leak', '--max-iterations', 'many']);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--max-iterations many: expected a positive integer/);
  });

  test('--bun path that does not exist', async () => {
    const r = await runCli(['s3-leak', '--bun', './no/such/bun', '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--bun \.\/no\/such\/bun: no such file/);
  });

  test('--bun path that is not Bun (node)', async () => {
    const r = await runCli(['s3-leak', '--bun', NODE, '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /does not look like Bun/);
  });

  test('--bun with something that is neither a version nor a path', async () => {
    const r = await runCli(['s3-leak', '--bun', 'canary', '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--bun canary: expected an npm version/);
  });
});

describe('environment errors exit 1 and start nothing that outlives the CLI', () => {
  let server: Server;
  let busyPort: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    busyPort = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an npm version that is not installed says how to install it', async () => {
    const r = await runCli(['s3-leak', '--bun', '1.0.0', '--out', out]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /bun@1\.0\.0 is not installed; install it with `npm install --no-save bun-1\.0\.0@npm:bun@1\.0\.0`/);
  });

  test('--s3-port already in use', async () => {
    const r = await runCli(['s3-leak', '--s3-port', String(busyPort), '--max-iterations', '1', '--out', out]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, new RegExp(`port 127\\.0\\.0\\.1:${busyPort} is already in use`));
    expect(pidsWithCommandLine('s3rver-child.ts', String(busyPort))).toEqual([]);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  test('unreachable --s3-endpoint', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const r = await runCli([
      's3-leak',
      '--s3-endpoint', 'http://127.0.0.1:1',
      '--s3-bucket', 'b',
      '--s3-access-key-id', 'k',
      '--s3-secret-access-key', 's',
      '--out', out,
    ]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /--s3-endpoint http:\/\/127\.0\.0\.1:1: unreachable \(ECONNREFUSED\)/);
  });

  test('--s3-endpoint without credentials', async () => {
    const r = await runCli(['s3-leak', '--s3-endpoint', 'http://127.0.0.1:9000', '--s3-bucket', 'b', '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--s3-endpoint needs access-key-id: pass --s3-access-key-id or set AWS_ACCESS_KEY_ID/);
  });
});

test('--help lists the scenario flags and exits 0', async () => {
  const r = await runCli(['s3-leak', '--help']);
  expect(r.code).toBe(0);
  for (const flag of ['--payload-mib', '--target-rss-mib', '--max-iterations', '--memory-cap', '--bun', '--out', '--s3-endpoint']) {
    expect(r.stdout).toContain(flag);
  }
});
