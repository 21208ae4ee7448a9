// The s3-upload scenario (oven-sh/bun#42722, fixed by #42731): Bun.write(s3.file(key), Bun.file(path))
// of a file of random bytes, against the fetch(presigned PUT) control with the same Bun.file, at two
// payload sizes, each upload in a fresh probe process sampled from outside. One record per build.
import { chooseMemoryCap } from '../../harness/memory-cap.ts';
import { recordBase } from '../../harness/provenance.ts';
import type { S3Upload, S3UploadRecord } from '../../core/record/schema.ts';
import type { Scenario } from '../../harness/scenario.ts';
import { openS3 } from '../../harness/services/s3.ts';
import { formatTable, seconds } from '../../core/table.ts';
import { makeTempDir, removeTempDir } from '../../harness/temp.ts';
import { uploadCompareRules } from './compare.ts';
import { RUNNING, s3UploadLive, type S3UploadLiveUpdate } from './live.ts';
import { DEFAULT_BUILDS, FLAGS, parseOptions, type S3UploadOptions } from './parameters.ts';
import { plan } from './plan.ts';
import { startCountingProxy } from './proxy.ts';
import { runUpload } from './run-upload.ts';
import { controlStreams, decideVerdict } from './verdict.ts';

const MiB = 2 ** 20;

export const s3Upload: Scenario<S3UploadOptions, S3UploadRecord, S3UploadLiveUpdate> = {
  name: 's3-upload',
  summary:
    'S3 upload memory (oven-sh/bun#42722): does Bun.write(s3file, Bun.file()) hold the payload in memory? fetch() as control',
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
  defaultBuilds: DEFAULT_BUILDS,
  quick: [
    {
      name: 'upload-rise',
      flags: ['--repetitions', '2', '--control-payload-mib', '64', '--control-repetitions', '1'],
      summary:
        '64 and 256 MiB, two s3-write uploads each and one fetch control at 64 MiB: affected builds rose ×1.71–1.78 at 256 MiB, unaffected ones at most ×0.43, ' +
        'every repetition on the same side (findings: 101 uploads on 11 builds), so two repetitions give the same class as three',
      root: false,
    },
  ],
  soak: {
    flags: ['--bun', '1.4.5', '--payload-mib', '8,16', '--repetitions', '1', '--control-payload-mib', 'none'],
    measuredLine: /[a-z-]+: /,
    journalsBetweenBuilds: true,
  },
  parseOptions,

  async run({ options, builds, provenance, signal, progress, notice, journal, live }) {
    const cap = await chooseMemoryCap(options.memoryCapMiB);
    notice(`memory cap: ${cap.kind} — ${cap.detail}`);
    const s3 = await openS3(options.s3);
    notice(
      `S3: ${s3.kind} at ${s3.endpoint}, bucket ${s3.bucket} (through a local byte-counting proxy, for the stall watchdog)`,
    );
    const records: S3UploadRecord[] = [];
    let proxy: Awaited<ReturnType<typeof startCountingProxy>> | null = null;
    let workDir: string | null = null;
    try {
      proxy = await startCountingProxy(new URL(s3.endpoint));
      workDir = await makeTempDir('s3-upload');
      const uploadsPlan = plan(options);
      for (const build of builds) {
        if (signal.aborted) break;
        const index = records.length;
        const line = progress(build);
        const started = performance.now();
        const uploads: S3Upload[] = [];
        const toRecord = (
          status: S3UploadRecord['status'],
          verdict: S3UploadRecord['verdict'],
          checks: S3UploadRecord['checks'],
        ): S3UploadRecord => ({
          ...recordBase(provenance, build.runtime, { endedAt: new Date(), status }),
          scenario: 's3-upload',
          parameters: {
            payloadMiB: options.payloadMiB,
            repetitions: options.repetitions,
            methods: options.controlPayloadMiB.length > 0 ? ['s3-write', 'fetch-presigned'] : ['s3-write'],
            controlPayloadMiB: options.controlPayloadMiB,
            controlRepetitions: options.controlRepetitions,
            memoryCapMiB: options.memoryCapMiB,
            memoryCap: { kind: cap.kind, detail: cap.detail },
            outsideSampleIntervalMs: options.outsideSampleIntervalMs,
            stallTimeoutMs: options.stallTimeoutMs,
            timeLimit: options.timeLimit,
            thresholds: options.thresholds,
            s3: { kind: s3.kind, endpoint: s3.endpoint, bucket: s3.bucket },
          },
          uploads,
          checks,
          verdict,
        });
        // The live page gets the build's record with no upload yet, then each upload as it finishes.
        live?.({ type: 'record', index, record: toRecord('partial', RUNNING, []) });
        for (const [i, request] of uploadsPlan.entries()) {
          if (signal.aborted) break;
          const probeStarted = performance.now();
          const upload: S3Upload = {
            ...(await runUpload({ build, ...request }, options, s3, proxy, workDir, cap, signal, (text) =>
              line.update(`[${i + 1}/${uploadsPlan.length}] ${text}`),
            )),
            probeMs: performance.now() - probeStarted,
          };
          uploads.push(upload);
          live?.({ type: 'update', index, payload: upload });
          const rise =
            upload.peakAnonRiseBytes === null ? '' : `, anon +${(upload.peakAnonRiseBytes / MiB).toFixed(0)} MiB`;
          line.update(
            `[${i + 1}/${uploadsPlan.length}] ${request.method} ${request.payloadMiB} MiB #${request.repetition}: ${upload.outcome}${rise}`,
          );
        }
        const interrupted = signal.aborted;
        const verdict = decideVerdict(uploads, options.payloadMiB, options.thresholds, performance.now() - started);
        const control = controlStreams(uploads, options.thresholds);
        line.done(`${verdict.kind}: ${verdict.message}`);
        const status = interrupted ? 'interrupted' : 'complete';
        records.push(
          toRecord(
            status,
            interrupted && verdict.kind !== 'interrupted'
              ? { ...verdict, kind: 'interrupted', message: `interrupted: ${verdict.message}`.slice(0, 2000) }
              : verdict,
            control ? [control] : [],
          ),
        );
        live?.({ type: 'record', index, record: records[index]! });
        if (!signal.aborted && records.length < builds.length)
          await journal(records.map((r) => ({ ...r, status: 'partial' as const })));
      }
    } finally {
      await proxy?.close();
      if (workDir) await removeTempDir(workDir);
      await s3.stop();
    }
    return records;
  },

  summaryTable(records) {
    const sizes = records[0]?.parameters.payloadMiB ?? [];
    const header = [
      'build',
      'verdict',
      ...sizes.map((m) => `s3-write ${m} MiB`),
      'slope',
      'fetch control',
      'uploads',
      'wall time',
    ];
    const rise = (b: number | null) => (b === null ? '–' : `${b < 0 ? '−' : '+'}${Math.abs(b / MiB).toFixed(0)}`);
    const rows = records.map(({ runtime, verdict, uploads }) => {
      const at = (m: number) => verdict.sizes.find((s) => s.method === 's3-write' && s.payloadMiB === m);
      const control = verdict.sizes.filter((s) => s.method === 'fetch-presigned' && s.counted > 0);
      const worstControl = control.length ? Math.max(...control.map((s) => s.maxRiseBytes!)) : null;
      return [
        runtime.label,
        verdict.kind === 'hangs' && verdict.memory ? `hangs (${verdict.memory})` : verdict.kind,
        ...sizes.map((m) => {
          const s = at(m);
          return s && s.counted > 0
            ? `${rise(s.medianRiseBytes)} MiB (×${(s.medianRiseBytes! / MiB / m).toFixed(2)})`
            : '–';
        }),
        verdict.slope === null ? '–' : verdict.slope.toFixed(2),
        worstControl === null ? '–' : `≤ ${rise(worstControl)} MiB`,
        Object.entries(verdict.counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') || `${uploads.length}`,
        seconds(verdict.wallMs),
      ];
    });
    return `${formatTable(header, rows)}\n(median peak RssAnon rise above the baseline, outside sampler; ×: over the payload; slope: MiB per MiB between the sizes)`;
  },

  failures(records) {
    return records.filter((r) => r.verdict.kind === 'error').map((r) => `${r.runtime.label}: ${r.verdict.message}`);
  },

  compareRules: uploadCompareRules,

  matrixLine(record) {
    const { kind, memory, ratio, slope } = record.verdict;
    const numbers =
      ratio === null
        ? ''
        : `, ×${ratio.toFixed(2)} at ${Math.max(...record.parameters.payloadMiB)} MiB, slope ${slope!.toFixed(2)}`;
    return kind === 'hangs' || kind === 'error'
      ? `${kind} (memory: ${memory ?? 'none counted'}${numbers})`
      : `${kind}${numbers}`;
  },

  live: s3UploadLive,
};
