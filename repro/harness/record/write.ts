// The only code that writes run records. A record is validated against the shared schema first, then
// written to a temporary file in the target folder, flushed to disk and renamed over its final name:
// a reader (or the site build) sees either no file or a complete, valid one — never half a record.
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from '../errors.ts';
import { RunRecord } from './schema.ts';

/** Validates and atomically writes one record; returns the path written. */
export async function writeRecord(dir: string, fileName: string, record: unknown): Promise<string> {
  const parsed = RunRecord.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HarnessError(`refusing to write an invalid record ${fileName}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, fileName);
  const temp = path.join(dir, `.${fileName}.${process.pid}.tmp`);
  try {
    const file = await open(temp, 'w');
    try {
      await file.writeFile(`${formatJson(parsed.data)}\n`);
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
  return target;
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

/** Fails before any process starts when the output folder cannot be created or written. */
export async function ensureWritableDir(dir: string): Promise<void> {
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
