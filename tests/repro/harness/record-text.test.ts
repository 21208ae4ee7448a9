// Text in a record never reaches an SVG renderer or a terminal as a control: the schema refuses
// control characters (free text may break lines and tab; labels, versions and the command are one
// line), and an end before the start; what the harness writes has them escaped, not refused; and
// every CLI line made from a record's text shows an escape sequence rather than obeying it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { oneLine } from '../../../repro/core/errors.ts';
import { collectProvenance, commandLine, recordBase } from '../../../repro/harness/provenance.ts';
import { RunRecord, S3LeakRecord } from '../../../repro/core/record/schema.ts';
import { writeRecord } from '../../../repro/harness/record/write.ts';
import { shellWords } from '../../../repro/core/shell.ts';
import { formatTable } from '../../../repro/core/table.ts';
import { sampleRecord } from './sample-record.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'repro-record-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An OSC 52 sequence: a terminal that obeys it puts the payload on the clipboard. */
const OSC52 = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007';
/** Controls a terminal or an SVG renderer acts on: ESC, CSI (C1), BEL, carriage return, a bidi override, a line separator. */
const CONTROLS = ['\u001b[2J', '\u009b31m', '\u0007', '\r', '\u202e', '\u2028', OSC52];

const issueOf = (record: unknown) => {
  const parsed = RunRecord.safeParse(record);
  return parsed.success ? null : `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
};

test('a control character in a label, version, revision, host field or the command is refused, naming the field', () => {
  for (const control of [...CONTROLS, '\n', '\t']) {
    const r = sampleRecord();
    expect(issueOf({ ...r, runtime: { ...r.runtime, label: `1.3.14 (Zig)${control}` } })).toBe(
      'runtime.label: a control character or line break in one line of text',
    );
    expect(issueOf({ ...r, runtime: { ...r.runtime, revision: `1.3.14+0d9b296af${control}` } })).toMatch(
      /^runtime\.revision: /,
    );
    expect(issueOf({ ...r, builds: [{ ...r.runtime, version: `1.3.14${control}` }] })).toMatch(/^builds\.0\.version: /);
    expect(issueOf({ ...r, host: { ...r.host, cpuModel: `CPU${control}` } })).toMatch(/^host\.cpuModel: /);
    expect(issueOf({ ...r, command: `npm run repro -- s3-leak${control}` })).toMatch(/^command: /);
  }
});

test('free text may break lines and tab, and nothing else', () => {
  const r = sampleRecord();
  expect(issueOf({ ...r, verdict: { ...r.verdict, message: 'first line\n\tsecond line' } })).toBeNull();
  for (const control of CONTROLS) {
    expect(issueOf({ ...r, verdict: { ...r.verdict, message: `a message${control}` } })).toBe(
      'verdict.message: a control character (free text may hold only line breaks and tabs)',
    );
  }
});

test('endedAt before startedAt is refused; the same instant is a run of no length', () => {
  const r = sampleRecord();
  expect(issueOf({ ...r, endedAt: '2025-12-31T23:59:59.000Z' })).toBe(
    'endedAt: 2025-12-31T23:59:59.000Z is before startedAt 2026-01-01T00:00:00.000Z',
  );
  expect(issueOf({ ...r, endedAt: r.startedAt })).toBeNull();
});

test('the harness writes what it saw with its controls escaped: the record is kept, and inert', async () => {
  const r = sampleRecord();
  const seen = { ...r, verdict: { ...r.verdict, message: `the store said: ${OSC52}\nthen closed` } };
  const file = await writeRecord(dir, 'seen.json', seen);
  const written = S3LeakRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
  expect(written.verdict.message).toBe('the store said: \\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07\nthen closed');
  expect(written.samples).toEqual(r.samples);
});

test('an argument with a line break or a control stays one visible line in the command, and a shell reads it back', () => {
  const { command } = commandLine(['s3-leak', '--s3-bucket', 'a\nb\u001bc']);
  expect(command).toBe("npm run repro -- s3-leak --s3-bucket $'a\\x0ab\\x1bc'");
  expect(issueOf({ ...sampleRecord(), command })).toBeNull();
  expect(execFileSync('bash', ['-c', `printf %s ${command.split(' ').at(-1)}`], { encoding: 'utf8' })).toBe(
    'a\nb\u001bc',
  );
  // Reading it back for a README refuses it rather than guessing.
  expect(shellWords(command)).toEqual({ ok: false, why: "'$' outside quotes" });
});

test('terminal lines: a table cell and an error line show escape sequences as text', () => {
  const table = formatTable(['build', 'verdict'], [[`1.3.14${OSC52}`, 'bounded\u009b2J']]);
  expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(table).toContain('1.3.14\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07');
  expect(table).toContain('bounded\\x9b2J');
  expect(oneLine(new Error(`x.json:\n not a record ${OSC52}`))).toBe(
    'x.json: not a record \\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07',
  );
});

test('compare on a record whose label writes to the clipboard: exit 2, one line, no control character printed', {
  timeout: 60_000,
}, async () => {
  const r = sampleRecord();
  const hostile = path.join(dir, `label${OSC52}.json`);
  writeFileSync(hostile, JSON.stringify({ ...r, runtime: { ...r.runtime, label: `1.3.14 (Zig)${OSC52}` } }));
  const result = await runCli(['compare', hostile, '--reference', hostile]);
  expect(result.code).toBe(2);
  const output = `${result.stdout}${result.stderr}`;
  expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(result.stderr.trim().split('\n')).toEqual([
    `repro: ${dir}/label\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07.json: not a run record: runtime.label: a control character or line break in one line of text`,
  ]);
});

test('a wall clock stepped back during a run does not cost it its record: its end is its start', () => {
  const p = collectProvenance(['s3-leak'], [], [], {}, new Date('2026-01-01T00:00:10.000Z'));
  const base = recordBase(p, sampleRecord().runtime, {
    endedAt: new Date('2026-01-01T00:00:05.000Z'),
    status: 'complete',
  });
  expect(base.endedAt).toBe('2026-01-01T00:00:10.000Z');
  expect(issueOf({ ...sampleRecord(), startedAt: base.startedAt, endedAt: base.endedAt })).toBeNull();
  expect(
    recordBase(p, sampleRecord().runtime, { endedAt: new Date('2026-01-01T00:01:00.000Z'), status: 'complete' })
      .endedAt,
  ).toBe('2026-01-01T00:01:00.000Z');
});
