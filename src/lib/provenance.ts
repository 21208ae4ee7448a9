// What the provenance panel and the JSON download say about where a figure's data came from: one
// run (its builds, host, harness and command), or for a figure of the version matrix, the many runs
// it was drawn from (how many, when, by which harness commits, and a link to each record).
import type { RunRecord } from '../../repro/core/record/schema.ts';
import type { FigureSource } from '../figures/types.ts';
import { matrixRecordHref, matrixRecordId } from './version-matrix-page.ts';
import { npmVersionOf } from './version-matrix.ts';
import { siteScenario } from '../scenarios/registry.ts';

interface Provenance {
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

function sampleCount(r: RunRecord): number {
  return siteScenario(r.scenario).sampleCount(r);
}

function hostOf({ host: h }: RunRecord): string {
  const mem = (h.totalMemoryBytes / 2 ** 30).toFixed(1);
  const cgroup =
    h.cgroupMemoryLimitBytes === null
      ? 'no cgroup memory limit'
      : `cgroup limit ${(h.cgroupMemoryLimitBytes / 2 ** 20).toFixed(0)} MiB`;
  return `${h.os}, kernel ${h.kernel}, ${h.arch}, ${h.cpuModel} (${h.cores} cores), ${mem} GiB RAM, ${cgroup}`;
}

function harnessOf({ harness: { version, commit, dirty } }: RunRecord): string {
  return `harness ${version}, ${commit ? `commit ${commit}${dirty ? ' with uncommitted changes' : ''}` : 'outside a git checkout'}`;
}

/** Provenance of one run (records of one runId); undefined when there is no run. */
function provenanceOf(records: readonly RunRecord[]): Provenance | undefined {
  const first = records[0];
  if (!first) return undefined;
  return {
    runId: first.runId,
    builds: records.map((r) => ({
      label: r.runtime.label,
      revision: r.runtime.revision,
      sha256: r.runtime.sha256,
      source: r.runtime.source,
    })),
    host: hostOf(first),
    harness: harnessOf(first),
    startedAt: records.map((r) => r.startedAt).sort()[0]!,
    endedAt: records
      .map((r) => r.endedAt)
      .sort()
      .at(-1)!,
    sampleCount: records.reduce((n, r) => n + sampleCount(r), 0),
    commands: [...new Set(records.map((r) => r.command))],
    redacted: [...new Set(records.flatMap((r) => r.redacted))],
    status: records.find((r) => r.status !== 'complete')?.status ?? 'complete',
  };
}

/** Provenance of the version matrix's records: many runs, one build each. */
export interface MatrixProvenance {
  kind: 'matrix';
  /** Distinct builds (npm labels), and the first and last in the records' order. */
  buildCount: number;
  firstBuild: string;
  lastBuild: string;
  /** Every host and harness the runs were recorded on, each once. */
  hosts: string[];
  harnesses: string[];
  startedAt: string;
  endedAt: string;
  /** Each record: its scenario, build, run id and where the site serves it. */
  records: { scenario: string; build: string; revision: string; runId: string; href: string }[];
}

/** Provenance of matrix records (as the figure draws them, in build order); undefined when there are none. */
export function matrixProvenanceOf(records: readonly RunRecord[]): MatrixProvenance | undefined {
  if (records.length === 0) return undefined;
  const builds = [...new Set(records.map(npmVersionOf))];
  const once = (f: (r: RunRecord) => string) => [...new Set(records.map(f))];
  return {
    kind: 'matrix',
    buildCount: builds.length,
    firstBuild: builds[0]!,
    lastBuild: builds.at(-1)!,
    hosts: once(hostOf),
    harnesses: once(harnessOf),
    startedAt: records.map((r) => r.startedAt).sort()[0]!,
    endedAt: records
      .map((r) => r.endedAt)
      .sort()
      .at(-1)!,
    records: records.map((r) => ({
      scenario: r.scenario,
      build: npmVersionOf(r),
      revision: r.runtime.revision,
      runId: r.runId,
      href: matrixRecordHref(matrixRecordId(r)),
    })),
  };
}

export type FigureProvenance = Provenance | MatrixProvenance;

/** The provenance of a figure's records, as its source has them. */
export function figureProvenance(source: FigureSource, records: readonly RunRecord[]): FigureProvenance | undefined {
  return source === 'matrix' ? matrixProvenanceOf(records) : provenanceOf(records);
}

/** How a download's source line names the data: "run <id>", or "64 version-matrix records". */
export function provenanceLabel(p: FigureProvenance): string {
  return 'kind' in p ? `${p.records.length} version-matrix records` : `run ${p.runId}`;
}
