// The columns of each figure's CSV download: the one definition from which the CSV header, its
// values (bytes converted to MiB) and the data dictionary beside it (/figures/<id>.csv-metadata.json,
// CSV on the Web) are all generated. Each column name carries its unit. A row field without a column
// here stops the build: a CSV column nobody has described is one a reviewer cannot read.
import { MiB } from '../lib/format.ts';
import { FAILURES } from '../lib/version-matrix.ts';
import type { Cell, FigureModule, Row } from './types.ts';

export interface CsvColumn {
  /** The row field the value comes from. */
  field: string;
  /** The CSV header: snake_case, ending in its unit where it has one (_mib, _ms, _count). */
  name: string;
  /** CSV-W datatype. */
  datatype: 'string' | 'integer' | 'number' | 'boolean';
  /** Unit of the values, when they have one ("MiB", "ms", "repetitions"). */
  unit?: string;
  description: string;
  /** Converts the row's value (bytes → MiB); the value as it is when absent. */
  convert?: (value: Cell) => Cell;
}

/** Bytes to MiB at 0.0001 MiB (about 100 bytes), below the 4 KiB page an RSS reading moves by. */
const mib = (value: Cell): Cell => (typeof value === 'number' ? Math.round((value / MiB) * 1e4) / 1e4 : value);
const EXACT = ' Rounded to 0.0001 MiB; the exact byte counts are in the records of the JSON download.';

const memory = (field: string, name: string, description: string): CsvColumn => ({
  field,
  name,
  datatype: 'number',
  unit: 'MiB',
  description: description + EXACT,
  convert: mib,
});

const build: CsvColumn[] = [
  { field: 'build', name: 'build', datatype: 'string', description: 'The Bun build: version and implementation line, e.g. "1.3.14 (Zig)".' },
  { field: 'revision', name: 'revision', datatype: 'string', description: "The build's own revision string (bun --revision): version and commit." },
];

const s3Memory: CsvColumn[] = [
  build[0],
  { field: 'line', name: 'line', datatype: 'string', description: 'The implementation line of the build: zig or rust.' },
  build[1],
  {
    field: 'source',
    name: 'source',
    datatype: 'string',
    description:
      'Who took the sample. probe: the probe inside Bun, process.memoryUsage() right after a read and a forced GC (Bun.gc(true)). ' +
      'outside: the harness, reading VmRSS and RssAnon from /proc/<pid>/status at a fixed interval, usually in the middle of a read.',
  },
  {
    field: 'iteration',
    name: 'read',
    datatype: 'number',
    description:
      'The S3 read the sample follows; 0 is the baseline before the first read. Whole numbers for probe samples. An outside sample is ' +
      'taken by time, not after a read, so its position is estimated from its time between the probe samples around it and is ' +
      'fractional: 12.4 means 40 % of the way from the end of read 12 to the end of read 13.',
  },
  {
    field: 'elapsedMs',
    name: 'elapsed_ms',
    datatype: 'number',
    unit: 'ms',
    description: 'Time since the baseline sample, on the probe\'s clock (outside samples are put on that clock by the harness).',
  },
  memory('rss', 'rss_mib', 'Resident set size: process.memoryUsage().rss (probe) or VmRSS (outside).'),
  memory('heapUsed', 'heap_used_mib', 'process.memoryUsage().heapUsed, the JavaScript heap in use; empty for outside samples.'),
  memory('external', 'external_mib', 'process.memoryUsage().external, memory of objects outside the JS heap; empty for outside samples.'),
  memory('arrayBuffers', 'array_buffers_mib', 'process.memoryUsage().arrayBuffers; empty for outside samples.'),
  memory('anonRss', 'rss_anon_mib', 'RssAnon from /proc: anonymous resident memory; empty where /proc had none.'),
  memory('thresholdRss', 'rss_threshold_mib', "The run's RSS threshold (parameter targetRssMiB): a build that reaches it has leaked; repeated on every row."),
  memory('memoryCap', 'memory_cap_mib', 'The memory cap the run was held to (parameter memoryCapMiB); repeated on every row.'),
  memory('payloadBytes', 'payload_mib', 'Size of the S3 object each read fetches; repeated on every row.'),
  memory('recordedPeakRss', 'recorded_peak_rss_mib', "The build's peak RSS as the run recorded it (the higher of probe and outside samples during the reads); repeated on every row."),
];

const count = (field: string, name: string, description: string): CsvColumn => ({ field, name, datatype: 'integer', unit: 'repetitions', description });

const sqlVerdicts: CsvColumn[] = [
  { field: 'trial', name: 'trial', datatype: 'string', description: 'The trial id: fault/ordering, plus a variant such as /long (the long pause).' },
  { field: 'row', name: 'matrix_row', datatype: 'string', description: "The figure's row: the fault, plus the pause for a variant trial." },
  { field: 'fault', name: 'fault', datatype: 'string', description: 'The network fault applied while the process was paused (SIGSTOP).' },
  {
    field: 'ordering',
    name: 'ordering',
    datatype: 'string',
    description: 'When the first query ran. after: 1 s after the resume (SIGCONT); timer: from a timer armed before the pause.',
  },
  { field: 'pauseMs', name: 'pause_ms', datatype: 'integer', unit: 'ms', description: 'How long the process was paused.' },
  ...build,
  {
    field: 'verdict',
    name: 'verdict',
    datatype: 'string',
    description: 'The most frequent outcome over the counted repetitions (recovers, fails-fast, corrupted, hangs), or why there is none.',
  },
  count('recovers', 'recovers_count', 'Repetitions in which every operation after the resume succeeded.'),
  count('failsFast', 'fails_fast_count', 'Repetitions in which some operations failed without hanging and the pool healed.'),
  count('corrupted', 'corrupted_count', 'Repetitions in which the final transaction still failed.'),
  count('hangs', 'hangs_count', 'Repetitions in which an operation met its watchdog.'),
  count('counted', 'total_count', 'Repetitions counted, the sum of the four counts before: those whose condition held (the fault took effect).'),
  count('notMet', 'not_met_count', 'Attempts whose condition did not hold: not counted.'),
  { field: 'distribution', name: 'distribution', datatype: 'string', description: 'The counts as text, with Wilson 95 % intervals for the main outcome.' },
];

const ms = (field: string, name: string, description: string): CsvColumn => ({ field, name, datatype: 'number', unit: 'ms', description });

const sqlTimeline: CsvColumn[] = [
  ...build,
  { field: 'trial', name: 'trial', datatype: 'string', description: 'The trial id: fault/ordering.' },
  { field: 'repetition', name: 'repetition', datatype: 'integer', description: 'The repetition shown, counted from 1.' },
  { field: 'kind', name: 'kind', datatype: 'string', description: 'phase (the pause), operation (a query after the resume) or pool (an onconnect/onclose event).' },
  { field: 'what', name: 'what', datatype: 'string', description: 'The phase, the operation (first, second, concurrent, begin) or the pool event.' },
  { field: 'outcome', name: 'outcome', datatype: 'string', description: 'An operation\'s outcome: ok, error or hang (ended by the watchdog); empty otherwise.' },
  ms('startMs', 'start_ms', 'Start, in ms since the process was frozen (SIGSTOP), on the harness\'s clock.'),
  ms('endMs', 'end_ms', 'End of a phase or operation (for a hang, the watchdog), same clock; empty for an instant event.'),
  ms('latencyMs', 'latency_ms', "An operation's latency; empty for phases and events."),
  { field: 'code', name: 'error_code', datatype: 'string', description: 'The error code an operation failed with; empty otherwise.' },
];

const versionMatrix: CsvColumn[] = [
  { field: 'npmVersion', name: 'npm_label', datatype: 'string', description: 'The npm label the build was fetched by (@oven/bun-linux-x64), e.g. 1.3.14-canary.20260519.1.' },
  { field: 'revision', name: 'revision', datatype: 'string', description: 'What the binary reports of itself (bun --revision): version and commit; differs from the npm label for canaries.' },
  { field: 'line', name: 'line', datatype: 'string', description: 'The implementation line, read from the binary: zig, rust or unknown.' },
  { field: 'failure', name: 'failure', datatype: 'string', description: `The failure, by id: ${FAILURES.map((f) => `${f.id} (${f.title})`).join(', ')}.` },
  {
    field: 'status',
    name: 'status',
    datatype: 'string',
    description: 'affected, not-affected, inconclusive (the record has no decisive verdict) or not-run (no complete record of this build yet).',
  },
  { field: 'detail', name: 'detail', datatype: 'string', description: 'What the record says, with counts, e.g. "crossed 900 MiB at read 95" or "after: hangs 5/5 (57–100 %)".' },
  { field: 'runId', name: 'run_id', datatype: 'string', description: 'The run the cell was read from; empty where nothing is recorded.' },
  { field: 'record', name: 'record', datatype: 'string', description: "The record's address on the site, /matrix/<scenario>/<file>.json, as the harness wrote it; empty where nothing is recorded." },
];

export const CSV_COLUMNS: Readonly<Record<string, readonly CsvColumn[]>> = {
  's3-rss': s3Memory,
  's3-rss-first-reads': s3Memory,
  'sql-verdicts': sqlVerdicts,
  'sql-timeline': sqlTimeline,
  'version-matrix': versionMatrix,
};

export function csvColumns(figure: Pick<FigureModule<Row>, 'id'>): readonly CsvColumn[] {
  const columns = CSV_COLUMNS[figure.id];
  if (!columns) throw new Error(`Figure ${figure.id} has no CSV columns in src/figures/csv-columns.ts.`);
  return columns;
}

/** The rows as the CSV has them: column names with units, values converted. */
export function csvRows(figure: Pick<FigureModule<Row>, 'id'>, rows: readonly Row[]): Record<string, Cell>[] {
  const columns = csvColumns(figure);
  const known = new Set(columns.map((c) => c.field));
  const undescribed = rows[0] ? Object.keys(rows[0]).filter((k) => !known.has(k)) : [];
  if (undescribed.length > 0) {
    throw new Error(`Figure ${figure.id}: row field(s) ${undescribed.join(', ')} have no CSV column; describe them in src/figures/csv-columns.ts.`);
  }
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, c.convert ? c.convert(row[c.field] ?? null) : (row[c.field] ?? null)])));
}
