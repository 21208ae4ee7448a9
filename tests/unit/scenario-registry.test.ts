// The registries hold, by their types and by what they list: the harness's scenarios, the site's and
// the record union name the same scenarios (each registry is a Record over ScenarioName, so one left
// out does not compile), every scenario's failure has a column, a ledger row and a page, and a
// failure of the catalogue is found from its folder alone. (This replaced a scan of the code for
// scenario names, which missed names built from parts and files that were not code.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { ScenarioName } from '../../repro/core/record/schema.ts';
import { catalogue } from '../../repro/failures/index.ts';
import { failureFolders } from '../../repro/harness/failures.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import { loadScenario, scenarioNames as harnessNames } from '../../repro/harness/scenarios.ts';
import { figureIds } from '../../src/figures/registry.ts';
import { failureFigureId } from '../../src/figures/failure-figure.ts';
import { FIGURE_PAGES, failurePath } from '../../src/lib/figure-home.ts';
import { FAILURES } from '../../src/lib/version-matrix.ts';
import { scenarioNames as siteNames, scenarios } from '../../src/scenarios/registry.ts';

test('the harness, the site and the record union name the same scenarios', () => {
  expect([...harnessNames].sort()).toEqual([...ScenarioName.options].sort());
  expect([...siteNames].sort()).toEqual([...ScenarioName.options].sort());
});

test("every scenario's folder on both sides is a registered scenario, and every registered one has its folders", () => {
  const folders = (dir: string) =>
    readdirSync(fromRoot(dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  expect(folders('repro/scenarios')).toEqual([...ScenarioName.options].sort());
  expect(folders('src/scenarios')).toEqual([...ScenarioName.options].sort());
});

test('the catalogue: the harness and the site find the same failure folders, and the catalogue scenario offers each as a quick protocol', async () => {
  expect(catalogue.map((f) => f.id)).toEqual(failureFolders());
  expect(catalogue.length).toBeGreaterThan(0);
  const scenario = await loadScenario('catalogue');
  expect(scenario.quick.map((p) => p.name)).toEqual(failureFolders());
  expect(scenarios.find((s) => s.name === 'catalogue')!.failures.map((f) => f.id)).toEqual(failureFolders());
});

test('every failure, of a deep scenario or of the catalogue, has one matrix column, one figure and one page', () => {
  const ids = FAILURES.map((f) => f.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const f of FAILURES) {
    expect(figureIds).toContain(failureFigureId(f.id));
    expect(FIGURE_PAGES.find((p) => p.path === failurePath(f.id))?.figures).toEqual([failureFigureId(f.id)]);
  }
});

test('the shared core imports nothing of Node and nothing of the harness or the site', () => {
  // The core, and the scenarios' record schemas that its union is assembled from (repro/core/record/schema.ts).
  const core = fromRoot('repro', 'core');
  const schemas = readdirSync(fromRoot('repro', 'scenarios')).map((name) =>
    fromRoot('repro', 'scenarios', name, 'record.ts'),
  );
  const files = [
    ...readdirSync(core, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(core, f)),
    ...schemas,
  ];
  expect(files.length).toBeGreaterThan(14);
  const imports = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:^import|^export)[^;]*?from\s+'([^']+)'|import\('([^']+)'\)/gm)].map(
      (m) => ({ file, spec: (m[1] ?? m[2])! }),
    ),
  );
  expect(imports.length).toBeGreaterThan(10);
  const outside = imports.filter(({ file, spec }) => {
    if (spec.startsWith('node:')) return true;
    if (!spec.startsWith('.')) return false; // a package: zod, d3-array
    const target = path.resolve(path.dirname(file), spec);
    return !target.startsWith(core + path.sep) && !schemas.includes(target);
  });
  expect(outside).toEqual([]);
});
