// Run under the Bun build being measured (oven-sh/bun#34053). Writes a project of CASEBOOK_MODULES
// generated TypeScript modules and one entry point that imports them all, as the issue's own script
// does (a large graph: a small one plateaus and hides the leak, says the report), then bundles it
// CASEBOOK_BUILDS times in this process with Bun.build, each followed by a full collection, and prints
// the anonymous resident memory after each build (/proc/self/status RssAnon) with the JS heap's size
// at the start and the end, so that the growth can be seen to be native. The first CASEBOOK_WARMUP
// builds are the allocator's and the caches' warm-up; the verdict reads the builds after them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

declare const Bun: {
  gc(force: boolean): void;
  build(options: { entrypoints: string[] }): Promise<{ success: boolean; outputs: { size: number }[] }>;
};

const modules = Number(process.env.CASEBOOK_MODULES);
const builds = Number(process.env.CASEBOOK_BUILDS);
const warmup = Number(process.env.CASEBOOK_WARMUP);
const MiB = 2 ** 20;
const anonMiB = () => (Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024) / MiB;
const round = (x: number) => Math.round(x * 100) / 100;

const src = path.join(process.env.CASEBOOK_WORK_DIR ?? process.cwd(), 'src');
mkdirSync(src, { recursive: true });
for (let i = 0; i < modules; i++) {
  const body = Array.from({ length: 20 }, (_, k) => `  x = (x + ${k}) * 1.0001;`).join('\n');
  writeFileSync(
    path.join(src, `m${i}.ts`),
    `export const v${i} = (x: number): number => {\n${body}\n  return x + ${i};\n};\n`,
  );
}
const imports = Array.from({ length: modules }, (_, i) => `import { v${i} } from "./m${i}";`).join('\n');
writeFileSync(
  path.join(src, 'entry.ts'),
  `${imports}\nexport const all = [${Array.from({ length: modules }, (_, i) => `v${i}`).join(', ')}];\n`,
);

Bun.gc(true);
const startAnonMiB = round(anonMiB());
const startHeapMiB = round(process.memoryUsage().heapUsed / MiB);
const anonAfterBuild: number[] = [];
let outputBytes = 0;
let failed = 0;
const started = performance.now();
for (let b = 0; b < builds; b++) {
  const result = await Bun.build({ entrypoints: [path.join(src, 'entry.ts')] });
  if (!result.success) failed++;
  outputBytes = result.outputs[0]?.size ?? 0;
  Bun.gc(true);
  anonAfterBuild.push(round(anonMiB()));
}
const buildMs = Math.round(performance.now() - started);
console.log(
  JSON.stringify({
    ev: 'result',
    modules,
    builds: anonAfterBuild.length,
    warmup,
    failed,
    outputBytes,
    buildMs,
    startAnonMiB,
    startHeapMiB,
    endHeapMiB: round(process.memoryUsage().heapUsed / MiB),
    anonAfterBuild,
  }),
);
