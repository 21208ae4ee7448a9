// A bundle's package.json: the scenario's dependencies at exactly the versions the project's
// lockfile installed, so a reader runs what the records were made with.
import type { BundleScenario } from './scenarios.ts';

interface ProjectPackage {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}
interface ProjectLock {
  packages: Record<string, { version?: string }>;
}

/** What repro/core imports, which every bundle carries: the record schema's zod, the maths' d3-array. */
export const CORE_DEPENDENCIES = ['zod', 'd3-array'] as const;

export function bundlePackageJson(scenario: BundleScenario, project: ProjectPackage, lock: ProjectLock) {
  const declared = { ...project.devDependencies, ...project.dependencies };
  const dependencies: Record<string, string> = {};
  for (const name of new Set([...scenario.dependencies, ...CORE_DEPENDENCIES])) {
    const spec = declared[name];
    const installed = lock.packages[`node_modules/${name}`]?.version;
    if (!spec || !installed)
      throw new Error(
        `Bundle ${scenario.name}: "${name}" is not a dependency of the project (or not installed in its lockfile).`,
      );
    // Keep npm aliases (bun-zig → npm:bun@…), pinned to the installed version.
    dependencies[name] = spec.startsWith('npm:') ? `${spec.slice(0, spec.lastIndexOf('@'))}@${installed}` : installed;
  }
  return {
    name: `bun-casebook-${scenario.name}`,
    version: '1.0.0',
    private: true,
    type: 'module',
    description: `Reproduction bundle: ${scenario.title}. Runs against its Bun builds with one command.`,
    license: 'MIT',
    engines: project.engines ?? {},
    // The harness reads `casebook.scenario` when no scenario is named, so `npm run repro`,
    // `npm run repro -- --repetitions 3` and `npm run repro -- <scenario>` all run it.
    scripts: { repro: 'node repro/harness/cli.ts' },
    casebook: { scenario: scenario.name },
    dependencies,
    allowScripts: Object.fromEntries(scenario.allowScripts.map((p) => [p, true])),
  };
}
