// `npm run affected:index`: writes repro/affected/builds.json, the builds index the terminal lookup
// (`npm run repro -- affected`) reads, from the matrix records and npm's publication times, with the
// same function that gives the site's /api/builds.json. `--check` writes nothing and fails when the
// copy differs from what the records give (npm test runs it), so the terminal never answers from a
// matrix older than the site's.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BuildsIndex } from '../../repro/core/builds-index.ts';
import { PublishedBuilds } from '../../repro/core/published.ts';
import { oneLine } from '../../repro/core/errors.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import { formatJson, writeJsonAtomically } from '../../repro/harness/record/write.ts';
import { buildsIndex } from '../lib/builds-index.ts';

export const BUILDS_INDEX_FILE = fromRoot('repro', 'affected', 'builds.json');

/** The index the records in `matrixDir` give (its scenario folders, and published.json when present). */
export async function indexFromMatrix(matrixDir: string): Promise<BuildsIndex> {
  const entries = await readdir(matrixDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => path.join(matrixDir, e.name));
  const records = folders.length === 0 ? [] : (await readRecords(folders)).map((l) => l.record);
  const publishedText = await readFile(path.join(matrixDir, 'published.json'), 'utf8').catch(() => null);
  const published = publishedText === null ? null : PublishedBuilds.parse(JSON.parse(publishedText));
  return BuildsIndex.parse(buildsIndex(records, published));
}

export function indexText(index: BuildsIndex): string {
  return `${formatJson(index)}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, matrix: { type: 'string' } } });
  const text = indexText(await indexFromMatrix(path.resolve(values.matrix ?? fromRoot('content', 'matrix'))));
  const relative = path.relative(process.cwd(), BUILDS_INDEX_FILE);
  if (values.check) {
    const current = await readFile(BUILDS_INDEX_FILE, 'utf8').catch(() => '');
    if (current === text) return 0;
    console.error(`affected:index: ${relative} is not what the matrix records give; run \`npm run affected:index\` and commit it`);
    return 1;
  }
  await writeJsonAtomically(BUILDS_INDEX_FILE, text);
  const index = BuildsIndex.parse(JSON.parse(text));
  console.log(`affected:index: wrote ${relative}: ${index.builds.length} builds, ${index.failures.length} failures, from ${index.records.count} records`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`affected:index: ${oneLine(error)}`);
      process.exit(1);
    },
  );
}
