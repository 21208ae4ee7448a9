// One run of a failure's probe under one build: the probe (repro/failures/<id>/probe.ts) reads its
// parameters from CASEBOOK_<NAME> variables and the services' addresses, and prints one JSON line
// `{"ev":"result",...}` with what it measured. The harness samples its memory from outside, stops it
// at the failure's time limit, and records how it ended.
import type { FailureDefinition } from '../../core/failure.ts';
import type { CatalogueRun, Measurement } from '../../core/record/schema.ts';
import { Measurement as MeasurementSchema } from '../../core/record/schema.ts';
import type { Build } from '../../harness/builds.ts';
import { exitUnlessAborted, forEachLine, hermeticEnv, spawnTracked } from '../../harness/processes.ts';
import { startOutsideSampler } from '../../harness/sampler.ts';
import { FAILURES_DIR } from '../../harness/failures.ts';

/** How often the harness reads the probe's memory: often enough for a leak's curve, cheap for a hang. */
const SAMPLE_INTERVAL_MS = 100;

/** The probe's environment: its parameters as CASEBOOK_<NAME>, and where its services are. */
export function probeEnv(
  definition: FailureDefinition,
  services: Record<string, string>,
  workDir: string,
): Record<string, string> {
  const parameters = Object.fromEntries(
    Object.entries(definition.parameters).map(([k, v]) => [
      `CASEBOOK_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
      String(v),
    ]),
  );
  return { ...parameters, ...services, CASEBOOK_WORK_DIR: workDir };
}

export async function runProbe(
  definition: FailureDefinition,
  build: Build,
  index: number,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<CatalogueRun> {
  const started = performance.now();
  const probe = await spawnTracked(build.path, [`${FAILURES_DIR}/${definition.id}/probe.ts`], {
    env: hermeticEnv(env),
    cwd: env.CASEBOOK_WORK_DIR,
  });
  const sampler = startOutsideSampler(probe.pid, SAMPLE_INTERVAL_MS);
  let measurement: Measurement | null = null;
  let unreadable: string | null = null;
  void forEachLine(probe.child.stdout!, (line) => {
    let data: { ev?: unknown } | null = null;
    try {
      data = JSON.parse(line) as { ev?: unknown };
    } catch {
      return; // not a protocol line: a probe's own output is not evidence
    }
    if (data?.ev !== 'result') return;
    const { ev: _, ...rest } = data;
    const parsed = MeasurementSchema.safeParse(rest);
    if (parsed.success) measurement = parsed.data;
    else
      unreadable = `its result line does not fit a measurement (${parsed.error.issues[0]?.path.join('.') || 'top'}: ${parsed.error.issues[0]?.message})`;
  });
  const timer = setTimeout(() => void probe.stop(1000), definition.timeoutMs);
  const { exit, interrupted } = await exitUnlessAborted(probe, signal).finally(() => clearTimeout(timer));
  sampler.stop();
  const wallMs = Math.round(performance.now() - started);
  const timedOut = !interrupted && probe.stopping;
  const base = { index, exitCode: exit.code, signal: exit.signal, wallMs, outsideSamples: sampler.samples };
  if (interrupted) return { ...base, outcome: 'interrupted', measurement, message: 'interrupted' };
  if (timedOut)
    return {
      ...base,
      outcome: 'timeout',
      measurement,
      message: `no result within ${definition.timeoutMs} ms: stopped`,
    };
  if (measurement !== null && exit.code === 0) return { ...base, outcome: 'measured', measurement, message: null };
  if (unreadable !== null) return { ...base, outcome: 'error', measurement: null, message: unreadable };
  const died = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const tail = probe.stderrTail().trim().split('\n').at(-1)?.slice(0, 300) ?? '';
  return { ...base, outcome: 'crashed', measurement, message: `${died} before its result${tail ? `: ${tail}` : ''}` };
}
