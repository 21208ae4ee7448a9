// A record's file name, apart from write.ts's file access: the site links matrix records by it in
// pure modules that the browser's "Compare with your run" bundles too.

/** The file name of a record: sorts by time (the run id starts with a UTC timestamp) and names the build. */
export function recordFileName(r: { runId: string; runtime: { version: string; line: string } }): string {
  return `${r.runId}_${r.runtime.version}-${r.runtime.line}.json`;
}
