// A production build must be told its address: `astro build` without SITE_URL (and without the
// local-preview flag) stops at once, with one line that names the variable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildSite, copyProject } from '../../project-copy.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'build-addresses-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('astro build without SITE_URL exits non-zero with one line', () => {
  const env = { ...process.env };
  for (const k of ['SITE_URL', 'REPOSITORY_URL', 'CASEBOOK_LOCAL_PREVIEW']) delete env[k];
  const build = buildSite(copyProject(path.join(tmp, 'project')), path.join(tmp, 'dist'), env);
  expect(build.status).not.toBe(0);
  const output = `${build.stdout}${build.stderr}`.trim().split('\n');
  expect(output).toEqual([
    expect.stringMatching(
      /^astro build: SITE_URL is not set: a production build needs the public address, e\.g\. SITE_URL=https:/,
    ),
  ]);
}, 120_000);
