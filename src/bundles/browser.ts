// What the site's "Run the harness in your browser" page mounts in a WebContainer: a scenario's
// bundle, packed by the same code as the download (pack.ts), minus what cannot run in a browser tab.
// Bun, and the `node` package's Node, are native executables; a WebContainer runs its own Node,
// compiled for the browser. They go from package.json, and so does the lockfile, which pins them and
// their platform packages: `npm install` resolves the rest from package.json, where every direct
// dependency is an exact version (package-json.ts).
import type { FileSystemTree } from '@webcontainer/api';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { bundleEntries } from './pack.ts';
import { latestRun } from '../lib/runs.ts';
import { measurementOf } from './measurements.ts';
import { bundleNeeds, runWallMs, type BundleNeeds } from './needs.ts';
import { bundleScenario } from './scenarios.ts';
import type { ArchiveEntry } from './tar.ts';

/** npm packages that are native runtimes, by their real name (an alias such as bun-zig → npm:bun@… counts as bun). */
const NATIVE_RUNTIMES = ['bun', 'node'];

/**
 * The Node a WebContainer is asked for: it runs Node 20 unless package.json names an exact version in
 * `engines.node` (stackblitz/webcontainer-core#560), and the harness's .ts files need Node's type
 * stripping, on by default from 22.18. tests/repro/browser-run/commands.test.ts can run under it.
 */
export const CONTAINER_NODE = '22.22.0';

/** The bundle's files the browser leaves out entirely. */
const LEFT_OUT_FILES = ['package-lock.json'];

function realName(name: string, spec: string): string {
  return spec.startsWith('npm:') ? spec.slice(4, spec.lastIndexOf('@')) : name;
}

interface BundlePackage {
  dependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
  [key: string]: unknown;
}

/** The bundle's package.json without the native runtimes, and the dependencies it left out. */
function browserPackageJson(pkg: BundlePackage): { pkg: BundlePackage; leftOut: string[] } {
  const native = (name: string, spec: string) => NATIVE_RUNTIMES.includes(realName(name, spec));
  const leftOut = Object.entries(pkg.dependencies)
    .filter(([n, s]) => native(n, s))
    .map(([n]) => n);
  const dependencies = Object.fromEntries(Object.entries(pkg.dependencies).filter(([n, s]) => !native(n, s)));
  const allowScripts = Object.fromEntries(
    Object.entries(pkg.allowScripts ?? {}).filter(([n]) => !NATIVE_RUNTIMES.includes(n)),
  );
  const engines = { ...(pkg.engines as Record<string, string> | undefined), node: CONTAINER_NODE };
  return { pkg: { ...pkg, dependencies, allowScripts, engines }, leftOut };
}

interface BrowserFile {
  /** Path inside the bundle's top folder, as the container's working directory sees it. */
  path: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bundle's entries as the container gets them: top folder stripped, package.json rewritten, the lockfile gone. */
function browserFiles(entries: readonly ArchiveEntry[]): { files: BrowserFile[]; leftOut: string[] } {
  let leftOut: string[] = [];
  const files = entries.flatMap((e) => {
    const rel = e.path.slice(e.path.indexOf('/') + 1);
    if (LEFT_OUT_FILES.includes(rel)) return [];
    // Every file of a bundle is text (sources, JSON, Markdown); a binary one would fail here, at build time.
    const text = utf8.decode(e.data);
    if (rel !== 'package.json') return [{ path: rel, text }];
    const browser = browserPackageJson(JSON.parse(text));
    leftOut = browser.leftOut;
    return [{ path: rel, text: `${JSON.stringify(browser.pkg, null, 2)}\n` }];
  });
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), leftOut };
}

/** The nested tree WebContainer's mount() takes. */
function toFileSystemTree(files: readonly BrowserFile[]): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const { path, text } of files) {
    const parts = path.split('/');
    let dir = tree;
    for (const part of parts.slice(0, -1)) {
      const node = (dir[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`browser tree: ${path} is under a file`);
      dir = node.directory;
    }
    dir[parts.at(-1)!] = { file: { contents: text } };
  }
  return tree;
}

export interface BrowserBundle {
  scenario: string;
  tree: FileSystemTree;
  /** The dependencies left out of package.json (Bun, the pinned Node). */
  leftOut: string[];
  /** The published run's records, relative to the container's working directory: what the replay plays. */
  reference: string[];
  /** The published run's wall time, which sets the replay's speed. */
  runMs: number;
  /** The real run, with its Bun builds, on the reader's own machine: one line. */
  localCommand: string;
}

/**
 * Download, unpack, install and run the bundle's quick look (the first command its README and
 * /bundles/ give: needs.ts): what the browser cannot do, as one line for a terminal.
 */
function localRunCommand(scenario: string, siteUrl: string, needs: BundleNeeds): string {
  const top = `bun-casebook-${scenario}`;
  const archive = `${scenario}.tar.gz`;
  return `curl -LO ${new URL(`/bundles/${archive}`, siteUrl).href} && tar -xzf ${archive} && cd ${top} && ${needs.install.command} && ${(needs.quick ?? needs.full).command}`;
}

export function browserBundle(
  scenario: string,
  root: string,
  records: readonly RunRecord[],
  siteUrl: string,
): BrowserBundle {
  const s = bundleScenario(scenario);
  const needs = bundleNeeds(s, records, measurementOf(root, scenario));
  const entries = bundleEntries(scenario, root, records, siteUrl, needs);
  const { files, leftOut } = browserFiles(entries);
  const reference = files.map((f) => f.path).filter((p) => p.startsWith(`reference/${s.name}/`));
  const runMs = runWallMs(latestRun(records, s.name).filter((r) => r.status === 'complete'));
  return {
    scenario: s.name,
    tree: toFileSystemTree(files),
    leftOut,
    reference,
    runMs,
    localCommand: localRunCommand(s.name, siteUrl, needs),
  };
}
