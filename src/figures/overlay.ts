// "Compare with your run", the pure part: a reader's files to records (or one line saying why not),
// the rows each layer of the overlay draws, and the compare report, all with the harness's and the
// figures' own code. The browser side (reading files, drawing, the table) is src/client/overlay.ts.
// Nothing here trusts the files: sizes are checked before reading, the text goes through JSON.parse
// and the record schema, and every message is plain text that the page sets with textContent.
import type { core } from 'zod';
import { compareWith, evidenceError, summarize } from '../../repro/core/compare/compare.ts';
import { CONTROL_OR_BREAK } from '../../repro/core/control-characters.ts';
import type { CompareReport } from '../../repro/core/compare/report.ts';
import { notComparable } from '../../repro/core/compare/rules.ts';
import type { LoadedRecord } from '../../repro/core/record/parse.ts';
import { RunRecord, type ScenarioName } from '../../repro/core/record/schema.ts';
import { npmVersionOf } from '../lib/version-matrix.ts';
import { siteScenario } from '../scenarios/registry.ts';
import type { FigureModule, Row } from './types.ts';

/** The largest file read: a long S3 run's record is about 1 MB, so 20 MB leaves room and stops a tab-freezing read. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** At most this many files in one go: a matrix artifact of every build is about 50. */
const MAX_FILES = 100;

/** What the page hands over: a File satisfies it, and so does a test's stand-in. */
export interface DroppedFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

export type Dropped = { ok: true; records: LoadedRecord[] } | { ok: false; error: string };

const fail = (error: string): Dropped => ({ ok: false, error });

/**
 * The records in the reader's files, for this figure: every file a run record, an array of them, or
 * a figure's JSON download (its `records`), of the figure's scenario (any scenario for the version
 * matrix). The first problem found ends the reading, as one line.
 */
export async function readDropped(files: readonly DroppedFile[], figure: FigureModule<Row>): Promise<Dropped> {
  if (files.length === 0) return fail('No file was chosen.');
  if (files.length > MAX_FILES) return fail(`${files.length} files: at most ${MAX_FILES} at once.`);
  // Every size first, so a 50 MB file among small ones is refused before anything is read.
  const big = files.find((f) => f.size > MAX_FILE_BYTES);
  if (big)
    return fail(
      `${shown(big.name)}: ${(big.size / 2 ** 20).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 2 ** 20} MB limit for a record file; nothing was read.`,
    );
  const records: LoadedRecord[] = [];
  for (const file of files) {
    if (file.size === 0) return fail(`${shown(file.name)}: the file is empty.`);
    let text: string;
    try {
      text = await file.text();
    } catch {
      return fail(`${shown(file.name)}: the browser could not read the file.`);
    }
    const read = recordsIn(file.name, text, figure);
    if (!read.ok) return read;
    records.push(...read.records);
  }
  return { ok: true, records: distinct(records) };
}

/** One file's text: its records, or the line that says what is wrong with it. */
function recordsIn(name: string, text: string, figure: FigureModule<Row>): Dropped {
  const file = shown(name);
  if (text.trim() === '') return fail(`${file}: the file holds only blank space.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(jsonError(file, text, error));
  }
  const items = itemsOf(data);
  if (typeof items === 'string') return fail(`${file}: ${items}`);
  const records: LoadedRecord[] = [];
  for (const [i, item] of items.entries()) {
    const where = items.length > 1 || Array.isArray(data) ? `${file} [${i}]` : file;
    const parsed = RunRecord.safeParse(item);
    if (!parsed.success) return fail(notARecord(where, item, parsed.error.issues[0]!));
    const record = parsed.data;
    if (figure.source !== 'matrix' && record.scenario !== figure.scenario) {
      return fail(
        `${where}: a record of ${record.scenario}, and this figure draws runs of ${figure.scenario}; drop it on a figure of ${record.scenario}.`,
      );
    }
    // compare judges by the record's evidence; a summary its own evidence contradicts is refused here, as the CLI refuses it.
    const wrong = evidenceError(rulesOf(record.scenario), { file: where, record });
    if (wrong) return fail(oneLine(wrong));
    records.push({ file: name, record });
  }
  return { ok: true, records };
}

/**
 * A file the record schema refuses, in one plain sentence: the file, the first wrong field and what is
 * wrong with it, in words rather than zod's ("Invalid input: expected string, received undefined").
 * The CLI keeps zod's terms (parse.ts), which name the check for someone fixing the harness.
 */
export function notARecord(file: string, data: unknown, issue: core.$ZodIssue): string {
  const value = valueAt(data, issue.path);
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== 2) {
    return `${file} is a run record of schema ${version}, and this site reads schema 2: rerun it with the current harness.`;
  }
  return oneLine(
    `${file} is not a run record: ${issue.path.length === 0 ? 'it' : `field "${fieldName(issue.path)}"`} ${whatIsWrong(issue, value)}.`,
  );
}

function whatIsWrong(issue: core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is missing';
      return `should be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${kindOf(value)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? 'is too long'
        : issue.origin === 'array' || issue.origin === 'set'
          ? 'has too many items'
          : `is too large${typeof value === 'number' ? ` (${value})` : ''}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is empty' : 'is too short';
      if (issue.origin === 'array' || issue.origin === 'set')
        return Number(issue.minimum) <= 1 ? 'is an empty list' : 'has too few items';
      return `is too small${typeof value === 'number' ? ` (${value})` : ''}`;
    case 'invalid_value': {
      if (value === undefined) return 'is missing';
      const allowed = issue.values.map((v) => JSON.stringify(v));
      return `is ${shownValue(value)}, and a run record allows ${allowed.length === 1 ? `only ${allowed[0]}` : allowed.length <= 6 ? `one of ${allowed.join(', ')}` : `one of ${allowed.length} other values`}`;
    }
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'is not in the form a run record expects there'
        : `is not a valid ${FORMAT_WORDS[issue.format] ?? issue.format}`;
    case 'not_multiple_of':
      return `should be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} a run record does not have (${issue.keys
        .slice(0, 3)
        .map((k) => `"${k}"`)
        .join(', ')})`;
    case 'invalid_union':
      // A discriminated union (the scenario a record is of) names its key when the value there is wrong.
      if (value === undefined) return 'is missing';
      return value === null || typeof value !== 'object'
        ? `is ${shownValue(value)}, which a run record does not allow there`
        : 'matches none of the forms a run record allows there';
    case 'custom':
      // The schema's own refinements already speak plainly ("a control character or line break in one line of text").
      return `holds ${issue.message}`;
    default:
      return 'is not valid';
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  nan: 'a number',
};
const FORMAT_WORDS: Record<string, string> = {
  datetime: 'date and time (ISO 8601)',
  date: 'date',
  url: 'web address',
  uuid: 'identifier',
};

/** "samples[3].rss": a zod path as a reader reads a field's name. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number')
    return !Number.isFinite(value) ? 'an infinite one' : Number.isInteger(value) ? 'a whole number' : 'a fraction';
  if (typeof value === 'boolean') return 'true or false';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A value as a message quotes it: short, one line, control characters out. */
function shownValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' && value !== null
        ? kindOf(value)
        : String(value);
  const clean = text.replace(new RegExp(CONTROL_OR_BREAK.source, 'g'), '?');
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

/** The candidate records of a parsed file, or why it holds none. */
function itemsOf(data: unknown): unknown[] | string {
  if (Array.isArray(data)) return data.length > 0 ? data : 'an empty list, with no record in it.';
  if (data === null || typeof data !== 'object') return 'JSON, but not a run record (a record is an object).';
  const o = data as Record<string, unknown>;
  if (o.kind === 'casebook-compare')
    return 'a compare report, which holds no measurements; drop the record files it compared.';
  // A figure's JSON download carries the records behind it.
  if (Object.hasOwn(o, 'figure') && Array.isArray(o.records))
    return o.records.length > 0 ? o.records : 'a figure download with no record in it.';
  return [data];
}

/** JSON.parse's complaint, with a cut-short file named as such (the commonest accident). */
function jsonError(file: string, text: string, error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const at = /at position (\d+)/.exec(message);
  const truncated =
    /end of (JSON input|data)|Unterminated/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
  if (truncated) return `${file}: the JSON ends early; the file looks cut short (truncated).`;
  return `${file}: not JSON (${message.slice(0, 160)}).`;
}

/** The same record dropped twice (one file picked twice, or a record and a download holding it) counts once. */
function distinct(records: readonly LoadedRecord[]): LoadedRecord[] {
  const seen = new Set<string>();
  return records.filter(({ record: r }) => {
    const key = `${r.scenario}|${r.runId}|${r.runtime.revision}|${r.startedAt}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A file name as a message shows it: control characters out, at most 80 characters. */
function shown(name: string): string {
  const clean = name.replace(new RegExp(CONTROL_OR_BREAK.source, 'g'), '?');
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean || '(no name)';
}

/** One line: the page's status element shows a single line, whatever the message held. */
function oneLine(text: string): string {
  return text.replace(new RegExp(`(${CONTROL_OR_BREAK.source})+`, 'g'), ' ').trim();
}

// ---------------------------------------------------------------- layers

export interface OverlayRows {
  /** The published layer: the figure's own rows. */
  published: Row[];
  /** The reader's layer, drawn in the overlay colour on the same frame. */
  yours: Row[];
  /** Every row either layer draws: the frame (scales, size) both are drawn on. */
  frame: Row[];
}

/**
 * The rows of both layers, from the figure's own select. A run figure draws the published run and
 * the reader's side by side. The version matrix shows each build's newest record, so the reader's
 * records take their builds' cells (a build it lacks gets a row), and the reader's layer marks
 * those cells.
 */
export function overlayRows(
  figure: FigureModule<Row>,
  published: readonly RunRecord[],
  yours: readonly RunRecord[],
): OverlayRows {
  if (figure.source !== 'matrix') {
    const [mine, theirs] = [figure.select(yours), figure.select(published)];
    return { published: theirs, yours: mine, frame: [...theirs, ...mine] };
  }
  const cell = (r: RunRecord) => `${r.scenario}|${npmVersionOf(r)}`;
  const replaced = new Set(yours.map(cell));
  const merged = figure.select([...published.filter((r) => !replaced.has(cell(r))), ...yours]);
  const runIds = new Set(yours.map((r) => r.runId));
  return {
    published: merged,
    yours: merged.filter((r) => typeof r.runId === 'string' && runIds.has(r.runId)),
    frame: merged,
  };
}

// ---------------------------------------------------------------- compare

const rulesOf = (scenario: ScenarioName) => siteScenario(scenario).compareRules;
/** The report names the harness that wrote it; here it is the site's copy of compare, at no release. */
const HARNESS = { version: 'site', commit: null };

/**
 * The CLI's compare report. A run figure compares with its published run, as `npm run repro --
 * compare` does; the version matrix compares each of the reader's builds with that build's matrix
 * record (each matrix run is one build), and says so where the matrix has none.
 */
export function compareOverlay(
  figure: FigureModule<Row>,
  yours: readonly LoadedRecord[],
  published: readonly LoadedRecord[],
  now = new Date(),
): CompareReport {
  // compareWith leaves the reader's own run out of the reference, and says so, as the CLI does.
  if (figure.source !== 'matrix')
    return compareWith(rulesOf, { yours, reference: published, harness: HARNESS, now, leaveOutOwnRuns: true });
  const same = (a: RunRecord, b: RunRecord) => a.scenario === b.scenario && a.runtime.revision === b.runtime.revision;
  const reports = yours.map((mine): CompareReport => {
    const reference = published.filter((p) => same(p.record, mine.record));
    const report = compareWith(rulesOf, { yours: [mine], reference, harness: HARNESS, now, leaveOutOwnRuns: true });
    if (reference.length > 0) return report;
    const row = notComparable(
      mine.record,
      'build',
      'none',
      mine.record.runtime.revision,
      'the version matrix has no record of this build',
    );
    return { ...report, rows: [{ ...row, scenario: mine.record.scenario }] };
  });
  const rows = reports.flatMap((r) => r.rows);
  return {
    ...compareWith(rulesOf, { yours, reference: [], harness: HARNESS, now, leaveOutOwnRuns: true }),
    reference: reports.flatMap((r) => r.reference),
    rows,
    ...summarize(rows),
  };
}

/**
 * The status line once compared: how many records, and the verdict in the CLI's words ("not
 * comparable", with the table's reason when every row has the same one, as for the published run
 * itself: "a run is never compared with itself, …").
 */
export function compareStatus(count: number, report: Pick<CompareReport, 'verdict' | 'rows'>): string {
  const records = `${count} record${count === 1 ? '' : 's'} of yours, drawn on the figure`;
  if (report.verdict !== 'not-comparable') return `${records}: ${report.verdict}.`;
  const reasons = [...new Set(report.rows.map((r) => r.rule))];
  return `${records}: not comparable${reasons.length === 1 ? `, as ${reasons[0]}` : ''}.`;
}
