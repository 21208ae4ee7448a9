// `npm run matrix -- ingest <dir…>`: merges records that matrix jobs ran elsewhere (the artifacts of
// .github/workflows/matrix.yml, downloaded and unpacked) into <out>/<scenario>/ (--out content/matrix:
// the published matrix). Each file is validated with the one schema and copied byte for byte (a
// record is evidence: never rewritten); an invalid file, or a record already present, is rejected
// with one line and the rest go on.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { evidenceError } from '../core/compare/compare.ts';
import { usageError, oneLine } from '../core/errors.ts';
import { isInside } from './paths.ts';
import { parseRecord } from '../core/record/parse.ts';
import { readRegularFile, recordFiles } from './record/read.ts';
import { recordFileName } from '../core/record/file-name.ts';
import { writeJsonAtomically } from './record/write.ts';
import type { RunRecord } from '../core/record/schema.ts';
import { loadScenario } from './scenarios.ts';

export interface IngestResult {
  ingested: string[];
  /** One line per rejected file: which, and why. */
  rejected: string[];
}

export async function ingest(inputs: readonly string[], matrixDir: string): Promise<IngestResult> {
  if (inputs.length === 0) throw usageError('ingest: name the folders (or files) holding the downloaded records');
  // Every input is a regular file or a folder of them before anything is written.
  const files = await recordFiles(inputs).catch((error: unknown) => {
    throw usageError(`ingest: ${oneLine(error)}`);
  });
  const result: IngestResult = { ingested: [], rejected: [] };
  const seen = new Map<string, string>();
  for (const file of files) {
    const text = await readRegularFile(file);
    let record: RunRecord;
    try {
      record = parseRecord(file, text);
    } catch (error) {
      result.rejected.push(oneLine(error));
      continue;
    }
    // A summary its own evidence contradicts would reach the site's pages: refused here, as the site refuses it.
    const contradicted = evidenceError((await loadScenario(record.scenario)).compareRules, { file, record });
    if (contradicted) {
      result.rejected.push(contradicted);
      continue;
    }
    const key = identity(record);
    const twin = seen.get(key);
    if (twin) {
      result.rejected.push(`${file}: a duplicate of ${twin} (run ${record.runId}, ${record.runtime.revision})`);
      continue;
    }
    seen.set(key, file);
    let target: string;
    try {
      target = matrixFile(matrixDir, record);
    } catch (error) {
      result.rejected.push(`${file}: ${oneLine(error)}`);
      continue;
    }
    if (await stat(target).catch(() => null)) {
      result.rejected.push(`${file}: already in the matrix as ${path.relative(process.cwd(), target)}`);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    // Evidence is never replaced, even by a twin that lands between the check above and here.
    await writeJsonAtomically(target, text, { replace: false });
    result.ingested.push(target);
  }
  return result;
}

/** Where a record goes in the matrix: named from its validated fields, and never outside the folder. */
function matrixFile(matrixDir: string, record: RunRecord): string {
  const target = path.join(matrixDir, record.scenario, recordFileName(record));
  if (!isInside(matrixDir, target)) throw usageError(`its file name would put it outside ${matrixDir}`);
  return target;
}

/** Two files are the same record when they are one run of one binary. */
function identity(record: RunRecord): string {
  return `${record.scenario}|${record.runId}|${record.runtime.sha256}`;
}
