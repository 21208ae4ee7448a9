// Any published Bun build, fetched from the npm registry as its platform package
// (@oven/bun-linux-x64 and kin), verified against npm's integrity hash, and cached once per version
// outside the repository. The platform packages list more builds than `bun` itself: the canaries
// of May 2026 that bracket the rewrite are published only there (bun-facts.md, "npm labels").
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HarnessError, oneLine, usageError } from '../core/errors.ts';
import { isProcessAlive } from './lines.ts';
import { PublishedBuilds } from '../core/published.ts';
import { compareVersions } from '../core/versions.ts';

/** Where downloaded builds live: CASEBOOK_CACHE_DIR, else the XDG cache, else ~/.cache. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CASEBOOK_CACHE_DIR) return path.resolve(env.CASEBOOK_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'bun-rewrite-casebook');
}

/** The npm package holding this platform's binary; Bun names arm64 "aarch64". */
export function platformPackage(platform: string = process.platform, arch: string = process.arch): string {
  const cpu = arch === 'arm64' ? 'aarch64' : arch;
  return `@oven/bun-${platform}-${cpu}`;
}

function registryUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.npm_config_registry || 'https://registry.npmjs.org/';
  return url.endsWith('/') ? url : `${url}/`;
}

interface PublishedVersion {
  version: string;
  tarball: string;
  integrity: string;
}

/** Every version of the platform package the registry lists, in its own order (publication order). */
export async function publishedVersions(pkg = platformPackage()): Promise<PublishedVersion[]> {
  // The abbreviated document: a few KB per version instead of the full package metadata.
  const body = (await registryDocument(pkg, 'application/vnd.npm.install-v1+json')) as Packument;
  return Object.entries(body.versions ?? {}).flatMap(([version, meta]) =>
    meta.dist?.tarball && meta.dist.integrity
      ? [{ version, tarball: meta.dist.tarball, integrity: meta.dist.integrity }]
      : [],
  );
}

/**
 * When each build came out: the full packument's `time` field (the abbreviated document has none),
 * read now, validated with the published.json schema. Only what publishedVersions would run is listed
 * (a dist tarball and integrity); see publishedBuildsOf for what else is left out.
 */
export async function publishedBuilds(pkg = platformPackage(), now = new Date()): Promise<PublishedBuilds> {
  return publishedBuildsOf(await registryDocument(pkg, 'application/json'), pkg, registryUrl(), now);
}

/**
 * The published.json of a full packument. A version is listed when it has a dist tarball, a sha512
 * integrity (the schema's; npm has written one for every version since 2017) and a parseable
 * publication time; the times are written in UTC (`2026-12-02T14:24:46.000Z`, whatever offset the
 * registry used), oldest first. The registry's own keys in `time` (created, modified) are not builds.
 */
export function publishedBuildsOf(body: unknown, pkg: string, registry: string, now: Date): PublishedBuilds {
  const doc = (body ?? {}) as Packument;
  const times = doc.time ?? {};
  const versions = Object.entries(doc.versions ?? {}).flatMap(([version, meta]) => {
    const integrity = meta.dist?.integrity
      ?.trim()
      .split(/\s+/)
      .find((t) => t.startsWith('sha512-'));
    const time = typeof times[version] === 'string' ? new Date(times[version]) : null;
    if (!meta.dist?.tarball || !integrity || time === null || Number.isNaN(time.getTime())) return [];
    return [{ version, published: time.toISOString(), integrity }];
  });
  versions.sort((a, b) => a.published.localeCompare(b.published) || compareVersions(a.version, b.version));
  const parsed = PublishedBuilds.safeParse({
    schema: 1,
    package: pkg,
    registry,
    retrievedAt: now.toISOString(),
    versions,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HarnessError(
      `the npm registry's list of ${pkg} builds does not fit published.json: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

interface Packument {
  versions?: Record<string, { dist?: { tarball?: string; integrity?: string } }>;
  time?: Record<string, unknown>;
}

/** The registry's document for a package, as JSON; `accept` picks the abbreviated or the full one. */
async function registryDocument(pkg: string, accept: string): Promise<unknown> {
  const url = `${registryUrl()}${pkg.replace('/', '%2f')}`;
  try {
    const response = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(30_000) });
    if (response.status === 404)
      throw usageError(`${pkg} is not on the npm registry at ${registryUrl()}: no published builds for this platform`);
    if (!response.ok) throw new HarnessError(`the npm registry answered ${response.status} for ${pkg}`);
    return await response.json();
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(
      `could not reach the npm registry at ${registryUrl()} to find Bun builds: ${oneLine(causeOf(error))}`,
    );
  }
}

interface InstallManifest {
  package: string;
  version: string;
  integrity: string;
  tarball: string;
  /** SHA-256 of bin/bun as installed: checked on every use, so a damaged cache is noticed. */
  sha256: string;
}

/**
 * The path of `bun` for an npm version of the platform package, downloading it on first use.
 * Prints one line to `log` when it downloads. A version the registry does not list is a usage error.
 */
export async function installedBuild(
  version: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<string> {
  const pkg = platformPackage();
  const dir = path.join(cacheRoot(), pkg.replace('/', '+'), version);
  const binary = path.join(dir, 'bin', 'bun');
  const cached = await readManifest(dir);
  if (cached && (await sha256Of(binary)) === cached.sha256) return binary;
  if (cached) log(`repro: the cached ${pkg}@${version} no longer matches its checksum; downloading it again`);

  const published = await publishedVersions(pkg);
  const wanted = published.find((p) => p.version === version);
  if (!wanted) {
    const newest = published.at(-1)?.version;
    throw usageError(
      `--bun ${version}: ${pkg}@${version} is not published${newest ? ` (the registry lists ${published.length} builds, the newest ${newest})` : ''}`,
    );
  }

  log(`repro: downloading ${pkg}@${version} from the npm registry into ${path.dirname(dir)}`);
  const tarball = await download(wanted);
  const bun = extractFile(gunzipSync(tarball), 'package/bin/bun');
  if (!bun) throw new HarnessError(`${pkg}@${version}: the tarball has no package/bin/bun`);

  // Assemble in a private folder and rename it into place, so a concurrent or interrupted install
  // never leaves a half-written binary under the version's name.
  await mkdir(path.dirname(dir), { recursive: true });
  await sweepStaleInstalls(path.dirname(dir));
  const staging = path.join(path.dirname(dir), `.install-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(path.join(staging, 'bin'), { recursive: true });
    await writeFile(path.join(staging, 'bin', 'bun'), bun);
    await chmod(path.join(staging, 'bin', 'bun'), 0o755);
    const manifest: InstallManifest = {
      package: pkg,
      version,
      integrity: wanted.integrity,
      tarball: wanted.tarball,
      sha256: sha256(bun),
    };
    await writeFile(path.join(staging, 'install.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}

async function download(wanted: PublishedVersion): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const response = await fetch(wanted.tarball, { signal: AbortSignal.timeout(600_000) });
    if (!response.ok) throw new HarnessError(`downloading ${wanted.tarball}: the registry answered ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError(`downloading ${wanted.tarball}: ${oneLine(causeOf(error))}`);
  }
  if (!matchesIntegrity(bytes, wanted.integrity)) {
    throw new HarnessError(
      `${wanted.tarball} does not match npm's integrity hash ${wanted.integrity.slice(0, 20)}…; nothing was installed`,
    );
  }
  return bytes;
}

/** Subresource Integrity as npm writes it: one or more `algo-base64` tokens; the strongest known one must match. */
export function matchesIntegrity(bytes: Uint8Array, integrity: string): boolean {
  const tokens = integrity
    .trim()
    .split(/\s+/)
    .map((t) => /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(t))
    .filter((m) => m !== null);
  const order = ['sha512', 'sha384', 'sha256', 'sha1'];
  const strongest = tokens.sort((a, b) => order.indexOf(a[1]!) - order.indexOf(b[1]!))[0];
  if (!strongest) return false;
  return createHash(strongest[1]!).update(bytes).digest('base64') === strongest[2];
}

/** The bytes of one regular file in a (ustar or GNU) tar archive, or null. */
export function extractFile(tar: Uint8Array, wanted: string): Buffer | null {
  const buf = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength);
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return null;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = buf.subarray(offset + 512, offset + 512 + size);
    longName = type === 'L' ? body.toString('utf8').replace(/\0.*$/s, '') : null;
    if ((type === '0' || type === '7') && name === wanted) return Buffer.from(body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

async function readManifest(dir: string): Promise<InstallManifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'install.json'), 'utf8')) as InstallManifest;
  } catch {
    return null;
  }
}

/** Staging folders of installs whose process is gone (a SIGKILL mid-download). */
async function sweepStaleInstalls(parent: string): Promise<void> {
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = /^\.install-(\d+)-/.exec(name)?.[1];
    if (pid && !isProcessAlive(Number(pid))) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

async function sha256Of(file: string): Promise<string | null> {
  return readFile(file).then(sha256, () => null);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause ? error.cause : error;
}
