// check:claims: a sentence that says which build has, lacks, gained or lost a failure in its own
// words is caught, with its file and line; the same claim taken from a component, or quoted from a
// source with <Cite>, is not; and the articles as they stand pass.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { findClaims, isTypedClaim, sentences } from '../../../src/checks/claims.ts';
import { NODE } from '../../repro/harness/run-cli.ts';

const PLANTED = ['Bun 1.4.1 fixed the cold-start corruption.', 'The Rust line never had the begin() hang.'];

describe('a typed claim', () => {
  test.each(PLANTED)('is caught: %s', (sentence) => {
    expect(isTypedClaim(sentence)).toBe(true);
  });

  test.each([
    'The rewrite fixed the S3 read leak.',
    'On 1.3.14-canary.20260519.1 the pool still hangs after a lazy RST.',
    'Stable Bun lost the upload regression in a later release.',
    'A build of the 1.4 line regressed: uploads buffer the payload again.',
    // A version in a typed component prop names a build as much as one in prose.
    'The corruption is gone from <VersionLink version="1.4.4" />.',
  ])('is caught in other words: %s', (sentence) => {
    expect(isTypedClaim(sentence)).toBe(true);
  });

  test.each([
    // The claim's words come from the records.
    'The build Prisma could have run: <LedgerAt build="firstRust" />',
    '<LedgerClass failure="cold-start" />',
    'In the reference run <Stat scenario="sql-pool" build="zig" metric="release" /> gave <Stat scenario="sql-pool" build="zig" trial="lazy-rst/after" metric="verdict" />.',
    // Quoted from a source.
    'The report names both 1.3.14 and the canary Prisma chose <Cite id="bun-issue-30947" />.',
    // No build, or no failure, or nothing happened to it.
    'A pool frozen mid-handshake can be corrupted for good.',
    'Bun 1.4.0 was published on 20 August 2026.',
    'The harness runs 1.3.14 and 1.4.5 on the same machine.',
    'Each regression test names the issue it was written after.',
  ])('is not: %s', (sentence) => {
    expect(isTypedClaim(sentence)).toBe(false);
  });
});

test('sentences: frontmatter, imports and code blocks are not prose; each sentence keeps its line', () => {
  const mdx = [
    '---',
    'title: "The Rust line fixed the leak"',
    '---',
    '',
    'First sentence. Second',
    'sentence on two lines.',
    '',
    '```sh',
    'echo "1.4.1 fixed the hang"',
    '```',
    '',
    '| a | 1.4.1 fixed the hang |',
    '- <LedgerClass failure="x" /> Then prose.',
  ].join('\n');
  expect(sentences(mdx)).toEqual([
    { line: 5, sentence: 'First sentence.' },
    { line: 5, sentence: 'Second sentence on two lines.' },
    { line: 12, sentence: '| a | 1.4.1 fixed the hang |' },
    { line: 13, sentence: '<LedgerClass failure="x" />' },
    { line: 13, sentence: 'Then prose.' },
  ]);
  expect(findClaims(mdx)).toEqual([{ line: 12, sentence: '| a | 1.4.1 fixed the hang |' }]);
});

describe('npm run check:claims', () => {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'casebook-claims-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));
  const check = (dir?: string) =>
    spawnSync(NODE, [fromRoot('src', 'checks', 'check-claims.ts'), ...(dir ? [dir] : [])], { encoding: 'utf8' });

  test('passes on the articles as they stand', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('fails on the planted sentences, naming file and line', () => {
    cpSync(fromRoot('content', 'articles'), copy, { recursive: true });
    const file = path.join(copy, 'the-case.mdx');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l, i) => i > 5 && l.trim() === '') + 1;
    lines.splice(at, 0, PLANTED.join(' '), '');
    writeFileSync(file, lines.join('\n'));
    const result = check(copy);
    expect(result.status).toBe(1);
    const shown = path.relative(process.cwd(), file);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${shown}:${at + 1}: ${PLANTED[0]}`,
      `${shown}:${at + 1}: ${PLANTED[1]}`,
      'check:claims: 2 sentences say which build has which failure in typed words: take them from a component (<Stat>, <Ledger…>) or quote a source with <Cite>',
    ]);
  });
});
