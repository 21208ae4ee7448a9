// `npm run repro -- affected`: the terminal's answer to "is my Bun affected?", from the builds index
// that ships with the harness. Real binaries (the pinned Zig and Rust builds), the real index, and
// with no network at all: the runs that prove it offline run in a network namespace of their own.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BuildsIndex } from '../../../repro/core/builds-index.ts';
import { AFFECTED_EXIT } from '../../../repro/harness/affected.ts';
import { BUN_RUST, BUN_ZIG, CLI, NODE, removeDirs, runCli } from './run-cli.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { needs, requirePrerequisites, skipWithout, UNSHARE_NET } from '../../prerequisites.ts';

const index = BuildsIndex.parse(JSON.parse(readFileSync(fromRoot('repro', 'affected', 'builds.json'), 'utf8')));
const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

/** The CLI with no network: `unshare -n` gives it a namespace holding only a loopback that is down. */
function offline(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('unshare', ['-n', NODE, CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: fromRoot(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run repro -- affected', () => {
  test.skipIf(skipWithout(UNSHARE_NET))(
    `answers for 1.4.2 with no network: its failures, where each was fixed, the smallest upgrade; exit 1${needs(UNSHARE_NET)}`,
    () => {
      requirePrerequisites(UNSHARE_NET);
      const { code, stdout, stderr } = offline(['affected', '1.4.2']);
      expect(stderr).toBe('');
      const build = index.builds.find((b) => b.npm === '1.4.2')!;
      const mine = index.failures.filter((f) => build.states[f.id]!.status === 'affected');
      expect(mine.length).toBeGreaterThan(0);
      expect(code).toBe(AFFECTED_EXIT.affected);
      expect(stdout.split('\n')[0]).toBe(
        `bun 1.4.2 (${build.revision}, Rust)${build.published ? `, published ${build.published.slice(0, 10)}` : ''}`,
      );
      for (const f of mine) expect(stdout).toContain(`✗ ${f.title} (${f.id})`);
      // Every affected failure names its record, which is in this clone.
      expect(stdout.match(/record: content\/matrix\/\S+\.json/g)).toHaveLength(mine.length);
      expect(stdout).toMatch(/^Smallest upgrade that avoids all of them: \S+/m);
    },
  );

  test('the same answer as JSON, for a program', async () => {
    const { code, stdout } = await runCli(['affected', '1.4.3-canary.1+f5649a7ed', '--json']);
    const answer = JSON.parse(stdout);
    const build = index.builds.find((b) => b.revision === '1.4.3-canary.1+f5649a7ed')!;
    expect(answer.build).toEqual({
      npm: build.npm,
      revision: build.revision,
      line: 'rust',
      published: build.published,
    });
    expect(answer.affected.map((a: { failure: string }) => a.failure)).toEqual(
      index.failures.filter((f) => build.states[f.id]!.status === 'affected').map((f) => f.id),
    );
    expect(code).toBe(answer.affected.length > 0 ? AFFECTED_EXIT.affected : AFFECTED_EXIT.clear);
  });

  test('--bun <binary> asks the binary: the pinned Zig build is 1.3.14, affected', async () => {
    const { code, stdout } = await runCli(['affected', '--bun', BUN_ZIG]);
    expect(stdout.split('\n')[0]).toMatch(/^bun 1\.3\.14 \(1\.3\.14\+0d9b296af, Zig\)/);
    expect(code).toBe(AFFECTED_EXIT.affected);
  });

  test('no argument asks `bun` on PATH: the pinned Rust build is 1.4.5, with no recorded failure', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'affected-path-'));
    dirs.push(bin);
    symlinkSync(BUN_RUST, path.join(bin, 'bun'));
    const { code, stdout } = await runCli(['affected'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    const build = index.builds.find((b) => b.npm === '1.4.5')!;
    const affected = Object.values(build.states).filter((s) => s.status === 'affected').length;
    expect(stdout.split('\n')[0]).toBe(
      `bun 1.4.5 (${build.revision}, Rust)${build.published ? `, published ${build.published.slice(0, 10)}` : ''}`,
    );
    expect(code).toBe(affected > 0 ? AFFECTED_EXIT.affected : AFFECTED_EXIT.clear);
  });

  test('no `bun` on PATH: one line, exit 2', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'affected-nobun-'));
    dirs.push(empty);
    const { code, stdout, stderr } = await runCli(['affected'], { env: { PATH: empty } });
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      'repro: affected: `bun` on PATH: not found: install Bun, or give a version or --bun <path>',
    );
    expect(code).toBe(2);
  });

  test('a build the matrix lacks: exit 3, with the nearest recorded builds on either side', async () => {
    const { code, stdout } = await runCli(['affected', '1.3.13-canary.1+0123456789']);
    const near = (npm: string) => index.builds.find((b) => b.npm === npm)!.revision;
    expect(stdout.trim()).toBe(
      `affected: 1.3.13-canary.1+0123456789 is not in the matrix (${index.builds.length} builds recorded); the nearest recorded builds, before it: 1.3.12 (${near('1.3.12')}, Zig); after it: 1.3.13 (${near('1.3.13')}, Zig)`,
    );
    expect(code).toBe(AFFECTED_EXIT.notInMatrix);
  });

  // Eight CLI starts, one after another: seconds alone, 100 s once on a machine loaded by others.
  test('every build of the index answers with exit 0 or 1 as its states say', { timeout: 300_000 }, () => {
    // One process for all: the index is the CLI's, the decision is the CLI's.
    for (const b of index.builds.filter((_, i) => i % 6 === 0)) {
      const result = spawnSync(NODE, [CLI, 'affected', b.npm], { encoding: 'utf8', cwd: fromRoot() });
      const affected = Object.values(b.states).some((s) => s.status === 'affected');
      expect(result.status, b.npm).toBe(affected ? 1 : 0);
    }
    expect(execFileSync(NODE, [CLI, 'affected', '--help'], { encoding: 'utf8' })).toMatch(
      /^usage: npm run repro -- affected/,
    );
  });
});
