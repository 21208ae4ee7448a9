// What the provenance panel and the JSON download say about where a figure's data came from.
import type { RunRecord } from '../../repro/harness/record/schema.ts';
import { siteScenario } from '../scenarios/registry.ts';

export interface Provenance {
  runId: string;
  builds: { label: string; revision: string; sha256: string; source: string }[];
  host: string;
  harness: string;
  startedAt: string;
  endedAt: string;
  /** The measurements of every build, summed, as each scenario counts them (samples, repetitions). */
  sampleCount: number;
  commands: string[];
  /** What the harness redacted from the commands (secrets never reach a record). */
  redacted: string[];
  /** complete, or why the data is partial. */
  status: 'complete' | 'interrupted' | 'partial';
}

export function sampleCount(r: RunRecord): number {
  return siteScenario(r.scenario).sampleCount(r);
}

/** Provenance of one run (records of one runId); undefined when there is no run. */
export function provenanceOf(records: readonly RunRecord[]): Provenance | undefined {
  const first = records[0];
  if (!first) return undefined;
  const h = first.host;
  const mem = (h.totalMemoryBytes / 2 ** 30).toFixed(1);
  const cgroup = h.cgroupMemoryLimitBytes === null ? 'no cgroup memory limit' : `cgroup limit ${(h.cgroupMemoryLimitBytes / 2 ** 20).toFixed(0)} MiB`;
  const { version, commit, dirty } = first.harness;
  return {
    runId: first.runId,
    builds: records.map((r) => ({ label: r.runtime.label, revision: r.runtime.revision, sha256: r.runtime.sha256, source: r.runtime.source })),
    host: `${h.os}, kernel ${h.kernel}, ${h.arch}, ${h.cpuModel} (${h.cores} cores), ${mem} GiB RAM, ${cgroup}`,
    harness: `harness ${version}, ${commit ? `commit ${commit}${dirty ? ' with uncommitted changes' : ''}` : 'outside a git checkout'}`,
    startedAt: records.map((r) => r.startedAt).sort()[0]!,
    endedAt: records.map((r) => r.endedAt).sort().at(-1)!,
    sampleCount: records.reduce((n, r) => n + sampleCount(r), 0),
    commands: [...new Set(records.map((r) => r.command))],
    redacted: [...new Set(records.flatMap((r) => r.redacted))],
    status: records.find((r) => r.status !== 'complete')?.status ?? 'complete',
  };
}
