// oven-sh/bun#41459: every `new WebAssembly.Memory` leaves native memory behind that no collection
// returns. The probe makes 20,000 one-page memories, collecting every 1,000, and the verdict is the
// rise of anonymous resident memory over its baseline once it is done.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const MiB = 2 ** 20;

export const failure = defineFailure({
  id: 'wasm-memory',
  title: 'WebAssembly.Memory is never freed',
  heading: { wide: 'WASM memory\nnever freed', narrow: 'WASM\nmemory' },
  kind: 'leak',
  summary:
    'Each WebAssembly.Memory a program creates and drops should be returned when the garbage collector runs. On affected builds ' +
    'about 4 KB of native memory stays behind for every one, so anything that instantiates WebAssembly modules repeatedly grows without bound.',
  issue: {
    number: 41459,
    title: 'WebAssembly.Memory leaks ~4 KB of RSS each, never reclaimed by GC',
    reported: '1.4.0, 1.4.2 and a 1.4.3 canary; 1.3.14 flat',
  },
  fix: { pr: 41512, status: 'open', note: 'proposed fix, open as last seen' },
  services: [],
  parameters: { memories: 20_000, gcEvery: 1_000 },
  timeoutMs: 60_000,
  repetitions: 1,
  measurement: z.object({
    memories: z.number().int().positive(),
    baselineAnonBytes: z.number().int().nonnegative(),
    endAnonBytes: z.number().int().nonnegative(),
  }),
  keyFigure: {
    label: 'RssAnon rise after the memories, collected',
    unit: 'MiB',
    threshold: 32,
    of: (m) => (m.endAnonBytes - m.baselineAnonBytes) / MiB,
  },
  verdict: {
    rule: 'affected when anonymous resident memory rises by 32 MiB or more over 20,000 one-page memories, collected every 1,000; not affected under 8 MiB',
    reason:
      'The report measured about 88 MB for 20,000 memories on affected builds, about 4.4 KB each. A build that frees them ends within a few MiB of its ' +
      'baseline. 32 MiB is well above that noise and well below the leak; a rise between 8 and 32 MiB is neither, and is called inconclusive.',
    decide: (m) => {
      const rise = (m.endAnonBytes - m.baselineAnonBytes) / MiB;
      return rise >= 32 ? 'affected' : rise < 8 ? 'not-affected' : 'inconclusive';
    },
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
