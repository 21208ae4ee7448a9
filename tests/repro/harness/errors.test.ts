// errorLine picks the line that says why a child failed, from what real Bun builds print when they
// crash: never Bun's closing banner (`Bun v1.x (Linux x64)`), which is the last line of every crash.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { errorLine, oneLine } from '../../../repro/core/errors.ts';
import { BUN_RUST, BUN_ZIG } from './run-cli.ts';

/** stderr of `bun -e <code>` (which must fail), as the harness would receive it; a crash ends in the banner. */
function crash(bun: string, code: string, banner = true): string {
  const r = spawnSync(bun, ['-e', code], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
  });
  expect(r.status).not.toBe(0);
  if (banner) expect(r.stderr).toMatch(/Bun v\d+\.\d+\.\d+ \(Linux x64\)\s*$/);
  return r.stderr;
}

describe.each([
  ['1.3.14 (Zig)', BUN_ZIG],
  ['1.4.5 (Rust)', BUN_RUST],
])('errorLine on real crash output of %s', (_, bun) => {
  test('a thrown RangeError: the error line, not the banner or the source excerpt', () => {
    expect(errorLine(crash(bun, "throw new RangeError('Out of memory')"))).toBe('RangeError: Out of memory');
  });

  test('a thrown Error with a message that names no error word', () => {
    expect(errorLine(crash(bun, "throw new Error('the store went away')"))).toBe('error: the store went away');
  });

  test('a refused connection from fetch: the connection error', () => {
    const line = errorLine(crash(bun, "await fetch('http://127.0.0.1:1/')"));
    expect(line).toMatch(/ConnectionRefused|ECONNREFUSED/);
    expect(line).not.toMatch(/^Bun v/);
  });

  test('a refused connection from the S3 client: the connection error', () => {
    const code =
      "const c = new Bun.S3Client({ endpoint: 'http://127.0.0.1:1', bucket: 'b', accessKeyId: 'k', secretAccessKey: 's', region: 'us-east-1' }); await c.file('x').arrayBuffer();";
    const line = errorLine(crash(bun, code));
    expect(line).toMatch(/ConnectionRefused/);
  });

  test('process.exit(3) after a line on stderr (no banner): that line', () => {
    expect(errorLine(crash(bun, "console.error('probe: cannot write the object'); process.exit(3)", false))).toBe(
      'probe: cannot write the object',
    );
  });
});

test('without any output: "no message"; a long line is cut to 500 characters', () => {
  expect(errorLine('')).toBe('no message');
  expect(errorLine('\n\nBun v1.4.5 (Linux x64)\n')).toBe('no message');
  expect(errorLine(`error: ${'x'.repeat(1000)}`)).toHaveLength(500);
});

test('oneLine: whatever is thrown becomes one line', () => {
  expect(oneLine(new Error('a\n  b\n\nc'))).toBe('a b c');
  expect(oneLine('plain')).toBe('plain');
  expect(oneLine({ toString: () => 'object' })).toBe('object');
});
