// Packs a scenario's reproduction bundle from the working tree: harness, scenarios, the bundle's
// pre-generated package.json and lockfile, README and LICENSE, as a .tar.gz and a .zip with the
// same entries under one top folder. Deterministic, so checksums only change with the content.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ScenarioName, type RunRecord } from '../../repro/core/record/schema.ts';
import { recordFileName } from '../../repro/core/record/file-name.ts';
import { formatJson } from '../../repro/harness/record/write.ts';
import { latestRun } from '../lib/runs.ts';
import { measurementOf } from './measurements.ts';
import { bundleNeeds, type BundleNeeds } from './needs.ts';
import { bundleReadme } from './readme.ts';
import { bundleScenario, bundleScenarios } from './scenarios.ts';
import { tarGz, type ArchiveEntry } from './tar.ts';
import { zip } from './zip.ts';

interface BundleFile {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

export interface Bundle {
  scenario: string;
  tarGz: BundleFile;
  zip: BundleFile;
  entries: string[];
  needs: BundleNeeds;
}

function walk(root: string, dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(path.join(root, rel)).isDirectory() ? walk(root, rel) : [rel];
  });
}

function file(name: string, bytes: Uint8Array): BundleFile {
  return { name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function bundleEntries(
  scenario: string,
  root: string,
  records: readonly RunRecord[],
  siteUrl: string,
  needs: BundleNeeds,
): ArchiveEntry[] {
  const s = bundleScenario(scenario);
  const top = `bun-casebook-${s.name}`;
  const read = (rel: string) => readFileSync(path.join(root, rel));
  // The shared core, the harness and this scenario: the registry loads scenarios lazily, so the
  // others are not needed, but for their record schemas, from which the core's union is assembled.
  const recordSchemas = ScenarioName.options.filter((n) => n !== s.name).map((n) => `repro/scenarios/${n}/record.ts`);
  // The builds index too: `npm run repro -- affected` answers from it, offline, in every bundle.
  const sources = [
    ...walk(root, 'repro/core'),
    ...walk(root, 'repro/harness'),
    ...walk(root, `repro/scenarios/${s.name}`),
    ...recordSchemas,
    'repro/affected/builds.json',
  ].filter((p) => !p.includes('/bench/'));
  return [
    ...sources.map((p) => ({ path: `${top}/${p}`, data: read(p) })),
    { path: `${top}/package.json`, data: read(`repro/bundles/${s.name}/package.json`) },
    { path: `${top}/package-lock.json`, data: read(`repro/bundles/${s.name}/package-lock.json`) },
    { path: `${top}/LICENSE`, data: read('LICENSE') },
    { path: `${top}/README.md`, data: Buffer.from(bundleReadme(s, records, siteUrl, needs)) },
    // The published run, which `--compare` compares with: each record as the harness wrote it.
    ...latestRun(records, s.name)
      .filter((r) => r.status === 'complete')
      .map((r) => ({
        path: `${top}/reference/${s.name}/${recordFileName(r)}`,
        data: Buffer.from(`${formatJson(r)}\n`),
      })),
  ];
}

export function packBundle(scenario: string, root: string, records: readonly RunRecord[], siteUrl: string): Bundle {
  const needs = bundleNeeds(bundleScenario(scenario), records, measurementOf(root, scenario));
  const entries = bundleEntries(scenario, root, records, siteUrl, needs);
  return {
    needs,
    scenario,
    tarGz: file(`${scenario}.tar.gz`, tarGz(entries)),
    zip: file(`${scenario}.zip`, zip(entries)),
    entries: entries.map((e) => e.path).sort(),
  };
}

const cache = new Map<string, Bundle>();

/** Every bundle, packed once per build (the endpoints and the <Bundle> component share them). */
export function allBundles(records: readonly RunRecord[], siteUrl: string, root = process.cwd()): Bundle[] {
  return bundleScenarios.map((s) => {
    const key = `${root}|${s.name}`;
    if (!cache.has(key)) cache.set(key, packBundle(s.name, root, records, siteUrl));
    return cache.get(key)!;
  });
}

/** `sha256sum -c` format: "<hex>  <name>". */
export function sha256sums(bundles: readonly Bundle[]): string {
  return bundles
    .flatMap((b) => [b.tarGz, b.zip])
    .map((f) => `${f.sha256}  ${f.name}\n`)
    .join('');
}
