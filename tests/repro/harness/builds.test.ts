// Builds are identified by asking the binary itself and hashing it.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { labelOf, lineOf, resolveBuilds, sha256File } from '../../../repro/harness/builds.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';

test('the default builds are the pinned Zig and Rust aliases', async () => {
  const builds = await resolveBuilds([]);
  expect(builds.map((b) => [b.runtime.revision, b.runtime.line, b.runtime.source])).toEqual([
    ['1.3.14+0d9b296af', 'zig', 'npm:bun@1.3.14'],
    ['1.4.5+a7733435c', 'rust', 'npm:bun@1.4.5'],
  ]);
  expect(builds[0]!.path).toBe(fromRoot('node_modules', 'bun-zig', 'bin', 'bun.exe'));
  // The recorded hash is the binary's, as sha256sum computes it.
  const sum = execFileSync('sha256sum', [builds[0]!.path], { encoding: 'utf8' }).split(' ')[0];
  expect(builds[0]!.runtime.sha256).toBe(sum);
});

test('--bun accepts an installed npm version and a path to the same binary', async () => {
  const [byVersion, byPath] = await resolveBuilds(['1.4.5', 'node_modules/bun-rust/bin/bun.exe']);
  expect(byVersion!.runtime.source).toBe('npm:bun@1.4.5');
  expect(byPath!.runtime.source).toBe('path');
  expect(byPath!.runtime.sha256).toBe(byVersion!.runtime.sha256);
});

test('the line: Zig before 1.4.0, Rust from 1.4.0 on, and the known Rust canaries', () => {
  expect(lineOf('1.3.14', '1.3.14+0d9b296af')).toBe('zig');
  expect(lineOf('1.3.11', '1.3.11+abcdef012')).toBe('zig');
  expect(lineOf('1.3.14-canary.1', '1.3.14-canary.1+172afa532')).toBe('rust');
  expect(lineOf('1.3.15-canary.7', '1.3.15-canary.7+0123456789')).toBe('unknown');
  expect(lineOf('1.4.0', '1.4.0+34cbb9a40')).toBe('rust');
  expect(lineOf('2.0.0', '2.0.0+0000000')).toBe('rust');
  expect(lineOf('nightly', 'nightly+0000000')).toBe('unknown');
  expect(labelOf('1.3.14', 'zig')).toBe('1.3.14 (Zig)');
});

test('sha256File hashes the bytes', async () => {
  expect(await sha256File(fromRoot('repro', 'harness', 'paths.ts'))).toMatch(/^[0-9a-f]{64}$/);
});
