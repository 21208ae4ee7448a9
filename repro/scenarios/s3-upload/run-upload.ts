// One upload of the s3-upload scenario, in a fresh probe process: start the probe under a build,
// sample it from outside, enforce the memory cap, the stall watchdog and the time limit, and turn
// however it ended into one S3Upload (outcome, rises above the baseline, checks).
import type { Build } from '../../harness/builds.ts';
import { errorLine } from '../../core/errors.ts';
import type { MemoryCap } from '../../harness/memory-cap.ts';
import { fromRoot } from '../../harness/paths.ts';
import { exitUnlessAborted, forEachLine, hermeticEnv, spawnTracked } from '../../harness/processes.ts';
import type { OutsideSample, S3Upload, S3UploadMethod } from '../../core/record/schema.ts';
import { startOutsideSampler } from '../../harness/sampler.ts';
import type { S3Target } from '../../harness/services/s3.ts';
import { probeDeadlineMs, timeLimitMs, type S3UploadOptions } from './parameters.ts';
import { parseProbeLine, type ProbeLine } from './protocol.ts';
import type { CountingProxy } from './proxy.ts';
import { objectIntact, payloadNotMapped, peakSeenOutside, type UploadObservation } from './verdict.ts';

const PROBE = fromRoot('repro', 'scenarios', 's3-upload', 'probe.ts');

type Line<T extends ProbeLine['type']> = Extract<ProbeLine, { type: T }>;

export interface UploadRequest {
  build: Build;
  method: S3UploadMethod;
  payloadMiB: number;
  repetition: number;
}

/** While it runs: what to show on the progress line. */
export type UploadProgress = (text: string) => void;

export async function runUpload(
  request: UploadRequest,
  options: S3UploadOptions,
  s3: S3Target,
  proxy: CountingProxy,
  workDir: string,
  cap: MemoryCap,
  signal: AbortSignal,
  progress: UploadProgress,
): Promise<S3Upload> {
  const { build, method, payloadMiB, repetition } = request;
  const limitMs = timeLimitMs(options, payloadMiB);
  const env = hermeticEnv({
    S3_ENDPOINT: proxy.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    PAYLOAD_MIB: String(payloadMiB),
    METHODS: method,
    REPETITIONS: '1',
    SAMPLE_INTERVAL_MS: '10',
    // The probe's own bound on each request: beyond the harness's time limit, so the harness decides.
    REQUEST_TIMEOUT_MS: String(limitMs + 30_000),
    WORK_DIR: workDir,
  });
  const [command, args] = cap.wrap(build.path, [PROBE]);
  const probe = await spawnTracked(command, args, { env, cwd: fromRoot() });

  let killedFor: 'cap' | 'stall' | 'time' | 'setup-time' | null = null;
  let windowFrom: number | null = null;
  let windowTo: number | null = null;
  let uploadStartedAt = 0;
  let forwardedAtKill = 0;
  let forwardedAtEnd = 0;
  const kill = (why: NonNullable<typeof killedFor>) => {
    if (killedFor !== null) return;
    killedFor = why;
    forwardedAtKill = proxy.forwardedBytes();
    probe.signal('SIGKILL');
  };
  const sampler = startOutsideSampler(probe.pid, options.outsideSampleIntervalMs, (sample) => {
    if (cap.watchdogBytes !== null && sample.vmRss >= cap.watchdogBytes) kill('cap');
    const uploading = windowFrom !== null && windowTo === null;
    if (!uploading) return;
    const now = performance.now();
    if (now - Math.max(proxy.lastForwardedAt(), uploadStartedAt) > options.stallTimeoutMs) kill('stall');
    else if (now - uploadStartedAt > limitMs) kill('time');
  });
  // Writing the payload and reading it back: bounded too.
  const setupDeadline = setTimeout(() => kill('setup-time'), probeDeadlineMs(options, payloadMiB));

  let start: Line<'upload-start'> | null = null;
  let end: Line<'upload-end'> | null = null;
  let afterGc: Line<'after-gc'> | null = null;
  let verify: Line<'verify'> | null = null;
  let ended = false;
  let mapped = 0;
  let stray = '';
  const stdoutDone = forEachLine(probe.child.stdout!, (text) => {
    const line = parseProbeLine(text);
    if (!line) stray = `${stray}${text}\n`.slice(-2048);
    else if (line.type === 'upload-start') {
      start = line;
      proxy.reset();
      uploadStartedAt = performance.now();
      windowFrom = sampler.elapsedMs();
      progress(`${method} ${payloadMiB} MiB #${repetition}: uploading`);
    } else if (line.type === 'sample') {
      mapped = Math.max(mapped, line.mappedPayload);
      if (line.elapsedMs % 1000 < 10)
        progress(
          `${method} ${payloadMiB} MiB #${repetition}: ${(line.elapsedMs / 1000).toFixed(0)} s, ${(proxy.forwardedBytes() / 2 ** 20).toFixed(0)} MiB sent`,
        );
    } else if (line.type === 'upload-end') {
      end = line;
      windowTo = sampler.elapsedMs();
      forwardedAtEnd = proxy.forwardedBytes();
    } else if (line.type === 'after-gc') afterGc = line;
    else if (line.type === 'verify') verify = line;
    else if (line.type === 'end') ended = true;
  });

  const { exit, interrupted } = await exitUnlessAborted(probe, signal);
  await stdoutDone;
  clearTimeout(setupDeadline);
  sampler.stop();

  // TypeScript cannot see the assignments in the callbacks above.
  const s = start as Line<'upload-start'> | null;
  const e = end as Line<'upload-end'> | null;
  const g = afterGc as Line<'after-gc'> | null;
  const v = verify as Line<'verify'> | null;
  const why = killedFor as typeof killedFor;

  const from = windowFrom as number | null;
  const to = (windowTo as number | null) ?? Infinity;
  const window: OutsideSample[] =
    from === null
      ? []
      : sampler.samples
          .filter((x) => x.elapsedMs >= from && x.elapsedMs <= to)
          .map((x) => ({ ...x, elapsedMs: x.elapsedMs - from }));
  let peakAnon: number | null = null;
  let peakVm: number | null = null;
  for (const x of window) {
    peakAnon = Math.max(peakAnon ?? 0, x.rssAnon);
    peakVm = Math.max(peakVm ?? 0, x.vmRss);
  }
  const rise = (value: number | null | undefined, base: number | undefined) =>
    value == null || base === undefined ? null : value - base;
  const observation: UploadObservation = {
    payloadMiB,
    intact: v ? v.intact : null,
    storedSize: v?.size ?? null,
    readBackError: v?.error ?? null,
    mappedPayload: mapped,
    peakRssFileRiseBytes: rise(e?.peakRssFile, s?.rssFile),
    peakVmRssRiseBytes: rise(peakVm, s?.vmRss),
    vmHwmRiseBytes: s?.peakReset && e ? e.vmHwm - s.vmRss : null,
  };

  const stderr = `${stray}${probe.stderrTail()}`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  let outcome: S3Upload['outcome'];
  let message: string | undefined;
  const checks = [];
  if (interrupted) {
    outcome = 'interrupted';
    message = 'interrupted (Ctrl-C)';
  } else if (why === 'cap' || (why === null && !ended && exit.signal === 'SIGKILL' && cap.watchdogBytes === null)) {
    outcome = 'oom-killed';
    message = `killed at the ${options.memoryCapMiB} MiB memory cap (${why === 'cap' ? 'harness watchdog' : 'kernel'}) ${e ? 'after' : 'during'} the upload`;
  } else if (why === 'stall') {
    outcome = 'hangs';
    message = `no byte reached the store for ${options.stallTimeoutMs / 1000} s (${mib(forwardedAtKill)} sent); killed`;
  } else if (why === 'time') {
    outcome = 'hangs';
    message = `no end within ${limitMs / 1000} s (${mib(forwardedAtKill)} sent, still sending); killed`;
  } else if (why === 'setup-time') {
    outcome = 'error';
    message = `the probe did not finish ${s ? 'reading the object back' : 'writing the payload'} in time; killed`;
  } else if (!e) {
    outcome = 'error';
    message = `probe ${exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`} before the upload ended: ${errorLine(stderr)}`;
  } else if (!e.ok) {
    outcome = 'error';
    message = `the upload rejected: ${e.error ?? 'no reason given'}`;
  } else {
    const intact = objectIntact(observation);
    checks.push(intact);
    if (!intact.met) {
      outcome = 'error';
      message = intact.observed;
    } else if (!ended || exit.code !== 0) {
      outcome = 'error';
      message = `probe ${exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`} without its end line: ${errorLine(stderr)}`;
    } else {
      checks.push(payloadNotMapped(observation, options.thresholds), peakSeenOutside(observation));
      const unmet = checks.filter((c) => !c.met);
      outcome = unmet.length === 0 ? 'completed' : 'not-counted';
      if (unmet.length > 0) message = `not counted: ${unmet.map((c) => `${c.name} (${c.observed})`).join('; ')}`;
    }
  }
  return {
    method,
    payloadMiB,
    repetition,
    outcome,
    wallMs: e ? e.wallMs : null,
    baseline: s ? { vmRss: s.vmRss, rssAnon: s.rssAnon, rssFile: s.rssFile } : null,
    peakAnonRiseBytes: rise(peakAnon, s?.rssAnon),
    peakVmRssRiseBytes: observation.peakVmRssRiseBytes,
    insidePeakAnonRiseBytes: rise(e?.peakRssAnon, s?.rssAnon),
    vmHwmRiseBytes: observation.vmHwmRiseBytes,
    peakRssFileRiseBytes: observation.peakRssFileRiseBytes,
    afterGcAnonRiseBytes: rise(g?.rssAnon, s?.rssAnon),
    mappedPayload: mapped,
    maxSampleGapMs: e ? e.maxSampleGapMs : null,
    forwardedBytes: why && !e ? forwardedAtKill : forwardedAtEnd,
    outsideSamples: window,
    checks,
    ...(message ? { message: message.slice(0, 2000) } : {}),
  };
}
