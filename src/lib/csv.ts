// RFC 4180 CSV: quote a field only when it needs it, CRLF line ends, header from the first row's keys.
// Cells are safe to open in a spreadsheet: a text cell that a spreadsheet would run as a formula is
// defused first (see defuseFormula).

type Cell = string | number | boolean | null | undefined;

/**
 * A spreadsheet runs a cell that begins with = + - or @ as a formula, and one that begins with a tab
 * or a carriage return can hide such a start. Text from a record (a build label, an error message)
 * must never run, so such text gets a leading ' (the OWASP rule for CSV injection), which makes a
 * spreadsheet show it as text. Only strings: a number such as -0.01 is data and stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function defuseFormula(value: Cell): Cell {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(defuseFormula(value));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly Record<string, Cell>[], columns?: readonly string[]): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const header = cols.map(field).join(',');
  const body = rows.map((row) => cols.map((c) => field(row[c])).join(','));
  return [header].concat(body).join('\r\n') + '\r\n';
}

/**
 * The inverse of toCsv for the cases it produces; used by tests to check downloads. A text cell
 * that toCsv defused comes back with its leading ', as a spreadsheet shows it: the quote cannot be
 * taken off again, since text may begin with ' of its own.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length > 0) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}
