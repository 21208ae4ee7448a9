// A record's file name, apart from write.ts's file access: the site links matrix records by it in
// pure modules that the browser's "Compare with your run" bundles too.
//
// Every writer (the harness, `matrix -- ingest`, the bundles) takes its file names from here, and a
// record may come from anywhere (a CI artifact): the fields that make the name are allow-listed, so
// a name never holds a path separator, and no record can be written outside the folder asked for.
import { usageError } from '../errors.ts';

/** An npm or Bun version as a file name may carry it: `1.3.14`, `1.4.1-canary.1`, `1.3.14+0d9b296af`. */
const FILE_SAFE_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,99}$/;
/** The run id, as the schema has it (a UTC timestamp and a tag). */
const FILE_SAFE_RUN_ID = /^[0-9A-Za-z][0-9A-Za-z_-]{0,80}$/;
const FILE_SAFE_LINE = /^[a-z]{1,20}$/;

/** A catalogue failure's id (repro/core/failure.ts FAILURE_ID), as the name of a record of it carries it. */
const FILE_SAFE_FAILURE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * The file name of a record: sorts by time (the run id starts with a UTC timestamp) and names the
 * build, and for a catalogue record the failure, since every failure's records share one folder.
 */
export function recordFileName(r: {
  runId: string;
  runtime: { version: string; line: string };
  failure?: string;
}): string {
  // The value is not quoted back: it may be anything, of any length, control characters included.
  if (!FILE_SAFE_VERSION.test(r.runtime.version))
    throw usageError('runtime.version is not a version a file name can carry (letters, digits and . + _ - only)');
  if (!FILE_SAFE_RUN_ID.test(r.runId))
    throw usageError('runId is not a run id a file name can carry (letters, digits, _ and - only)');
  if (!FILE_SAFE_LINE.test(r.runtime.line)) throw usageError('runtime.line is not a line a file name can carry');
  if (r.failure !== undefined && !FILE_SAFE_FAILURE.test(r.failure))
    throw usageError('failure is not a failure id a file name can carry (lowercase words and hyphens)');
  return `${r.runId}_${r.failure === undefined ? '' : `${r.failure}_`}${r.runtime.version}-${r.runtime.line}.json`;
}
