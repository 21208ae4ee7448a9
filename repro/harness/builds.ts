// Which Bun binaries a run measures, and how each is identified in the record.
//
// By default: the two pinned npm aliases in package.json (bun-zig = npm:bun@1.3.14, the last Zig
// stable; bun-rust = npm:bun@1.4.5, the Rust line). `--bun` (repeatable) replaces them with any
// other build: an npm version installed next to them, or a path to a binary a reader downloaded.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BunLine, Runtime } from './record/schema.ts';
import { HarnessError, usageError } from './errors.ts';
import { fromRoot } from './paths.ts';

export interface Build {
  runtime: Runtime;
  /** Absolute path of the binary to run. */
  path: string;
}

/** The pinned builds, as npm aliases (package.json devDependencies). */
export const DEFAULT_ALIASES = ['bun-zig', 'bun-rust'] as const;

/** Canaries of the 1.3 series that already carried the Rust rewrite (bun-facts.md §1–2). */
const RUST_CANARIES = new Set(['1.3.14-canary.1+172afa532']);

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

/** An npm version must already be installed under node_modules as `bun` or any `bun-*` alias. */
async function fromNpmVersion(version: string): Promise<Build> {
  for (const dir of await bunPackageDirs()) {
    const pkg = await readPackage(dir);
    if (pkg?.name === 'bun' && pkg.version === version) return fromNpmPackage(path.basename(dir));
  }
  throw usageError(
    `--bun ${version}: bun@${version} is not installed; install it with ` +
      `\`npm install --no-save bun-${version}@npm:bun@${version}\` and run again`,
  );
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
  const line = lineOf(version, revision);
  return {
    path: binary,
    runtime: { label: labelOf(version, line), version, revision, line, source, sha256: await sha256File(binary) },
  };
}

function askRevision(binary: string, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A binary that is not Bun may ignore the flag and run forever (`yes`), or print megabytes: bound both.
    execFile(binary, ['--revision'], { timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 }, (error, stdout) => {
      if (error) reject(usageError(`${what}: does not look like Bun (\`--revision\` failed: ${firstLine(error.message)})`));
      else resolve(stdout.trim());
    });
  });
}

/** Zig before 1.4.0 (except the Rust canaries), Rust from 1.4.0 on. */
export function lineOf(version: string, revision: string): BunLine {
  if (RUST_CANARIES.has(revision)) return 'rust';
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return 'unknown';
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major > 1 || (major === 1 && minor >= 4)) return 'rust';
  // A 1.3.x canary may or may not carry the rewrite; only the ones we know of are named above.
  if (version.includes('-canary')) return 'unknown';
  return 'zig';
}

export function labelOf(version: string, line: BunLine): string {
  const names: Record<BunLine, string> = { zig: 'Zig', rust: 'Rust', unknown: 'line unknown' };
  return `${version} (${names[line]})`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
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
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
