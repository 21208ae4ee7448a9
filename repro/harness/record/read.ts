// Reading run records back: from files or folders, validated with the one schema, an error naming
// the file and the field; grouped into runs (one harness invocation, one record per build).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError, usageError } from '../errors.ts';
import { RunRecord, type ScenarioName } from './schema.ts';

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

/** Parses one record's text; the error names the file and the first field that is wrong. */
export function parseRecord(file: string, text: string): RunRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = RunRecord.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const version = (data as { schemaVersion?: unknown })?.schemaVersion;
    const hint = typeof version === 'number' && version !== 2 ? ` (a schema ${version} record; this harness reads schema 2)` : '';
    throw usageError(`${file}: not a run record${hint}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
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

/** Zig first, then Rust, then anything else: the order of the case (stable build, then the port). */
const lineRank = { zig: 0, rust: 1, unknown: 2 } as const;

export function byBuild<R extends RunRecord>(records: readonly R[]): R[] {
  return [...records].sort((a, b) => lineRank[a.runtime.line] - lineRank[b.runtime.line] || a.runtime.label.localeCompare(b.runtime.label));
}

export type RecordOf<S extends ScenarioName> = Extract<RunRecord, { scenario: S }>;

/** The records of a scenario grouped by run, oldest first, each run's records Zig first. */
export function runsOf<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[][] {
  const groups = new Map<string, RecordOf<S>[]>();
  for (const r of records) {
    if (r.scenario !== scenario) continue;
    const list = groups.get(r.runId) ?? [];
    list.push(r as RecordOf<S>);
    groups.set(r.runId, list);
  }
  const startOf = (run: readonly RunRecord[]) => run.map((r) => r.startedAt).sort()[0]!;
  return [...groups.values()].sort((a, b) => startOf(a).localeCompare(startOf(b)) || a[0]!.runId.localeCompare(b[0]!.runId)).map(byBuild);
}

/** The newest run whose records are all complete: what the site publishes and `compare` takes as reference. */
export function latestCompleteRun<S extends ScenarioName>(records: readonly RunRecord[], scenario: S): RecordOf<S>[] {
  return runsOf(records, scenario).reverse().find((run) => run.every((r) => r.status === 'complete')) ?? [];
}
