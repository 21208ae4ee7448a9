// How much does the harness's outside sampling (reading /proc/PID/status every interval, plus once per
// probe sample) slow the probe down? Runs the s3-leak scenario with and without it, interleaved, and
// compares the probe's wall time and its own loop time. Records go to a temp folder and are discarded:
// this is a check of the harness, not a measurement for the site.
//
//   npm run bench:outside-sampling -- [--runs 3] [--max-iterations 512]
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromRoot } from '../paths.ts';
import { RunRecord, type S3LeakRecord } from '../../core/record/schema.ts';
import { formatTable } from '../../core/table.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'max-iterations': { type: 'string', default: '512' } },
});
const runs = Number(values.runs);
const maxIterations = values['max-iterations']!;
const builds = ['1.3.14', '1.4.5'];

interface Timing {
  wallMs: number;
  /** The probe's own clock from the baseline to its last sample: excludes process start-up. */
  loopMs: number;
  reads: number;
}

async function runOnce(build: string, sampling: boolean): Promise<Timing> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'repro-bench-'));
  try {
    const args = [
      fromRoot('repro', 'harness', 'cli.ts'),
      's3-leak',
      '--bun',
      build,
      '--max-iterations',
      maxIterations,
      '--out',
      out,
    ];
    if (!sampling) args.push('--no-outside-sampling');
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, args, { cwd: fromRoot() }, (error, _stdout, stderr) =>
        error ? reject(new Error(stderr)) : resolve(),
      ),
    );
    const [file] = await readdir(out);
    const record = RunRecord.parse(JSON.parse(await readFile(path.join(out, file!), 'utf8'))) as S3LeakRecord;
    return { wallMs: record.verdict.wallMs, loopMs: record.samples.at(-1)!.elapsedMs, reads: record.verdict.iteration };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rows: string[][] = [];
for (const build of builds) {
  const timings: Record<'on' | 'off', Timing[]> = { on: [], off: [] };
  // Interleaved, so that drift in the machine's load hits both arms alike.
  for (let i = 0; i < runs; i++) {
    timings.on.push(await runOnce(build, true));
    timings.off.push(await runOnce(build, false));
  }
  for (const arm of ['on', 'off'] as const) {
    const t = timings[arm];
    rows.push([
      build,
      arm === 'on' ? 'with outside sampling' : 'without',
      t.map((x) => x.reads).join('/'),
      t.map((x) => (x.wallMs / 1000).toFixed(2)).join(' '),
      (mean(t.map((x) => x.wallMs)) / 1000).toFixed(2),
      mean(t.map((x) => x.loopMs / x.reads)).toFixed(2),
    ]);
  }
  const overhead =
    mean(timings.on.map((x) => x.loopMs / x.reads)) / mean(timings.off.map((x) => x.loopMs / x.reads)) - 1;
  rows.push([build, `overhead per read: ${(overhead * 100).toFixed(1)} %`, '', '', '', '']);
}
console.log(formatTable(['build', 'arm', 'reads', 'wall s (each run)', 'mean wall s', 'ms per read'], rows));
