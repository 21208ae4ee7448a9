// The only code that writes run records. A record is validated against the shared schema first, then
// written to a temporary file in the target folder, flushed to disk and renamed over its final name:
// a reader (or the site build) sees either no file or a complete, valid one — never half a record.
// The same path writes the journal of a running run (status "partial") under the final name, so a
// crash leaves the journal and a normal end replaces it.
import { constants } from 'node:fs';
import { access, link, lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, usageError } from '../../core/errors.ts';
import { visibleControls } from '../../core/control-characters.ts';
import { kindOf } from './read.ts';
import { RunRecord } from '../../core/record/schema.ts';

/** Validates and atomically writes one record; returns the path written. */
export async function writeRecord(dir: string, fileName: string, record: unknown): Promise<string> {
  const parsed = RunRecord.safeParse(withVisibleControls(record));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HarnessError(
      `refusing to write an invalid record ${fileName}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const target = path.join(dir, fileName);
  await writeJsonAtomically(target, `${formatJson(parsed.data)}\n`);
  return target;
}

/**
 * The record with every control character in its text escaped (`\x1b`): what a run saw (a server's
 * error message, a crashing build's output) is kept, readable, and never refused by the schema or
 * acted on by a reader's terminal. Unchanged values are returned as they are, so the samples are not copied.
 */
function withVisibleControls<T>(value: T): T {
  if (typeof value === 'string') return visibleControls(value) as T;
  if (Array.isArray(value)) {
    const items = value.map(withVisibleControls);
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [visibleControls(k), withVisibleControls(v)] as const);
    return (
      entries.some(([k, v]) => !Object.hasOwn(value, k) || v !== (value as Record<string, unknown>)[k])
        ? Object.fromEntries(entries)
        : value
    ) as T;
  }
  return value;
}

export interface WriteOptions {
  /**
   * False: never replace anything at the target, even if it appears while the file is written (a
   * hard link of the finished temporary file, which fails if the name is taken: atomic and exclusive).
   */
  replace?: boolean;
}

/** Temp file in the same folder, fsync, rename over the target (or link it, see WriteOptions), fsync the folder. */
export async function writeJsonAtomically(
  target: string,
  text: string,
  { replace = true }: WriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  let created = false;
  try {
    // Exclusive: whatever else is at the temporary name (a symlink planted there) is not written through.
    const file = await open(temp, 'wx');
    created = true;
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    if (replace) await rename(temp, target);
    else await link(temp, target);
  } catch (error) {
    if (created) await rm(temp, { force: true });
    if (created && !replace && (error as NodeJS.ErrnoException).code === 'EEXIST')
      throw usageError(`${target}: appeared while it was being written; nothing was replaced`);
    throw new HarnessError(`cannot write ${target}: ${(error as Error).message}`);
  }
  // The link is the file now; the temporary name goes.
  if (!replace) await rm(temp, { force: true });
  await syncDir(dir);
}

/**
 * Indented JSON, except that an array of flat objects (the samples) gets one element per line:
 * a 4096-read record stays readable, diffable and about half the size.
 */
export function formatJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > 0 && value.every(isFlatObject)) {
    return `[\n${value.map((v) => `${inner}${JSON.stringify(v)}`).join(',\n')}\n${indent}]`;
  }
  if (Array.isArray(value)) {
    return value.length === 0
      ? '[]'
      : `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isFlatObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || typeof v !== 'object')
  );
}

/** Kernel filesystems where a write "succeeds" into nothing, or a mkdir fails (or spins) for ever. */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/** A usage error if `real` (a resolved path, symlinks followed where it matters) is in a kernel filesystem. */
function refuseKernelFs(shown: string, real: string): void {
  const fs = PSEUDO_FS.find((root) => real === root || real.startsWith(`${root}/`));
  if (fs) throw usageError(`${shown}: inside ${fs}, a kernel filesystem; name a place on a real disk`);
}

/**
 * The nearest folder at or above `resolved` that exists, as its real path. Only a missing path is
 * climbed over; anything else in the way (a file, a dangling symlink, a name too long, a loop) is a
 * usage error naming it.
 */
async function nearestFolder(shown: string, resolved: string): Promise<string> {
  for (let existing = resolved; ; existing = path.dirname(existing)) {
    const entry = await lstat(existing).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up, which the climb reaches and names.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw usageError(`${shown}: cannot use ${existing} (${error.code ?? error.message})`);
    });
    if (entry === null) {
      if (path.dirname(existing) === existing) throw usageError(`${shown}: no folder to create it in`);
      continue;
    }
    const info = await stat(existing).catch(() => null);
    if (info === null) throw usageError(`${shown}: ${existing} is a symbolic link to nothing`);
    if (!info.isDirectory())
      throw usageError(`${shown}: ${existing === resolved ? '' : `${existing} `}is ${kindOf(info)}, not a folder`);
    return realpath(existing);
  }
}

/** The folder is writable (and searchable), or a usage error. */
async function refuseUnwritable(shown: string, folder: string): Promise<void> {
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw usageError(`${shown}: ${folder} is not writable`);
  }
}

/**
 * Checks `--out` before anything is created or started: a non-empty path, not inside /proc, /sys or
 * /dev (symlinks followed), either an existing writable folder or a new one whose nearest existing
 * parent is a writable folder. Bad: a usage error (exit 2). Nothing is created here.
 */
export async function checkOutDir(dir: string): Promise<void> {
  if (dir.trim() === '') throw usageError('--out is empty: name a folder (or leave --out out for the default)');
  const shown = `--out ${dir}`;
  const resolved = path.resolve(dir);
  refuseKernelFs(shown, resolved);
  const folder = await nearestFolder(shown, resolved);
  refuseKernelFs(shown, folder);
  await refuseUnwritable(shown, folder);
}

/**
 * Checks a file to be created (`compare --report`): a new name in an existing, writable folder,
 * outside /proc, /sys and /dev. Whatever is at that name already (a file, a device, a symlink) is a
 * usage error: nothing is ever replaced. The write itself is exclusive too (WriteOptions.replace).
 */
export async function checkNewFile(file: string, flag: string): Promise<void> {
  if (file.trim() === '') throw usageError(`${flag} is empty: name a new file`);
  const shown = `${flag} ${file}`;
  const resolved = path.resolve(file);
  refuseKernelFs(shown, resolved);
  const there = await lstat(resolved).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw usageError(`${shown}: cannot use it (${error.code ?? error.message})`);
  });
  if (there)
    throw usageError(
      `${shown}: already exists (${there.isSymbolicLink() ? 'a symbolic link' : kindOf(there)}); name a new file, nothing is replaced`,
    );
  const parent = path.dirname(resolved);
  const info = await stat(parent).catch(() => null);
  if (!info) throw usageError(`${shown}: no such folder ${parent}`);
  if (!info.isDirectory()) throw usageError(`${shown}: ${parent} is ${kindOf(info)}, not a folder`);
  const real = await realpath(parent);
  refuseKernelFs(shown, real);
  await refuseUnwritable(shown, real);
}

/** Creates `--out` (checked by checkOutDir) and proves it takes a file, once every input is valid. */
export async function createOutDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-check.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await (await open(probe, 'w')).close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new HarnessError(
      `--out ${dir}: not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** Makes the rename itself durable (the directory entry), where the platform allows it. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* some filesystems refuse fsync on a directory; the rename is still atomic */
  }
}
