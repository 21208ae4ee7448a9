// A record the schema refuses stops the build with one line naming the file and the field, never a
// stack overflow deep inside Astro's content layer: deep nesting and absurd values are bounded.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { readRecords } from '../../../repro/harness/record/read.ts';
import { runRecords } from '../../../src/loaders/run-records.ts';
import { buildSite, copyProject, EXAMPLE_ADDRESSES } from '../../project-copy.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'bad-records-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fixture = (name: string) => readFileSync(path.join(root, 'tests/fixtures/runs', name), 'utf8');

/** The SQL fixture with 100,000 levels of nesting in one event's detail. */
function deeplyNested(): string {
  let deep = '1';
  for (let i = 0; i < 100_000; i++) deep = `{"a":${deep}}`;
  return JSON.stringify(JSON.parse(fixture('sql-pool-zig.json'))).replace(
    '"detail":{"ok":true',
    `"detail":{"x":${deep},"ok":true`,
  );
}

function folderWith(name: string, text: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), text);
  return dir;
}

test('100,000 levels of nesting: refused, naming the file and the field', async () => {
  const dir = folderWith('deep', deeplyNested());
  await expect(readRecords([dir])).rejects.toThrow(
    `${dir}/deep.json: not a run record: trials.0.repetitions.0.events.0.detail.x: Invalid input`,
  );
});

test('absurd but finite numbers: refused, naming the field', async () => {
  const record = JSON.parse(fixture('s3-leak-zig.json'));
  record.verdict.growthMiBPerIteration = 1.79e308;
  const dir = folderWith('huge', JSON.stringify(record));
  await expect(readRecords([dir])).rejects.toThrow(
    /huge\.json: not a run record: verdict\.growthMiBPerIteration: Too big/,
  );
  record.verdict.growthMiBPerIteration = 8;
  record.samples[3].rss = 2 ** 41; // 2 TiB of RSS
  writeFileSync(path.join(dir, 'huge.json'), JSON.stringify(record));
  await expect(readRecords([dir])).rejects.toThrow(/samples\.3\.rss: Too big/);
});

test('a schema 1 record says which schema it is', async () => {
  const record = JSON.parse(fixture('s3-leak-zig.json'));
  record.schemaVersion = 1;
  const dir = folderWith('old', JSON.stringify(record));
  await expect(readRecords([dir])).rejects.toThrow(
    /old\.json: not a run record \(a schema 1 record; this harness reads schema 2\)/,
  );
});

test('the site build stops on the deeply nested record with the same line, not a stack overflow', () => {
  const dir = folderWith('deep-build', deeplyNested());
  const build = buildSite(copyProject(path.join(tmp, 'project')), path.join(tmp, 'dist'), {
    ...process.env,
    CASEBOOK_RUNS_DIR: dir,
    ...EXAMPLE_ADDRESSES,
  });
  const output = `${build.stdout}\n${build.stderr}`;
  expect(build.status).not.toBe(0);
  expect(output).toContain(
    `${dir}/deep-build.json: not a run record: trials.0.repetitions.0.events.0.detail.x: Invalid input`,
  );
  expect(output).not.toMatch(/Maximum call stack/);
}, 180_000);

/** The site's run-record loader on a folder, as the build runs it (the build test above shows its line is what the build prints). */
function load(dir: string): Promise<void> {
  const loader = runRecords(dir);
  const context = {
    store: { clear() {}, set() {} },
    generateDigest: () => '',
    logger: { info() {} },
    watcher: undefined,
  };
  return loader.load(context as unknown as Parameters<typeof loader.load>[0]);
}

test('a build label with a control character stops the build at the loader, one line naming the file and the field', async () => {
  // resvg refused such a label deep inside a figure's SVG; now the loader refuses the record first.
  const record = JSON.parse(fixture('s3-leak-zig.json'));
  record.runtime.label = '1.3.14 (Zig)\u001b[31m\u0007';
  const dir = folderWith('label', JSON.stringify(record));
  await expect(load(dir)).rejects.toThrow(
    `run record: ${dir}/label.json: not a run record: runtime.label: a control character or line break in one line of text`,
  );
});

test('a record whose summary its own samples contradict stops the build at the loader, before a page quotes it', async () => {
  const record = JSON.parse(fixture('s3-leak-rust.json'));
  record.verdict.peakRssBytes = 10 * 2 ** 20;
  const dir = folderWith('lying', JSON.stringify(record));
  await expect(load(dir)).rejects.toThrow(
    new RegExp(
      `^run record: ${dir}/lying\\.json: the summary disagrees with the record's own evidence: verdict\\.peakRssBytes is 10\\.0 MiB, the samples give \\d+\\.\\d MiB$`,
    ),
  );
  // The fixtures as they are load.
  await expect(load(path.join(root, 'tests/fixtures/runs'))).resolves.toBeUndefined();
});
