// A record's text to a validated record, or one line naming the file and the first wrong field.
// Pure (read.ts does the file access), so the browser's "Compare with your run" gives the CLI's errors.
import { usageError } from '../errors.ts';
import { RunRecord } from './schema.ts';

/** Parses one record's text; the error names the file and the first field that is wrong. */
export function parseRecord(file: string, text: string): RunRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file}: not JSON (${whereJsonFails(text, error)})`);
  }
  return recordFrom(file, data);
}

/**
 * Where JSON.parse gave up, never what it read there: the file may be whatever a symlink points at
 * (/etc/shadow, a process's environment), and the line goes to a terminal or a CI log.
 */
function whereJsonFails(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+) \(line (\d+) column (\d+)\)/.exec(message);
  if (/end of JSON input|Unterminated/.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length))
    return 'cut short';
  return at ? `invalid at line ${at[2]}, column ${at[3]}` : 'an unexpected character';
}

/** Validates parsed JSON as one record, with parseRecord's error: the file, and the first field that is wrong. */
export function recordFrom(file: string, data: unknown): RunRecord {
  const parsed = RunRecord.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const version = (data as { schemaVersion?: unknown })?.schemaVersion;
    const hint =
      typeof version === 'number' && version !== 2 ? ` (a schema ${version} record; this harness reads schema 2)` : '';
    throw usageError(`${file}: not a run record${hint}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A record with the file it was read from, for messages that name it. */
export interface LoadedRecord {
  file: string;
  record: RunRecord;
}
