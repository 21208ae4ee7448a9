// `npm run affected:index`: writes repro/affected/builds.json, the builds index the terminal lookup
// (`npm run repro -- affected`) reads, from the matrix records and npm's publication times, with the
// same function that gives the site's /api/builds.json. `--check` writes nothing and fails when the
// copy differs from what the records give (npm test runs it), so the terminal never answers from a
// matrix older than the site's. `--matrix <dir>` reads other records, `--index <file>` writes elsewhere,
// `--changes <earlier copy>` prints what changed, as Markdown (the refresh's pull request quotes it).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BuildsIndex } from '../../repro/core/builds-index.ts';
import { oneLine } from '../../repro/core/errors.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { readPublished, readRecords } from '../../repro/harness/record/read.ts';
import { formatJson, writeJsonAtomically } from '../../repro/harness/record/write.ts';
import { buildsIndex } from '../lib/builds-index.ts';

export const BUILDS_INDEX_FILE = fromRoot('repro', 'affected', 'builds.json');

/** The index the records in `matrixDir` give (its scenario folders, and published.json when present). */
export async function indexFromMatrix(matrixDir: string): Promise<BuildsIndex> {
  const entries = await readdir(matrixDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => path.join(matrixDir, e.name));
  const records = folders.length === 0 ? [] : (await readRecords(folders)).map((l) => l.record);
  return BuildsIndex.parse(buildsIndex(records, await readPublished(matrixDir)));
}

export function indexText(index: BuildsIndex): string {
  return `${formatJson(index)}\n`;
}

/**
 * What changed between two indexes, as Markdown list items, for the refresh's pull request: builds
 * and failures added, a failure's class or first affected or first fixed build, and every build
 * whose state on a failure changed.
 */
export function indexChanges(before: BuildsIndex, after: BuildsIndex): string[] {
  const lines: string[] = [];
  const oldBuilds = new Map(before.builds.map((b) => [b.npm, b]));
  const oldFailures = new Map(before.failures.map((f) => [f.id, f]));
  for (const b of after.builds.filter((x) => !oldBuilds.has(x.npm))) {
    const affected = Object.entries(b.states)
      .filter(([, s]) => s.status === 'affected')
      .map(([id]) => id);
    lines.push(
      `- new build ${b.npm} (${b.revision}): ${affected.length === 0 ? 'no recorded failure' : `affected by ${affected.join(', ')}`}`,
    );
  }
  for (const f of after.failures) {
    const old = oldFailures.get(f.id);
    if (!old) {
      lines.push(
        `- new failure ${f.id}: ${f.class ?? 'no decided build yet'}, first affected ${f.firstAffected ?? 'none'}, first fixed ${f.firstFixed ?? 'none'}`,
      );
      continue;
    }
    for (const key of ['class', 'firstAffected', 'firstFixed'] as const) {
      if (old[key] !== f[key]) lines.push(`- ${f.id}: ${key} ${old[key] ?? 'none'} → ${f[key] ?? 'none'}`);
    }
    for (const b of after.builds) {
      const was = oldBuilds.get(b.npm)?.states[f.id]?.status;
      const now = b.states[f.id]?.status;
      if (was !== undefined && was !== now) lines.push(`- ${f.id} on ${b.npm}: ${was} → ${now ?? 'gone'}`);
    }
  }
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean' },
      matrix: { type: 'string' },
      changes: { type: 'string' },
      index: { type: 'string' },
    },
  });
  const target = path.resolve(values.index ?? BUILDS_INDEX_FILE);
  const text = indexText(await indexFromMatrix(path.resolve(values.matrix ?? fromRoot('content', 'matrix'))));
  const relative = path.relative(process.cwd(), target);
  if (values.check) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current === text) return 0;
    console.error(
      `affected:index: ${relative} is not what the matrix records give; run \`npm run affected:index\` and commit it`,
    );
    return 1;
  }
  const index = BuildsIndex.parse(JSON.parse(text));
  if (values.changes !== undefined) {
    // Print what changed against an earlier copy (the refresh keeps one from before its ingest).
    const before = BuildsIndex.parse(JSON.parse(await readFile(values.changes, 'utf8')));
    const changes = indexChanges(before, index);
    console.log(changes.length === 0 ? '- no change to any build, failure or state' : changes.join('\n'));
  }
  await writeJsonAtomically(target, text);
  if (values.changes !== undefined) return 0;
  console.log(
    `affected:index: wrote ${relative}: ${index.builds.length} builds, ${index.failures.length} failures, from ${index.records.count} records`,
  );
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
