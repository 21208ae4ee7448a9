// Reading run records back: from files or folders, validated with the one schema, an error naming
// the file and the field. Grouping them into runs is runs.ts's (pure, so the browser shares it).
//
// Only regular files are opened (and folders walked): a FIFO would block `compare`, `--replay` or
// `ingest` for ever, a device may act on being opened, and neither is a record. A path that is
// something else is one line and exit code 2, said before anything is read or written.
import { constants, type Stats } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../../core/errors.ts';
import { parseRecord, type LoadedRecord } from '../../core/record/parse.ts';
import { PublishedBuilds } from '../../core/published.ts';

/** The matrix's list of published builds (`npm run matrix -- --published`), kept beside its records. */
export const PUBLISHED_FILE = 'published.json';

/** The matrix folder's PUBLISHED_FILE, validated; null while the folder has none. */
export async function readPublished(matrixDir: string): Promise<PublishedBuilds | null> {
  const text = await readFile(path.join(matrixDir, PUBLISHED_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? null : PublishedBuilds.parse(JSON.parse(text));
}

/** Every record in these files and folders (a folder: its *.json, recursively). Bad input: a usage error naming it. */
export async function readRecords(paths: readonly string[]): Promise<LoadedRecord[]> {
  const files = await recordFiles(paths);
  return Promise.all(files.map(async (file) => ({ file, record: parseRecord(file, await readRegularFile(file)) })));
}

/**
 * The record files these paths name: files as they are, folders walked (jsonFilesUnder). Each one is
 * checked to be a regular file, so that a FIFO deep in a folder stops the command before it starts.
 */
export async function recordFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await statOf(p);
    if (info.isDirectory()) files.push(...(await jsonFilesUnder(p)));
    else if (info.isFile()) files.push(p);
    else throw usageError(`${p}: ${kindOf(info)}, not a record file or a folder of them`);
  }
  for (const file of files) {
    const info = await statOf(file);
    if (!info.isFile()) throw usageError(`${file}: ${kindOf(info)}, not a record file`);
  }
  return files;
}

/**
 * A record file's text, read only if it is a regular file, checked on the open file itself too (a
 * swap after the check cannot slip a FIFO in: O_NONBLOCK keeps the open from waiting on one).
 */
export async function readRegularFile(file: string): Promise<string> {
  const before = await statOf(file);
  if (!before.isFile()) throw usageError(`${file}: ${kindOf(before)}, not a record file`);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(
    (error: NodeJS.ErrnoException) => {
      throw usageError(`${file}: cannot read (${error.code ?? error.message})`);
    },
  );
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev)
      throw usageError(`${file}: replaced while being opened; not read`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** stat (symlinks followed: a link to a record is a record), with a usage error naming the path. */
async function statOf(p: string): Promise<Stats> {
  return stat(p).catch((error: NodeJS.ErrnoException) => {
    throw usageError(
      error.code === 'ENOENT' ? `${p}: no such file or folder` : `${p}: cannot read (${error.code ?? error.message})`,
    );
  });
}

/** What a path is, for an error: "a FIFO", "a socket", "a device", … */
export function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFile()) return 'a file';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The record files under a folder, recursively, sorted. Left out: hidden entries, compare reports, and
 * published.json (the matrix's list of builds and their publication dates, repro/core/published.ts),
 * a name no record can have (recordFileName starts with the run id).
 */
async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
    throw usageError(`${dir}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.'))
      .map(async (e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return jsonFilesUnder(full);
        return e.name.endsWith('.json') && !e.name.endsWith('.compare.json') && e.name !== PUBLISHED_FILE ? [full] : [];
      }),
  );
  return nested.flat().sort();
}
