// Reading run records back: from files or folders, validated with the one schema, an error naming
// the file and the field. Grouping them into runs is runs.ts's (pure, so the browser shares it).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, usageError } from '../errors.ts';
import { parseRecord } from './parse.ts';
import type { RunRecord } from './schema.ts';

export interface LoadedRecord {
  file: string;
  record: RunRecord;
}

/** Every record in these files and folders (a folder: its *.json, recursively). Bad input: a usage error naming it. */
export async function readRecords(paths: readonly string[]): Promise<LoadedRecord[]> {
  const files: string[] = [];
  for (const p of paths) {
    const info = await stat(p).catch(() => null);
    if (!info) throw usageError(`${p}: no such file or folder`);
    files.push(...(info.isDirectory() ? await jsonFilesUnder(p) : [p]));
  }
  return Promise.all(files.map(async (file) => ({ file, record: parseRecord(file, await readFile(file, 'utf8')) })));
}

/** The record files under a folder, recursively, sorted (hidden entries and compare reports left out). */
export async function jsonFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
    throw new HarnessError(`${dir}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.'))
      .map(async (e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return jsonFilesUnder(full);
        return e.name.endsWith('.json') && !e.name.endsWith('.compare.json') ? [full] : [];
      }),
  );
  return nested.flat().sort();
}
