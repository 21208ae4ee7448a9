// The evidence that each scenario's quick protocol (what the version matrix runs) gives the full
// protocol's answer: the matrix records of the builds the published run measured, compared with that
// run by the same rules as any rerun (repro/harness/compare). Pure; the methodology renders it.
import { compareWith } from '../../repro/core/compare/compare.ts';
import { siteScenario } from '../scenarios/registry.ts';
import type { CompareReport } from '../../repro/core/compare/report.ts';
import type { RunRecord } from '../../repro/core/record/schema.ts';

export function quickVersusFull(
  matrix: readonly { id: string; record: RunRecord }[],
  published: readonly RunRecord[],
): CompareReport | null {
  const revisions = new Set(
    published.filter((r) => r.status === 'complete').map((r) => `${r.scenario}|${r.runtime.revision}`),
  );
  // The newest complete matrix record of each published build, scenario and quick protocol (a
  // scenario can have several, each its own run: the flags of its command tell them apart).
  const newest = new Map<string, { id: string; record: RunRecord }>();
  for (const m of matrix) {
    const build = `${m.record.scenario}|${m.record.runtime.revision}`;
    const key = `${build}|${protocolFlags(m.record.command)}`;
    if (m.record.status !== 'complete' || !revisions.has(build)) continue;
    if (!newest.has(key) || newest.get(key)!.record.startedAt < m.record.startedAt) newest.set(key, m);
  }
  if (newest.size === 0) return null;
  return compareWith((name) => siteScenario(name).compareRules, {
    yours: [...newest.values()].map((m) => ({ file: `content/matrix/${m.id}.json`, record: m.record })),
    reference: published.map((record) => ({ file: `content/runs/${record.scenario}`, record })),
    harness: { version: 'site', commit: null },
    now: new Date(0),
  });
}

/** A matrix run's protocol: its command's flags without the build and the output folder, which every run of the matrix varies. */
function protocolFlags(command: string): string {
  return command
    .replace(/^.*?npm run repro -- \S+/, '')
    .replace(/\s--(bun|out)\s+\S+/g, '')
    .trim();
}
