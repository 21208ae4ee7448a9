// Builds are identified by asking the binary itself and hashing it; the line (Zig or Rust) is read
// from the binary, never from the version number.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { labelOf, lineOf, resolveBuilds } from '../../../repro/harness/builds.ts';
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
  expect(byPath!.runtime.line).toBe('rust');
});

test('the line comes from the sources each binary names, not from .rs alone', () => {
  expect(lineOf(readFileSync(fromRoot('node_modules', 'bun-zig', 'bin', 'bun.exe')))).toBe('zig');
  expect(lineOf(readFileSync(fromRoot('node_modules', 'bun-rust', 'bin', 'bun.exe')))).toBe('rust');
  // The Zig line links Rust crates (lol-html), so a stray .rs path must not make it Rust.
  expect(lineOf(Buffer.from('x src/rewritable_units/element.rs x bundler/bundle_v2.zig'))).toBe('zig');
  expect(lineOf(Buffer.from('x src/bundler/LinkerGraph.rs x'))).toBe('rust');
  expect(lineOf(Buffer.from('neither'))).toBe('unknown');
  expect(lineOf(Buffer.from('bundler/OutputFile.zig bundler/OutputFile.rs'))).toBe('unknown');
  expect(labelOf('1.3.14', 'zig')).toBe('1.3.14 (Zig)');
});
