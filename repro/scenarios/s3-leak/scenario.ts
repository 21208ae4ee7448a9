// The s3-leak scenario (oven-sh/bun#29083): repeated S3File.arrayBuffer() reads of one object, under
// each Bun build in turn, against an embedded s3rver or a real store. One record per build.
import { chooseMemoryCap, type MemoryCap } from '../../harness/memory-cap.ts';
import { recordBase } from '../../harness/provenance.ts';
import type { S3LeakRecord } from '../../core/record/schema.ts';
import type { Scenario } from '../../harness/scenario.ts';
import { openS3 } from '../../harness/services/s3.ts';
import { formatTable, mib, seconds } from '../../core/table.ts';
import { s3CompareRules } from './compare.ts';
import { s3LeakLive, type S3LeakLiveUpdate } from './live.ts';
import { FLAGS, parseOptions, type S3LeakOptions } from './parameters.ts';
import { runBuild, type BuildRun } from './run-build.ts';

export const s3Leak: Scenario<S3LeakOptions, S3LeakRecord, S3LeakLiveUpdate> = {
  name: 's3-leak',
  summary: 'S3File.arrayBuffer() RSS leak (oven-sh/bun#29083): repeated reads of one object until RSS crosses a target',
  flags: FLAGS,
  envInputs: [
    'S3_BUCKET',
    'AWS_REGION',
    'S3_REGION',
    'AWS_ACCESS_KEY_ID',
    'S3_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'S3_SECRET_ACCESS_KEY',
  ],
  quick: [
    {
      name: 'read-loop',
      flags: ['--quick'],
      summary:
        'a leaking build stops at the target; a bounded one by the stopping rule (stopping-rule.ts), at 256 reads or more',
      root: false,
    },
  ],
  soak: {
    flags: ['--max-iterations', '40'],
    // The build's last line: "<verdict>: <message>", after its record is journalled.
    measuredLine: /[a-z-]+: /,
    journalsBetweenBuilds: true,
  },
  parseOptions,

  async run({ options, builds, provenance, signal, progress, notice, journal, live }) {
    const cap = await capFor(options);
    notice(`memory cap: ${cap.kind} — ${cap.detail}`);
    const s3 = await openS3(options.s3);
    notice(`S3: ${s3.kind} at ${s3.endpoint}, bucket ${s3.bucket}`);
    const records: S3LeakRecord[] = [];
    try {
      for (const build of builds) {
        if (signal.aborted) break; // builds that never started get no record
        const index = records.length;
        const toRecord = (run: BuildRun, status: S3LeakRecord['status']): S3LeakRecord => ({
          ...recordBase(provenance, build.runtime, { endedAt: run.endedAt, status }),
          scenario: 's3-leak',
          parameters: {
            payloadMiB: options.payloadMiB,
            targetRssMiB: options.targetRssMiB,
            maxIterations: options.maxIterations,
            memoryCapMiB: options.memoryCapMiB,
            outsideSampleIntervalMs: options.outsideSampleIntervalMs,
            memoryCap: { kind: cap.kind, detail: cap.detail },
            ...(options.stoppingRule ? { stoppingRule: options.stoppingRule } : {}),
            s3: { kind: s3.kind, endpoint: s3.endpoint, bucket: s3.bucket },
          },
          samples: run.samples,
          outsideSamples: run.outsideSamples,
          baselineAtOutsideMs: run.baselineAtOutsideMs,
          checks: run.checks,
          verdict: run.verdict,
        });
        // The live page gets the build's record, empty, then each sample as the probe reports it.
        live?.({ type: 'record', index, record: toRecord(STARTING, 'partial') });
        const run = await runBuild(
          build,
          options,
          s3,
          cap,
          signal,
          progress(build),
          live && ((sample) => live({ type: 'update', index, payload: sample })),
        );
        records.push(toRecord(run, run.interrupted ? 'interrupted' : 'complete'));
        // Then the whole record: the outside samples and the verdict.
        live?.({ type: 'record', index, record: records[index]! });
        // Each finished build is saved at once: a crash during the next keeps it.
        if (!signal.aborted && records.length < builds.length)
          await journal(records.map((r) => ({ ...r, status: 'partial' as const })));
      }
    } finally {
      await s3.stop();
    }
    return records;
  },

  summaryTable(records) {
    const header = ['build', 'verdict', 'reads', 'baseline RSS', 'peak RSS', 'growth/read', 'wall time'];
    const rows = records.map(({ runtime, verdict }) => [
      runtime.label,
      verdict.kind,
      String(verdict.iteration),
      mib(verdict.baselineRssBytes),
      mib(verdict.peakRssBytes),
      `${verdict.growthMiBPerIteration.toFixed(2).replace(/^-0\.00$/, '0.00')} MiB`,
      seconds(verdict.wallMs),
    ]);
    return formatTable(header, rows);
  },

  failures(records) {
    return records.filter((r) => r.verdict.kind === 'error').map((r) => `${r.runtime.label}: ${r.verdict.message}`);
  },

  compareRules: s3CompareRules,

  matrixLine: (record) => `${record.verdict.kind}, read ${record.verdict.iteration}`,

  live: s3LeakLive,
};

/** A build that has not read yet: what the live page draws from until its first sample. */
const STARTING: BuildRun = {
  samples: [],
  outsideSamples: [],
  baselineAtOutsideMs: null,
  checks: [],
  verdict: {
    kind: 'interrupted',
    iteration: 0,
    baselineRssBytes: 0,
    peakRssBytes: 0,
    growthMiBPerIteration: 0,
    wallMs: 0,
    message: 'running',
  },
  interrupted: false,
  get endedAt() {
    return new Date();
  },
};

/** Without outside sampling there is no watchdog; say so rather than record a cap that did not hold. */
async function capFor(options: S3LeakOptions): Promise<MemoryCap> {
  const cap = await chooseMemoryCap(options.memoryCapMiB);
  if (cap.kind !== 'watchdog' || options.outsideSampling) return cap;
  return {
    ...cap,
    kind: 'none',
    detail: 'no memory cap: --no-outside-sampling turns the watchdog off',
    watchdogBytes: null,
  };
}
