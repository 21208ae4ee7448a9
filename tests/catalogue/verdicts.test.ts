// Each failure's rule, in its folder, is the rule its records were decided by: applied again to every
// run each matrix record holds, it gives the same key figures and the same verdict. A threshold
// changed without a rerun of the matrix fails here. And one failure, end to end in the manner of
// Bun's regression tests: the report's script under the last Zig release and the newest Rust one.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { buildStatus, keyFigureOf, runStatus } from '../../repro/core/failure.ts';
import type { CatalogueRecord } from '../../repro/core/record/schema.ts';
import { catalogue } from '../../repro/failures/index.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import { BUN_RUST, BUN_ZIG, runCli } from '../repro/harness/run-cli.ts';

const records = (await readRecords([fromRoot('content', 'matrix', 'catalogue')])).map((l) => ({
  file: path.basename(l.file),
  record: l.record as CatalogueRecord,
}));

test.each(catalogue.map((f) => [f.id, f] as const))(
  "%s: every matrix record is what its folder's rule decides",
  (id, definition) => {
    const mine = records.filter((r) => r.record.failure === id && r.record.status === 'complete');
    expect(mine.length, `${id}: matrix records`).toBeGreaterThanOrEqual(48);
    for (const { file, record } of mine) {
      expect(record.runs.length, file).toBe(definition.repetitions);
      const figures = record.runs.map((run) => keyFigureOf(definition, run)).filter((x): x is number => x !== null);
      expect(figures, file).toEqual(record.verdict.keyFigures);
      expect(buildStatus(record.runs.map((run) => runStatus(definition, run))), file).toBe(record.verdict.status);
    }
  },
);

test('http-keepalive-late-end (oven-sh/bun#31889): 1.3.14 drops the second request, 1.4.5 answers it', {
  timeout: 180_000,
}, async () => {
  const out = path.join(fromRoot(), 'tests', '.output', `keepalive-${process.pid}`);
  const run = await runCli(['http-keepalive-late-end', '--bun', BUN_ZIG, '--bun', BUN_RUST, '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  const mine = (await readRecords([out])).map((l) => l.record as CatalogueRecord);
  rmSync(out, { recursive: true, force: true });
  const byLine = Object.fromEntries(mine.map((r) => [r.runtime.line, r]));
  // The probe proves its own condition: each trial's first response was complete before end() ran.
  expect(byLine.zig!.verdict.status).toBe('affected');
  expect(byLine.rust!.verdict.status).toBe('not-affected');
});
