// The registry: scenario name → a loader for its module. Adding a scenario is one line here.
// Loading is lazy so that a downloaded bundle, which carries only its own scenario folder (and only
// that scenario's dependencies), still runs: the other scenarios are never imported.
import type { ScenarioName } from '../core/record/schema.ts';
import type { Scenario } from './scenario.ts';
import { HarnessError, oneLine, usageError } from '../core/errors.ts';
import { failureFolders } from './failures.ts';

// Each scenario is typed by its own options and record; the CLI only passes its parsed options back to
// the same scenario. Scenario's option- and record-taking members are methods, which TypeScript checks
// bivariantly, so each module fits the erased type as it is: keep them methods, and no cast is needed.
type AnyScenario = Scenario;

const loaders: Record<ScenarioName, () => Promise<AnyScenario>> = {
  's3-leak': async () => (await import('../scenarios/s3-leak/scenario.ts')).s3Leak,
  'sql-pool': async () => (await import('../scenarios/sql-pool/scenario.ts')).sqlPool,
  's3-upload': async () => (await import('../scenarios/s3-upload/scenario.ts')).s3Upload,
  catalogue: async () => (await import('../scenarios/catalogue/scenario.ts')).catalogueScenario(),
};

export const scenarioNames = Object.keys(loaders) as ScenarioName[];

/** The scenario's module, or a usage error naming the known ones. */
export async function loadScenario(name: string): Promise<AnyScenario> {
  if (!Object.hasOwn(loaders, name)) {
    const failures = failureFolders();
    const orFailure = failures.length > 0 ? ` or a failure of the catalogue: ${failures.join(', ')}` : '';
    throw usageError(`unknown scenario "${name}"; known scenarios: ${scenarioNames.join(', ')}${orFailure}`);
  }
  try {
    return await loaders[name as ScenarioName]();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // The scenario's own folder missing is a bundle of another scenario; anything else missing is an install's fault.
    if (!String((error as Error).message).includes(`/scenarios/${name}/`))
      throw new HarnessError(`${oneLine(error)} (run npm install)`);
    throw usageError(
      `scenario "${name}" is not part of this copy of the harness (a bundle carries only its own scenario)`,
    );
  }
}

/** The scenarios present in this copy, for the general help. */
export async function availableScenarios(): Promise<AnyScenario[]> {
  const loaded = await Promise.allSettled(scenarioNames.map((name) => loaders[name]()));
  return loaded.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}
