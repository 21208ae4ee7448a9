// The WebContainer page's pieces that run outside a browser: the mounted tree is the real bundle's
// files (read back from the .tar.gz the site serves) less Bun and the pinned Node; the _headers rules
// give COOP/COEP and the wider policy to that page only; dropped file names and the embedder origin
// cannot escape where they belong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DirectoryNode, FileNode, FileSystemTree } from '@webcontainer/api';
import { afterAll, describe, expect, test } from 'vitest';
import { embedderOrigin, hostAllowed } from '../../../repro/harness/live/embed.ts';
import { liveHeaders } from '../../../repro/harness/live/server.ts';
import { compareCommand, dropFileName, replaySpeed } from '../../../src/browser-run/commands.ts';
import { bundleScenario, bundleScenarios } from '../../../src/bundles/scenarios.ts';
import { shellLine } from '../../../repro/core/shell.ts';
import { browserBundle, CONTAINER_NODE } from '../../../src/bundles/browser.ts';
import { packBundle } from '../../../src/bundles/pack.ts';
import {
  headersForPath,
  ISOLATED_PAGE,
  parseHeadersFile,
  securityHeaders,
  siteHeaderRules,
  toHeadersFile,
} from '../../../src/integrations/security-headers.ts';
import { fixtureRecords } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'browser-run-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function flatten(tree: FileSystemTree, at = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, node] of Object.entries(tree)) {
    const p = at ? `${at}/${name}` : name;
    if ('directory' in node) for (const [k, v] of flatten((node as DirectoryNode).directory, p)) out.set(k, v);
    else out.set(p, String((node as FileNode).file.contents));
  }
  return out;
}

const names = bundleScenarios.map((s) => s.name);

test('the page offers the scenarios with a bundle, at least two', () => {
  expect(names.length).toBeGreaterThanOrEqual(2);
});

describe.each(names)('%s: the mounted tree', (name) => {
  const bundle = packBundle(name, root, fixtureRecords, 'https://example.org');
  const browser = browserBundle(name, root, fixtureRecords, 'https://example.org');
  const mounted = flatten(browser.tree);
  // The real archive, unpacked by tar: what a reader downloads.
  const dir = path.join(tmp, name);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(path.join(dir, 'b.tar.gz'), bundle.tarGz.bytes);
  execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
  const top = path.join(dir, `bun-casebook-${name}`);
  const fromArchive = bundle.entries.map((e) => e.slice(e.indexOf('/') + 1));

  test('has every file of the bundle but its lockfile, and nothing else', () => {
    expect([...mounted.keys()].sort()).toEqual(fromArchive.filter((f) => f !== 'package-lock.json').sort());
  });

  test('each file byte for byte as in the archive, package.json aside', () => {
    for (const [file, text] of mounted) {
      if (file !== 'package.json') expect(text, file).toBe(readFileSync(path.join(top, file), 'utf8'));
    }
  });

  test("package.json is the bundle's without Bun and the pinned Node", () => {
    const original = JSON.parse(readFileSync(path.join(top, 'package.json'), 'utf8'));
    const pkg = JSON.parse(mounted.get('package.json')!);
    const native = Object.entries<string>(original.dependencies)
      .filter(([n, spec]) => n === 'node' || spec.startsWith('npm:bun@'))
      .map(([n]) => n);
    // Not vacuous: every bundle pins Node; the s3-leak and sql-pool ones pin two Bun builds.
    expect(native).toContain('node');
    expect(browser.leftOut.sort()).toEqual(native.sort());
    expect(pkg.dependencies).toEqual(
      Object.fromEntries(Object.entries(original.dependencies).filter(([n]) => !native.includes(n))),
    );
    expect(Object.values<string>(pkg.dependencies).some((spec) => spec.includes('bun@'))).toBe(false);
    expect(Object.keys(pkg.allowScripts)).not.toContain('bun');
    // The container's Node: an exact version (WebContainer ignores a range) that strips types.
    expect(pkg.engines.node).toBe(CONTAINER_NODE);
    expect(CONTAINER_NODE).toMatch(/^(?:22\.(?:1[89]|[2-9]\d)|2[3-9]\.\d+)\.\d+$/);
    expect({ ...pkg, dependencies: undefined, allowScripts: undefined, engines: undefined }).toEqual({
      ...original,
      dependencies: undefined,
      allowScripts: undefined,
      engines: undefined,
    });
  });

  test('the replay plays the published run the bundle carries', () => {
    expect(browser.reference.length).toBe(fixtureRecords.filter((r) => r.scenario === name).length);
    for (const r of browser.reference) expect(mounted.has(r), r).toBe(true);
    // The same first command as the bundle's README and /bundles/: its quick look.
    const quick = bundleScenario(name).quickLook(fixtureRecords)!;
    expect(browser.localCommand).toBe(
      `curl -LO https://example.org/bundles/${name}.tar.gz && tar -xzf ${name}.tar.gz && cd bun-casebook-${name} && npm install && ${shellLine(['npm', 'run', 'repro', '--', ...quick.args])}`,
    );
  });
});

describe('headers', () => {
  const hashes = { scripts: ['sha256-AAAA'], styles: [], styleAttributes: [] };
  const rules = parseHeadersFile(toHeadersFile(siteHeaderRules(hashes), 'test'));

  test('COOP, COEP and the WebContainer origins on the page, detaching the site policy rather than joining it', () => {
    const page = headersForPath(rules, ISOLATED_PAGE);
    expect(page['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(page['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(page['Content-Security-Policy']).toContain(
      "frame-src 'self' https://stackblitz.com https://*.webcontainer-api.io",
    );
    expect(page['Content-Security-Policy']).toContain("connect-src 'self' https://stackblitz.com");
    expect(page['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(rules.find((r) => r.pattern === ISOLATED_PAGE)!.detach).toEqual(['Content-Security-Policy']);
  });

  test.each(['/', '/articles/s3-read-leak/', '/browser', '/browser/s3-leak.json', '/affected/'])(
    '%s keeps the site headers unchanged',
    (p) => {
      expect(headersForPath(rules, p)).toEqual(securityHeaders(hashes));
    },
  );
});

describe('inputs', () => {
  test.each([
    ['../../etc/passwd', 'passwd.json'],
    ['..\\..\\x.json', 'x.json'],
    ['', 'record.json'],
    ['...', 'record.json'],
    ['<script>.json', '_script_.json'],
    ['run 1.json', 'run_1.json'],
  ])('dropped %j is written as %j inside the drop folder', (name, safe) => {
    expect(dropFileName(name)).toBe(safe);
    expect(compareCommand(name).args.at(-1)).toBe(`yours/${safe}`);
  });

  test('the embedder is a bare http(s) origin or nothing', () => {
    expect(embedderOrigin(undefined)).toBeNull();
    expect(embedderOrigin('https://casebook.example')).toBe('https://casebook.example');
    for (const bad of [
      'https://a.example/path',
      'javascript:alert(1)',
      'https://a.example; script-src *',
      '*',
      'data:,x',
    ]) {
      expect(() => embedderOrigin(bad), bad).toThrow(/must be an origin/);
    }
    expect(liveHeaders(null)['X-Frame-Options']).toBe('DENY');
    expect(liveHeaders('https://casebook.example')['Content-Security-Policy']).toMatch(
      /frame-ancestors https:\/\/casebook\.example$/,
    );
  });

  test('the live server answers other Host names only inside a WebContainer', () => {
    expect(hostAllowed('evil.example', 80, false)).toBe(false);
    expect(hostAllowed('127.0.0.1:80', 80, false)).toBe(true);
    expect(hostAllowed('x--80--y.local-corp.webcontainer-api.io', 80, true)).toBe(true);
  });

  test('a replay of hours is sped up to about a minute; a short one plays at its pace', () => {
    expect(replaySpeed(30_000)).toBe(1);
    expect(replaySpeed(3_600_000)).toBe(60);
  });
});
