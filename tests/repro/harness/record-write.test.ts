// Records round-trip through the one schema, and are written whole or not at all.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fromRoot } from '../../../repro/harness/paths.ts';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { recordFileName } from '../../../repro/core/record/file-name.ts';
import { RunRecord, type S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { formatJson, writeJsonAtomically, writeRecord } from '../../../repro/harness/record/write.ts';
import { sampleRecord } from './sample-record.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a record survives JSON and the schema unchanged', () => {
  const record = sampleRecord();
  const again = RunRecord.parse(JSON.parse(JSON.stringify(RunRecord.parse(record))));
  expect(again).toEqual(record);
});

test('writeRecord writes a valid file and leaves no temporary file', async () => {
  const file = await writeRecord(dir, 'a.json', sampleRecord());
  expect(RunRecord.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual(sampleRecord());
  expect(readdirSync(dir)).toEqual(['a.json']);
});

test('formatJson is JSON, with one flat sample per line', () => {
  const record = sampleRecord();
  const text = formatJson(record);
  expect(JSON.parse(text)).toEqual(record);
  expect(text).toContain(`\n    ${JSON.stringify(record.samples[1])},\n`);
  expect(formatJson({ a: [], b: {}, c: [[1, 2]], d: null })).toBe(
    '{\n  "a": [],\n  "b": {},\n  "c": [\n    [\n      1,\n      2\n    ]\n  ],\n  "d": null\n}',
  );
});

test('an invalid record is refused with the offending field, and nothing is written', async () => {
  const bad = sampleRecord() as S3LeakRecord;
  bad.samples[1]!.rss = -1;
  await expect(writeRecord(dir, 'bad.json', bad)).rejects.toThrow(/bad\.json: samples\.1\.rss: /);
  expect(readdirSync(dir)).toEqual(['a.json']);
});

test('schema 2: an explicit status, the redaction list and the S3 checks are required; the old boolean is refused', () => {
  const { status: _s, ...noStatus } = sampleRecord();
  expect(RunRecord.safeParse(noStatus).success).toBe(false);
  expect(RunRecord.safeParse({ ...sampleRecord(), status: 'crashed' }).success).toBe(false);
  for (const status of ['complete', 'interrupted', 'partial'] as const)
    expect(RunRecord.safeParse({ ...sampleRecord(), status }).success).toBe(true);
  // A schema 1 record (interrupted: boolean, no status) is not a schema 2 record.
  expect(RunRecord.safeParse({ ...noStatus, schemaVersion: 1, interrupted: false }).success).toBe(false);
  const { redacted: _r, ...noRedacted } = sampleRecord();
  expect(RunRecord.safeParse(noRedacted).success).toBe(false);
  const { checks: _c, ...noChecks } = sampleRecord();
  expect(RunRecord.safeParse(noChecks).success).toBe(false);
  const { baselineAtOutsideMs: _b, ...noBaseline } = sampleRecord();
  expect(RunRecord.safeParse(noBaseline).success).toBe(false);
});

test('schema 2: values past what a run can produce are refused (RSS over 1 TiB, a command over 4000 characters)', async () => {
  const huge = sampleRecord();
  huge.samples[0]!.rss = 2 ** 41;
  expect(RunRecord.safeParse(huge).success).toBe(false);
  await expect(writeRecord(dir, 'long.json', { ...sampleRecord(), command: 'x'.repeat(4001) })).rejects.toThrow(
    /long\.json: command: /,
  );
  expect(readdirSync(dir)).toEqual(['a.json']);
});

test('recordFileName, which every writer names records by, refuses a field that is no file name', () => {
  const runtime = sampleRecord().runtime;
  for (const version of [
    'x/../../../../escaped',
    '../x',
    '1.3.14/evil',
    '1.3.14\0',
    '.',
    '..',
    '1.3.14\nx',
    'a'.repeat(101),
    'a\\b',
  ]) {
    expect(
      () => recordFileName({ runId: '20260101T000000Z-0000', runtime: { ...runtime, version } }),
      JSON.stringify(version),
    ).toThrow(/^runtime\.version is not a version/);
  }
  expect(() => recordFileName({ runId: '../x', runtime })).toThrow(/^runId is not a run id/);
  expect(() => recordFileName({ runId: '20260101T000000Z-0000', runtime: { ...runtime, line: 'zig/..' } })).toThrow(
    /^runtime\.line/,
  );
  // Every name the harness ever wrote still comes out the same.
  for (const dir of ['runs', 'matrix'].map((d) => fromRoot('content', d))) {
    // published.json, the matrix's build list, is the one file there that is no record.
    for (const file of readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json') && f !== 'published.json')) {
      expect(recordFileName(RunRecord.parse(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))))).toBe(
        path.basename(file),
      );
    }
  }
});

test('an exclusive write never replaces what is at the target, even if it appears after every check', async () => {
  // What `compare --report` and ingest do: a file (or a device node) already there stays as it was.
  const target = path.join(dir, 'taken.json');
  writeFileSync(target, 'somebody else’s\n');
  await expect(writeJsonAtomically(target, '{}\n', { replace: false })).rejects.toThrow(
    /taken\.json: appeared while it was being written; nothing was replaced$/,
  );
  expect(readFileSync(target, 'utf8')).toBe('somebody else’s\n');
  expect(readdirSync(dir).filter((f) => f.includes('taken'))).toEqual(['taken.json']);
  // A new name is written whole, and no temporary file is left.
  await writeJsonAtomically(path.join(dir, 'fresh.json'), '{"a":1}\n', { replace: false });
  expect(readFileSync(path.join(dir, 'fresh.json'), 'utf8')).toBe('{"a":1}\n');
  expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
});
