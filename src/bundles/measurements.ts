// What running each bundle took, as `npm run bundles:measure` measured it: a built bundle unpacked
// into an empty folder, installed, then its quick look and its whole run, each timed on the wall
// clock, with the host, its load and the commit. The site and the bundle READMEs state these figures
// and no others; the schema is defined here once, for the script that writes the file and the build
// that reads it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ScenarioName } from '../../repro/core/record/schema.ts';

export const MEASUREMENTS_FILE = 'content/bundles/measurements.json';

const LoadAverage = z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]);

/** One command, as a reader types it in the unpacked bundle, and what it did. */
export const TimedCommand = z.object({
  command: z.string().min(1),
  wallMs: z.number().nonnegative(),
  exitCode: z.number().int(),
  /** The compare verdict line it ended with (`REPRODUCED: …`), when it printed one. */
  verdictLine: z.string().nullable(),
  startedAt: z.iso.datetime(),
  /** os.loadavg() just before it started: the machine may be shared. */
  loadAverage: LoadAverage,
});
export type TimedCommand = z.infer<typeof TimedCommand>;

export const BundleMeasurement = z.object({
  scenario: ScenarioName,
  /** SHA-256 of the .tar.gz that was unpacked (its README then held the previous measurement). */
  tarGzSha256: z.string().regex(/^[0-9a-f]{64}$/),
  install: TimedCommand.extend({
    /** `du -sk` of the whole unpacked bundle after the install, in bytes: what the reader's disk loses. */
    bytesOnDisk: z.number().int().positive(),
  }),
  quick: TimedCommand,
  /** The whole run; null when it was not measured (then `fullNotMeasured` says why). */
  full: TimedCommand.nullable(),
  fullNotMeasured: z.string().nullable(),
  host: z.object({
    os: z.string(),
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    totalMemoryBytes: z.number().int().positive(),
  }),
  npm: z.string(),
  node: z.string(),
  commit: z.string().nullable(),
  dirty: z.boolean(),
});
export type BundleMeasurement = z.infer<typeof BundleMeasurement>;

export const BundleMeasurements = z.object({ schemaVersion: z.literal(1), bundles: z.array(BundleMeasurement) });
export type BundleMeasurements = z.infer<typeof BundleMeasurements>;

export function readMeasurements(root: string): BundleMeasurements {
  const file = path.join(root, MEASUREMENTS_FILE);
  if (!existsSync(file)) return { schemaVersion: 1, bundles: [] };
  const parsed = BundleMeasurements.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${MEASUREMENTS_FILE}: not a valid measurement file (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); rewrite it with npm run bundles:measure`,
    );
  return parsed.data;
}

export function measurementOf(root: string, scenario: string): BundleMeasurement | undefined {
  return readMeasurements(root).bundles.find((b) => b.scenario === scenario);
}

/** "16.5 s", "2 min 41 s", "1 h 9 min": a wall time as a reader reads it. */
export function formatWall(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.round((whole % 3600) / 60)} min`;
}

/** "on a 2-core host (load 5.1) on 2026-12-06": where and when a command was timed. */
export function measuredWhere(m: BundleMeasurement, c: TimedCommand): string {
  return `on a ${m.host.cores}-core host (load average ${c.loadAverage[0].toFixed(1)}) on ${c.startedAt.slice(0, 10)}`;
}
