// The scenario registry holds: a scenario's name is spelled in its own folders (the harness's
// repro/scenarios/<name>/, the site's src/scenarios/<name>/), the two registries and the record
// schema, and nowhere else in the code, so adding a scenario touches its folders, one line in each
// registry and the schema's union. Articles, content, tests and docs may name it freely (they are
// not scanned). On the code before the registry this failed: stats, verdicts, bundles, provenance,
// the version matrix, the compare rules and the pages all branched on the names.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ScenarioName } from '../../repro/harness/record/schema.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'repro'];

/** Places outside a scenario's folders that may name it, and why. */
const ALLOWED: { place: string; why: string }[] = [
  { place: 'repro/harness/scenarios.ts', why: "the harness's registry" },
  { place: 'src/scenarios/registry.ts', why: "the site's registry" },
  { place: 'repro/harness/record/schema.ts', why: 'the record union, one record schema per scenario' },
  { place: 'repro/bundles/', why: 'generated per bundle by npm run bundles:lock' },
  { place: 'repro/harness/bench/outside-sampling.ts', why: "a benchmark of the s3-leak probe's sampler, not part of any bundle" },
  // Known debt: the live page (--live, --replay) draws each scenario's event stream with its own code;
  // a scenario without it gets the page without a chart. It should move behind the registries.
  { place: 'repro/harness/live/', why: 'the live page: each scenario’s event stream (known debt)' },
  { place: 'src/live/', why: 'the live page’s script: each scenario’s figures (known debt)' },
];

function files(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(path.join(root, rel)).isDirectory() ? files(rel) : [rel];
  });
}

const own = (name: string, file: string) => file.startsWith(`repro/scenarios/${name}/`) || file.startsWith(`src/scenarios/${name}/`);
const allowed = (file: string) => ALLOWED.some((a) => (a.place.endsWith('/') ? file.startsWith(a.place) : file === a.place));
const mentions = (name: string, text: string) => new RegExp(`(?<![\\w-])${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text);

const sources = SCANNED.flatMap(files).filter((f) => /\.(ts|astro|mjs|js|json|mdx?)$/.test(f));
const text = new Map(sources.map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));

test.each(ScenarioName.options)('%s is named only in its folders, the registries and the schema', (name) => {
  const where = sources.filter((f) => mentions(name, text.get(f)!));
  // Not vacuous: the scan sees the scenario where it must be.
  expect(where.some((f) => own(name, f))).toBe(true);
  expect(where).toEqual(expect.arrayContaining(['repro/harness/scenarios.ts', 'src/scenarios/registry.ts', 'repro/harness/record/schema.ts']));
  expect(where.filter((f) => !own(name, f) && !allowed(f))).toEqual([]);
});
