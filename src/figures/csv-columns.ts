// The columns of each figure's CSV download: the one definition from which the CSV header, its
// values (bytes converted to MiB) and the data dictionary beside it (/figures/<id>.csv-metadata.json,
// CSV on the Web) are all generated. Each column name carries its unit. A row field without a column
// here stops the build: a CSV column nobody has described is one a reviewer cannot read.
import { MiB } from '../lib/format.ts';
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

export const memory = (field: string, name: string, description: string): CsvColumn => ({
  field,
  name,
  datatype: 'number',
  unit: 'MiB',
  description: description + EXACT,
  convert: mib,
});

/** The build's name and revision, as every figure of one run has them. */
export const buildColumns: CsvColumn[] = [
  {
    field: 'build',
    name: 'build',
    datatype: 'string',
    description: 'The Bun build: version and implementation line, e.g. "1.3.14 (Zig)".',
  },
  {
    field: 'revision',
    name: 'revision',
    datatype: 'string',
    description: "The build's own revision string (bun --revision): version and commit.",
  },
];

export const count = (field: string, name: string, description: string): CsvColumn => ({
  field,
  name,
  datatype: 'integer',
  unit: 'repetitions',
  description,
});

export const ms = (field: string, name: string, description: string): CsvColumn => ({
  field,
  name,
  datatype: 'number',
  unit: 'ms',
  description,
});

export function csvColumns(figure: Pick<FigureModule<Row>, 'csvColumns'>): readonly CsvColumn[] {
  return figure.csvColumns;
}

/** The rows as the CSV has them: column names with units, values converted. */
export function csvRows(
  figure: Pick<FigureModule<Row>, 'id' | 'csvColumns'>,
  rows: readonly Row[],
): Record<string, Cell>[] {
  const columns = csvColumns(figure);
  const known = new Set(columns.map((c) => c.field));
  const undescribed = rows[0] ? Object.keys(rows[0]).filter((k) => !known.has(k)) : [];
  if (undescribed.length > 0) {
    throw new Error(
      `Figure ${figure.id}: row field(s) ${undescribed.join(', ')} have no CSV column; describe them in the figure module's csvColumns.`,
    );
  }
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((c) => [c.name, c.convert ? c.convert(row[c.field] ?? null) : (row[c.field] ?? null)]),
    ),
  );
}
