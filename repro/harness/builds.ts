// Which Bun binaries a run measures, and how each is identified in the record.
//
// By default: the two pinned npm aliases in package.json (bun-zig = npm:bun@1.3.14, the last Zig
// stable; bun-rust = npm:bun@1.4.5, the Rust line). `--bun` (repeatable) replaces them with any
// other build: any version the npm registry publishes for this platform (downloaded once into a
// cache, see bun-registry.ts), or a path to a binary a reader downloaded. Whether a build is Zig
// or Rust is read from the binary itself, never from its version number.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BunLine, Runtime } from '../core/record/schema.ts';
import { installedBuild, platformPackage } from './bun-registry.ts';
import { HarnessError, usageError } from '../core/errors.ts';
import { fromRoot } from './paths.ts';

export interface Build {
  runtime: Runtime;
  /** Absolute path of the binary to run. */
  path: string;
}

/** The pinned builds, as npm aliases (package.json devDependencies). */
const DEFAULT_ALIASES = ['bun-zig', 'bun-rust'] as const;

const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const REVISION = /^(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\+([0-9a-f]{7,40})$/;

/** The builds to run: the pinned pair, or exactly those named by `--bun`. */
export async function resolveBuilds(requests: string[]): Promise<Build[]> {
  if (requests.length === 0) return Promise.all(DEFAULT_ALIASES.map((alias) => fromNpmPackage(alias)));
  return Promise.all(requests.map(resolveRequest));
}

async function resolveRequest(request: string): Promise<Build> {
  if (VERSION.test(request)) return fromNpmVersion(request);
  if (request.includes('/') || request.startsWith('.')) return fromPath(request);
  throw usageError(`--bun ${request}: expected an npm version (e.g. 1.3.13) or a path to a bun binary`);
}

/** An npm version: the pinned alias if it is that version, else the registry's platform package. */
async function fromNpmVersion(version: string): Promise<Build> {
  for (const dir of await bunPackageDirs()) {
    const pkg = await readPackage(dir);
    if (pkg?.name === 'bun' && pkg.version === version) return fromNpmPackage(path.basename(dir));
  }
  const binary = await installedBuild(version);
  return identify(binary, `npm:${platformPackage()}@${version}`, `--bun ${version}`);
}

async function fromNpmPackage(alias: string): Promise<Build> {
  const dir = fromRoot('node_modules', alias);
  const pkg = await readPackage(dir);
  if (!pkg) throw new HarnessError(`${alias} is not installed in node_modules; run \`npm install\` first`);
  const binary = path.join(dir, 'bin', 'bun.exe');
  return identify(binary, `npm:bun@${pkg.version}`, `${alias} (${binary})`);
}

async function fromPath(request: string): Promise<Build> {
  const binary = path.resolve(request);
  const info = await stat(binary).catch(() => null);
  if (!info) throw usageError(`--bun ${request}: no such file`);
  if (!info.isFile()) throw usageError(`--bun ${request}: not a file`);
  await access(binary, constants.X_OK).catch(() => {
    throw usageError(`--bun ${request}: not executable (chmod +x it)`);
  });
  return identify(binary, 'path', `--bun ${request}`);
}

/** Asks the binary for `--revision` and hashes it; anything that does not answer like Bun is refused. */
async function identify(binary: string, source: string, what: string): Promise<Build> {
  const revision = await askRevision(binary, what);
  const match = REVISION.exec(revision);
  if (!match) throw usageError(`${what}: does not look like Bun (\`--revision\` printed "${revision.slice(0, 60)}")`);
  const version = match[1]!;
  const bytes = await readFile(binary);
  const line = lineOf(bytes);
  return {
    path: binary,
    runtime: {
      label: labelOf(version, line),
      version,
      revision,
      line,
      source,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}

function askRevision(binary: string, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A binary that is not Bun may ignore the flag and run forever (`yes`), or print megabytes: bound both.
    execFile(
      binary,
      ['--revision'],
      { timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error, stdout) => {
        if (error)
          reject(usageError(`${what}: does not look like Bun (\`--revision\` failed: ${firstLine(error.message)})`));
        else resolve(stdout.trim());
      },
    );
  });
}

/**
 * Zig or Rust, from the paths of Bun's own sources that each build embeds in its panic and assert
 * messages: `bundler/bundle_v2.zig` in the Zig line, `src/bundler/bundle_v2.rs` in the Rust one.
 * (`.rs` alone proves nothing: the Zig builds link Rust crates such as lol-html.)
 */
export function lineOf(binary: Uint8Array): BunLine {
  const bytes = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength);
  const has = (ext: string) => LINE_MARKERS.some((m) => bytes.includes(`bundler/${m}.${ext}`));
  const zig = has('zig');
  const rust = has('rs');
  return zig === rust ? 'unknown' : zig ? 'zig' : 'rust';
}

const LINE_MARKERS = ['bundle_v2', 'LinkerGraph', 'OutputFile'];

export function labelOf(version: string, line: BunLine): string {
  const names: Record<BunLine, string> = { zig: 'Zig', rust: 'Rust', unknown: 'line unknown' };
  return `${version} (${names[line]})`;
}

async function bunPackageDirs(): Promise<string[]> {
  const root = fromRoot('node_modules');
  const names = await readdir(root).catch(() => [] as string[]);
  return names.filter((n) => n === 'bun' || n.startsWith('bun-')).map((n) => path.join(root, n));
}

async function readPackage(dir: string): Promise<{ name: string; version: string } | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? text
  );
}
