// Run under the Bun build being measured (oven-sh/bun#41459). Makes CASEBOOK_MEMORIES one-page
// WebAssembly memories and drops them, with a full collection every CASEBOOK_GC_EVERY; prints its
// anonymous resident memory before and after, as the kernel counts it (/proc/self/status RssAnon).
import { readFileSync } from 'node:fs';

declare const Bun: { gc(force: boolean): void };

const memories = Number(process.env.CASEBOOK_MEMORIES);
const gcEvery = Number(process.env.CASEBOOK_GC_EVERY);
const anonBytes = () => Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

Bun.gc(true);
const baselineAnonBytes = anonBytes();
for (let i = 1; i <= memories; i++) {
  new WebAssembly.Memory({ initial: 1 });
  if (i % gcEvery === 0) Bun.gc(true);
}
Bun.gc(true);
console.log(JSON.stringify({ ev: 'result', memories, baselineAnonBytes, endAnonBytes: anonBytes() }));
