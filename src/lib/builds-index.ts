// The builds index (repro/core/builds-index.ts) from the matrix records: what /api/builds.json
// publishes and what `npm run affected:index` writes for the terminal lookup. A pure function of the
// records, the failures and npm's publication times, so both are the same bytes.
import type { BuildsIndex, BuildState } from '../../repro/core/builds-index.ts';
import type { PublishedBuilds } from '../../repro/core/published.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { failurePath } from './figure-home.ts';
import { ledger } from './ledger.ts';
import { FAILURES, npmVersionOf, versionMatrix, type ScenarioFailure } from './version-matrix.ts';
import { matrixRecordHref, matrixRecordId } from './version-matrix-page.ts';

const GITHUB = 'https://github.com/oven-sh/bun';

export function buildsIndex(
  records: readonly RunRecord[],
  published: PublishedBuilds | null,
  failures: readonly ScenarioFailure[] = FAILURES,
): BuildsIndex {
  const rows = versionMatrix(records, failures);
  const rowsLedger = new Map(ledger(rows, failures).map((l) => [l.failure, l]));
  const recordOf = new Map(records.map((r) => [`${r.runId}|${npmVersionOf(r)}`, r]));
  const publishedAt = new Map((published?.versions ?? []).map((v) => [v.version, v.published]));
  const newest = records.reduce<string | null>(
    (max, r) => (max === null || r.startedAt > max ? r.startedAt : max),
    null,
  );
  return {
    schema: 1,
    package: published?.package ?? '@oven/bun-linux-x64',
    records: { count: records.length, newest },
    failures: failures.map((f) => {
      const row = rowsLedger.get(f.id);
      return {
        id: f.id,
        title: f.title,
        short: f.heading.wide.replace(/\s*\n\s*/g, ' '),
        kind: f.kind,
        definition: f.definition,
        class: row?.class ?? null,
        firstAffected: row?.firstAffected ?? null,
        firstFixed: row?.firstFixed ?? null,
        regressions: row?.regressions ?? [],
        page: failurePath(f.id),
        issue: f.issue ? { number: f.issue.number, url: `${GITHUB}/issues/${f.issue.number}` } : null,
        fix: f.fix ? { pr: f.fix.pr, url: `${GITHUB}/pull/${f.fix.pr}`, status: f.fix.status } : null,
      };
    }),
    builds: rows.map((row) => ({
      npm: row.npmVersion,
      revision: row.revision,
      line: row.line,
      published: publishedAt.get(row.npmVersion) ?? null,
      states: Object.fromEntries(
        failures.map((f): [string, BuildState] => {
          const cell = row.cells[f.id]!;
          const record = cell.runId ? recordOf.get(`${cell.runId}|${row.npmVersion}`) : undefined;
          return [
            f.id,
            { status: cell.status, text: cell.text, record: record ? matrixRecordHref(matrixRecordId(record)) : null },
          ];
        }),
      ),
    })),
  };
}
