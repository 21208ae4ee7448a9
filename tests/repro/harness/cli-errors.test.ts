// Bad input ends in one clear line on stderr, a non-zero exit code, and nothing left behind: no
// --out folder, no temporary folder, no process. The table (bad-input.ts) covers every command.
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { needs, NPM_REGISTRY } from '../../prerequisites.ts';
import { BAD_INPUTS, invocation, placesUnder, PROGRAMS, runBadInput, SECRET_TELLTALES } from './bad-input.ts';
import { NODE, pidsWithCommandLine, privateTmp, removeDirs, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));
const out = mkdtempSync(path.join(os.tmpdir(), 'repro-cli-errors-'));
dirs.push(out);

function expectOneLineError(stderr: string, pattern: RegExp, prefix = 'repro: ') {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(prefix), lines[0]).toBe(true);
  expect(lines[0]!.slice(prefix.length)).toMatch(pattern);
}

describe('bad input: exit 2, one line, no secret, nothing created, nothing left running', () => {
  // The default --out, which `--out ''` must not fall back to creating either.
  const defaultOut = fromRoot('runs', 's3-leak');
  const defaultOutExisted = existsSync(defaultOut);

  test.each(
    BAD_INPUTS.map((input) => [`${invocation(input)}${input.registry ? needs(NPM_REGISTRY) : ''}`, input] as const),
  )('%s', async (_, input) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'repro-bad-input-'));
    const tmpdir = privateTmp('bad-input-tmp');
    dirs.push(root, tmpdir);
    const places = placesUnder(root);

    const run = await runBadInput(input, places, tmpdir);
    expect(run.result.code, run.result.stderr).toBe(2);
    expectOneLineError(run.result.stderr, input.message, PROGRAMS[input.program ?? 'repro'].prefix);
    if (input.notMessage) expect(run.result.stderr).not.toMatch(input.notMessage);
    expect(run.result.stdout).toBe('');
    // Not a byte of what a symlink points at (it stands for /etc/shadow).
    for (const part of SECRET_TELLTALES) expect(run.result.stderr).not.toContain(part);
    // Nothing created: the --out folder (which the harness used to create before checking the
    // flags), nothing in the case's folder (its working folder, where `--out ''` wrote), no
    // temporary folder of this CLI, nothing at all in its own TMPDIR, no process left.
    expect(run.outCreated).toBe(false);
    expect(run.created).toEqual([]);
    expect(run.tmpEntries).toEqual([]);
    expect(run.systemTempDirs).toEqual([]);
    expect(run.survivors).toEqual([]);
    if (!defaultOutExisted) expect(existsSync(defaultOut)).toBe(false);
  });
});

describe('more usage errors exit 2', () => {
  test('a word where a number goes', async () => {
    const r = await runCli(['s3-leak', '--max-iterations', 'many', '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /^--max-iterations "many": expected a whole number from 1 to 1000000$/);
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

  test('--s3-endpoint without credentials', async () => {
    const r = await runCli(['s3-leak', '--s3-endpoint', 'http://127.0.0.1:9000', '--s3-bucket', 'b', '--out', out]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /--s3-endpoint needs access-key-id: pass --s3-access-key-id or set AWS_ACCESS_KEY_ID/);
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

  test('--s3-port already in use', async () => {
    const tmpdir = privateTmp('busy-port-tmp');
    dirs.push(tmpdir);
    const r = await runCli(['s3-leak', '--s3-port', String(busyPort), '--max-iterations', '1', '--out', out], {
      tmpdir,
    });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, new RegExp(`port 127\\.0\\.0\\.1:${busyPort} is already in use`));
    expect(pidsWithCommandLine('s3rver-child.ts', String(busyPort))).toEqual([]);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual([]);
    // The embedded store's data folder was made, then removed on the way out.
    expect(readdirSync(tmpdir)).toEqual([]);
  });

  test('unreachable --s3-endpoint', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const r = await runCli([
      's3-leak',
      '--s3-endpoint',
      'http://127.0.0.1:1',
      '--s3-bucket',
      'b',
      '--s3-access-key-id',
      'k',
      '--s3-secret-access-key',
      's',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /--s3-endpoint http:\/\/127\.0\.0\.1:1: unreachable \(ECONNREFUSED\)/);
  });
});

test('--help lists the scenario flags and exits 0', async () => {
  const r = await runCli(['s3-leak', '--help']);
  expect(r.code).toBe(0);
  for (const flag of [
    '--payload-mib',
    '--target-rss-mib',
    '--max-iterations',
    '--memory-cap',
    '--bun',
    '--out',
    '--s3-endpoint',
  ]) {
    expect(r.stdout).toContain(flag);
  }
});
