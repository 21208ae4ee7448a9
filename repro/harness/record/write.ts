// The only code that writes run records. A record is validated against the shared schema first, then
// written to a temporary file in the target folder, flushed to disk and renamed over its final name:
// a reader (or the site build) sees either no file or a complete, valid one — never half a record.
// The same path writes the journal of a running run (status "partial") under the final name, so a
// crash leaves the journal and a normal end replaces it.
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, usageError } from '../errors.ts';
import { visibleControls } from '../control-characters.ts';
import { RunRecord } from './schema.ts';


/** Validates and atomically writes one record; returns the path written. */
export async function writeRecord(dir: string, fileName: string, record: unknown): Promise<string> {
  const parsed = RunRecord.safeParse(withVisibleControls(record));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HarnessError(`refusing to write an invalid record ${fileName}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
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
export function withVisibleControls<T>(value: T): T {
  if (typeof value === 'string') return visibleControls(value) as T;
  if (Array.isArray(value)) {
    const items = value.map(withVisibleControls);
    return (items.some((v, i) => v !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [visibleControls(k), withVisibleControls(v)] as const);
    return (entries.some(([k, v]) => !Object.hasOwn(value, k) || v !== (value as Record<string, unknown>)[k]) ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

/** Temp file in the same folder, fsync, rename over the target, fsync the folder. */
export async function writeJsonAtomically(target: string, text: string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    const file = await open(temp, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new HarnessError(`cannot write ${target}: ${(error as Error).message}`);
  }
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
    return value.length === 0 ? '[]' : `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isFlatObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => v === null || typeof v !== 'object');
}

/** Kernel filesystems where a write "succeeds" into nothing, or a mkdir fails forever. */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/**
 * Checks `--out` before anything is created or started: a non-empty path, not inside /proc, /sys or
 * /dev, either an existing writable folder or a new one whose nearest existing parent is a writable
 * folder. Bad: a usage error (exit 2). Nothing is created here.
 */
export async function checkOutDir(dir: string): Promise<void> {
  if (dir.trim() === '') throw usageError('--out is empty: name a folder (or leave --out out for the default)');
  const resolved = path.resolve(dir);
  if (PSEUDO_FS.some((fs) => resolved === fs || resolved.startsWith(`${fs}/`))) {
    throw usageError(`--out ${dir}: inside ${resolved.split('/')[1] ? `/${resolved.split('/')[1]}` : resolved}, a kernel filesystem; name a real folder`);
  }
  let existing = resolved;
  for (;;) {
    const info = await stat(existing).catch(() => null);
    if (info) {
      if (!info.isDirectory()) throw usageError(`--out ${dir}: ${existing === resolved ? 'is a file, not a folder' : `${existing} is a file, not a folder`}`);
      break;
    }
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    await access(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw usageError(`--out ${dir}: ${existing} is not writable`);
  }
}

/** Creates `--out` (checked by checkOutDir) and proves it takes a file, once every input is valid. */
export async function createOutDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-check.${process.pid}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await (await open(probe, 'w')).close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new HarnessError(`--out ${dir}: not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
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
