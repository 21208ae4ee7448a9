// Runs `npm run repro -- …` as a reader would (the pinned Node 24, the real CLI), for black-box tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import { formatJson } from '../../../repro/harness/record/write.ts';

const NODE = fromRoot('node_modules', '.bin', 'node');
const CLI = fromRoot('repro', 'harness', 'cli.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function repro(args: string[]): Promise<CliResult> {
  // The tester's own credentials and database must not leak into the runs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS|S3)_|^DATABASE_URL$/.test(k)));
  const child = spawn(NODE, [CLI, ...args], { cwd: fromRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Temporary folders, removed by `removeTemps` (call it in afterAll). */
const temps: string[] = [];
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `casebook-compare-test-${label}-`));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes records as the harness writes them (one file per build), into a new folder; returns it. */
export function writeRecords(records: readonly RunRecord[], label: string): string {
  const dir = tempDir(label);
  for (const r of records)
    writeFileSync(
      path.join(dir, `${r.runId}_${r.runtime.version}-${r.runtime.line}.json`),
      `${formatJson(RunRecord.parse(r))}\n`,
    );
  return dir;
}

/** Every record in a folder (not the compare reports), parsed with the shared schema. */
export function readRecordsIn(dir: string): RunRecord[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.compare.json'))
    .sort()
    .map((f) => RunRecord.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
}
