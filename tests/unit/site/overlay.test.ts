// "Compare with your run", its pure part: the reader's files to records or one line, the rows of
// both layers, and the compare report, on the committed records (content/runs, content/matrix).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RunRecord } from '../../../repro/core/record/schema.ts';
import { nothingToCompare } from '../../../repro/core/compare/compare.ts';
import {
  compareOverlay,
  compareStatus,
  MAX_FILE_BYTES,
  notARecord,
  overlayRows,
  readDropped,
  type DroppedFile,
} from '../../../src/figures/overlay.ts';
import { figureData, figures, getFigure } from '../../../src/figures/registry.ts';
import { latestRun } from '../../../src/lib/runs.ts';

const runsDir = new URL('../../../content/runs/', import.meta.url);
/** Each published record file's text, by scenario folder. */
const published = readdirSync(runsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f.split('/').at(-1)!, text: readFileSync(new URL(f, runsDir), 'utf8') }));
const records = published.map((p) => RunRecord.parse(JSON.parse(p.text)));
const textOf = (scenario: string) => published.filter((_, i) => records[i]!.scenario === scenario);

const file = (name: string, text: string, size = Buffer.byteLength(text)): DroppedFile => ({
  name,
  size,
  text: async () => text,
});
/** The first figure of a scenario. */
const figureOf = (scenario: string) => figures.find((f) => f.scenario === scenario)!;
const matrix = getFigure('version-matrix');
const s3 = records.find((r) => r.scenario === 's3-leak')!;
const sql = records.find((r) => r.scenario === 'sql-pool')!;
const s3Figure = figureOf(s3.scenario);

async function errorOf(files: DroppedFile[], figure = s3Figure): Promise<string> {
  const read = await readDropped(files, figure);
  if (read.ok) throw new Error('expected a refusal');
  return read.error;
}

describe('reading dropped files', () => {
  test('the published records of each scenario are read back as they are', async () => {
    for (const scenario of new Set(records.map((r) => r.scenario))) {
      const read = await readDropped(
        textOf(scenario).map((p) => file(p.name, p.text)),
        figureOf(scenario),
      );
      expect(read.ok && read.records.map((l) => l.record)).toEqual(records.filter((r) => r.scenario === scenario));
    }
  });

  test('an array of records and a figure download are read too; the same record twice counts once', async () => {
    const both = [s3, s3];
    const read = await readDropped(
      [
        file('list.json', JSON.stringify(both)),
        file('s3-rss.json', JSON.stringify({ figure: { id: 's3-rss' }, records: [s3] })),
      ],
      s3Figure,
    );
    expect(read.ok && read.records.length).toBe(1);
  });

  test('the version matrix takes records of any scenario', async () => {
    const read = await readDropped([file('a.json', JSON.stringify(s3)), file('b.json', JSON.stringify(sql))], matrix);
    expect(read.ok && read.records.map((l) => l.record.scenario)).toEqual(['s3-leak', 'sql-pool']);
  });

  test('each bad file gets one line naming it and what is wrong', async () => {
    const text = JSON.stringify(s3);
    expect(await errorOf([file('big.json', '', MAX_FILE_BYTES + 1)])).toBe(
      'big.json: 20.0 MB, over the 20 MB limit for a record file; nothing was read.',
    );
    expect(await errorOf([file('empty.json', '')])).toBe('empty.json: the file is empty.');
    expect(await errorOf([file('cut.json', text.slice(0, 5000))])).toBe(
      'cut.json: the JSON ends early; the file looks cut short (truncated).',
    );
    expect(await errorOf([file('cut.json', text.slice(0, 40))])).toBe(
      'cut.json: the JSON ends early; the file looks cut short (truncated).',
    );
    expect(await errorOf([file('page.html', '<img src=x onerror=alert(1)>')])).toMatch(
      /^page\.html: not JSON \(Unexpected token '<'.*\)\.$/,
    );
    expect(await errorOf([file('n.json', '{"a": NaN}')])).toMatch(/^n\.json: not JSON \(/);
    expect(await errorOf([file('num.json', '42')])).toBe(
      'num.json: JSON, but not a run record (a record is an object).',
    );
    expect(await errorOf([file('none.json', '[]')])).toBe('none.json: an empty list, with no record in it.');
    expect(await errorOf([file('report.json', '{"kind":"casebook-compare"}')])).toBe(
      'report.json: a compare report, which holds no measurements; drop the record files it compared.',
    );
    expect(await errorOf([file('old.json', JSON.stringify({ ...s3, schemaVersion: 1 }))])).toBe(
      'old.json is a run record of schema 1, and this site reads schema 2: rerun it with the current harness.',
    );
    expect(await errorOf([file('sql.json', JSON.stringify(sql))])).toBe(
      'sql.json: a record of sql-pool, and this figure draws runs of s3-leak; drop it on a figure of sql-pool.',
    );
    expect(await errorOf([file('blank.json', ' \n\t ')])).toBe('blank.json: the file holds only blank space.');
    expect(await errorOf([file('list.json', JSON.stringify([s3, { ...s3, runId: '<b>' }]))])).toMatch(
      /^list\.json \[1\] is not a run record: field "runId" /,
    );
    expect(await errorOf([])).toBe('No file was chosen.');
  });

  test('a 50 MB file is refused by its size before a byte of it is read', async () => {
    let read = false;
    const huge: DroppedFile = {
      name: 'huge.json',
      size: 50 * 2 ** 20,
      text: async () => {
        read = true;
        return '';
      },
    };
    expect(await errorOf([file('ok.json', JSON.stringify(s3)), huge])).toMatch(
      /^huge\.json: 50\.0 MB, over the 20 MB limit/,
    );
    expect(read).toBe(false);
  });

  test('hostile structure is refused or stripped, never followed', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(await errorOf([file('deep.json', deep)])).toMatch(/^deep\.json( \[0\])?(: not JSON| is not a run record)/);
    const proto = JSON.stringify(s3).replace(
      '{',
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    const read = await readDropped([file('proto.json', proto)], s3Figure);
    expect(read.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(read.ok && Object.getPrototypeOf(read.records[0]!.record)).toBe(Object.prototype);
    // A control character in a file name cannot break the status line in two.
    expect(await errorOf([file('a\nb.json', '')])).toBe('a?b.json: the file is empty.');
  });
});

describe("a file the schema refuses: one plain sentence, not zod's words", () => {
  const issueOf = (data: unknown) => {
    const parsed = RunRecord.safeParse(data);
    if (parsed.success) throw new Error('expected the schema to refuse it');
    return parsed.error.issues[0]!;
  };
  const sentence = (data: unknown) => notARecord('mine.json', data, issueOf(data));
  const { scenario: _, ...noScenario } = s3;

  test('a missing field, a wrong type, a number too large, an unknown value, a date that is not one', () => {
    expect(sentence(noScenario)).toBe('mine.json is not a run record: field "scenario" is missing.');
    expect(sentence({ ...s3, runId: 42 })).toBe(
      'mine.json is not a run record: field "runId" should be text, not a whole number.',
    );
    expect(sentence({ ...s3, samples: [{ ...s3.samples[0]!, rss: 'lots' }, ...s3.samples.slice(1)] })).toBe(
      'mine.json is not a run record: field "samples[0].rss" should be a number, not text.',
    );
    expect(sentence({ ...s3, verdict: { ...s3.verdict, peakRssBytes: 1e308 } })).toMatch(
      /^mine\.json is not a run record: field "verdict\.peakRssBytes" is too large \(1e\+308\)\.$/,
    );
    expect(sentence({ ...s3, status: 'done' })).toMatch(
      /^mine\.json is not a run record: field "status" is "done", and a run record allows one of "complete", /,
    );
    expect(sentence({ ...s3, startedAt: 'yesterday' })).toMatch(
      /^mine\.json is not a run record: field "startedAt" is not a valid /,
    );
    expect(sentence({ ...s3, scenario: 'nope' })).toBe(
      'mine.json is not a run record: field "scenario" is "nope", which a run record does not allow there.',
    );
    expect(sentence([1])).toBe('mine.json is not a run record: it should be an object, not a list.');
    expect(sentence({ ...s3, samples: [{ ...s3.samples[0]!, rss: 0.5 }, ...s3.samples.slice(1)] })).toBe(
      'mine.json is not a run record: field "samples[0].rss" should be a whole number, not a fraction.',
    );
    const { schemaVersion: __, ...noVersion } = s3;
    expect(sentence(noVersion)).toBe('mine.json is not a run record: field "schemaVersion" is missing.');
    expect(sentence({ ...s3, runId: 'not an id' })).toBe(
      'mine.json is not a run record: field "runId" is not in the form a run record expects there.',
    );
  });

  test("no sentence carries zod's vocabulary, and each is one line", () => {
    for (const data of [
      noScenario,
      { ...s3, runId: 42 },
      { ...s3, status: 'done' },
      { ...s3, runtime: { ...s3.runtime, label: 'a\nb' } },
      'text',
      null,
    ]) {
      const line = sentence(data);
      expect(line).not.toMatch(/Invalid input|expected \w+, received|\n/);
      expect(line).toMatch(/^mine\.json is not a run record: .*\.$/);
    }
  });
});

describe('records that pass the schema and still lie, or carry terminal controls', () => {
  test('a build label with an escape sequence (an OSC 52 clipboard write) is refused, one line, naming the field', async () => {
    const osc52 = { ...s3, runtime: { ...s3.runtime, label: '1.3.14 (Zig)\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007' } };
    const error = await errorOf([file('label.json', JSON.stringify(osc52))]);
    expect(error).toBe(
      'label.json is not a run record: field "runtime.label" holds a control character or line break in one line of text.',
    );
  });

  test('a record whose summary its samples contradict is refused, one line: the field, the summary, the evidence', async () => {
    const empty = { ...s3, samples: [], outsideSamples: [] };
    expect(await errorOf([file('empty.json', JSON.stringify(empty))])).toBe(
      `empty.json: the summary disagrees with the record's own evidence: verdict.iteration is ${s3.verdict.iteration}, the samples give 0`,
    );
    const zeroed = { ...s3, samples: s3.samples.map((x) => ({ ...x, rss: 0 })) };
    expect(await errorOf([file('zeroed.json', JSON.stringify(zeroed))])).toBe(
      "zeroed.json: the summary disagrees with the record's own evidence: samples.0.rss is 0, which no running probe reports",
    );
    const sqlFigure = figureOf('sql-pool');
    const lying = structuredClone(sql);
    const trial = lying.trials.find((t) => t.repetitions.length > 0)!;
    trial.repetitions = [];
    expect(await errorOf([file('sql.json', JSON.stringify(lying))], sqlFigure)).toMatch(
      /^sql\.json: the summary disagrees with the record's own evidence: trials\.\d+\.verdict\.counts\.[a-z-]+ \([a-z-]+\/[a-z]+\) is \d+, its repetitions give 0$/,
    );
  });
});

describe('layers and compare', () => {
  const allRuns = records;
  for (const figure of figures.filter((f) => f.source !== 'matrix')) {
    test(`${figure.id}: the published run as "your run" draws the same rows on both layers, and is never compared with itself`, () => {
      const ref = figureData(figure, allRuns).records;
      const rows = overlayRows(figure, ref, ref);
      expect(rows.yours).toEqual(rows.published);
      expect(rows.frame).toHaveLength(rows.published.length * 2);
      // As the CLI: the reference is the newest other run of the scenario, or none.
      const own = new Set(ref.map((r) => r.runId));
      const others = allRuns.filter((r) => r.scenario === figure.scenario && !own.has(r.runId));
      const report = compareOverlay(
        figure,
        ref.map((record) => ({ file: 'mine.json', record })),
        allRuns.filter((r) => r.scenario === figure.scenario).map((record) => ({ file: 'published', record })),
      );
      expect(report.reference.map((r) => r.runId).filter((id) => own.has(id))).toEqual([]);
      if (others.length === 0) {
        // In the CLI's words: the table's reason, and the status line that carries it.
        expect(report.verdict).toBe('not-comparable');
        expect(new Set(report.rows.map((r) => r.rule))).toEqual(new Set([nothingToCompare(figure.scenario!, true)]));
        expect(compareStatus(ref.length, report)).toBe(
          `${ref.length} record${ref.length === 1 ? '' : 's'} of yours, drawn on the figure: not comparable, as a run is never compared with itself, and there is no other published ${figure.scenario} run to compare with.`,
        );
      } else expect(report.reference.map((r) => r.runId)).toEqual([latestRun(others, figure.scenario!)[0]!.runId]);
    });
  }

  test("version matrix: a published run takes its builds' cells, outlined, and is compared with each build's matrix record", () => {
    const matrixDir = new URL('../../../content/matrix/', import.meta.url);
    const all = readdirSync(matrixDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json') && f !== 'published.json')
      .map((f) => RunRecord.parse(JSON.parse(readFileSync(new URL(f, matrixDir), 'utf8'))));
    const drawn = figureData(matrix, all).records;
    const mine = latestRun(allRuns, 's3-leak');
    const rows = overlayRows(matrix, drawn, mine);
    // One outlined cell per record of yours: its build's s3 column.
    expect(rows.yours.map((r) => r.runId)).toEqual(mine.map((r) => r.runId));
    expect(rows.frame).toBe(rows.published);
    const report = compareOverlay(
      matrix,
      mine.map((record) => ({ file: 'mine.json', record })),
      drawn.map((record) => ({ file: 'matrix', record })),
    );
    expect(report.rows.length).toBeGreaterThan(0);
    for (const row of report.rows) expect(row.scenario).toBe('s3-leak');
    // A build the matrix lacks says so.
    const unknown = {
      ...mine[0]!,
      runtime: { ...mine[0]!.runtime, revision: '9.9.9+0000000', source: 'npm:bun@9.9.9' },
    } as RunRecord;
    const lone = compareOverlay(
      matrix,
      [{ file: 'x.json', record: unknown }],
      drawn.map((record) => ({ file: 'matrix', record })),
    );
    expect(lone.rows.map((r) => [r.verdict, r.rule])).toEqual([
      ['not-comparable', 'the version matrix has no record of this build'],
    ]);
  });
});
