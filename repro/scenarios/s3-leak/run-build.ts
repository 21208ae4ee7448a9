// One build of the s3-leak scenario: start the probe under that Bun, read its samples, sample it from
// outside, enforce the watchdog cap, and turn however it ended into a verdict.
import type { Build } from '../../harness/builds.ts';
import type { MemoryCap } from '../../harness/memory-cap.ts';
import { fromRoot } from '../../harness/paths.ts';
import { exitUnlessAborted, forEachLine, hermeticEnv, spawnTracked } from '../../harness/processes.ts';
import type { Check, OutsideSample, S3Sample, S3Verdict } from '../../core/record/schema.ts';
import { readProcMemory, startOutsideSampler } from '../../harness/sampler.ts';
import type { ProgressLine } from '../../harness/scenario.ts';
import { S3_REQUEST_TIMEOUT_MS, type S3Target } from '../../harness/services/s3.ts';
import { mib } from '../../core/table.ts';
import type { S3LeakOptions } from './parameters.ts';
import { parseProbeLine } from './protocol.ts';
import { project, type Projection } from './stopping-rule.ts';
import { decideVerdict, readsVerified, type ProbeOutcome } from './verdict.ts';

export const PROBE = fromRoot('repro', 'scenarios', 's3-leak', 'probe.ts');

export interface BuildRun {
  samples: S3Sample[];
  outsideSamples: OutsideSample[];
  baselineAtOutsideMs: number | null;
  checks: Check[];
  verdict: S3Verdict;
  interrupted: boolean;
  endedAt: Date;
}

export async function runBuild(
  build: Build,
  options: S3LeakOptions,
  s3: S3Target,
  cap: MemoryCap,
  signal: AbortSignal,
  progress: ProgressLine,
  /** Each probe sample as it arrives (the live page). */
  onSample?: (sample: S3Sample) => void,
): Promise<BuildRun> {
  const env = hermeticEnv({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    PAYLOAD_MIB: String(options.payloadMiB),
    TARGET_RSS_MIB: String(options.targetRssMiB),
    MAX_ITERATIONS: String(options.maxIterations),
    REQUEST_TIMEOUT_MS: String(S3_REQUEST_TIMEOUT_MS),
  });
  const [command, args] = cap.wrap(build.path, [PROBE]);
  const started = performance.now();
  const probe = await spawnTracked(command, args, { env, cwd: fromRoot() });

  const samples: S3Sample[] = [];
  let end: ProbeOutcome['end'] = null;
  let loopStartMs: number | null = null;
  let watchdogKilled = false;
  let projection: Projection | null = null;
  let strayOutput = '';

  const sampler = options.outsideSampling
    ? startOutsideSampler(probe.pid, options.outsideSampleIntervalMs, (sample) => {
        if (cap.watchdogBytes !== null && sample.vmRss >= cap.watchdogBytes && !watchdogKilled) {
          watchdogKilled = true;
          probe.signal('SIGKILL');
        }
      })
    : null;

  const target = `${options.targetRssMiB} MiB`;
  const stdoutDone = forEachLine(probe.child.stdout!, (line) => {
    const message = parseProbeLine(line);
    if (message?.type === 'sample') {
      if (message.iteration === 0) loopStartMs = sampler?.elapsedMs() ?? null;
      const anonRss = options.outsideSampling ? (readProcMemory(probe.pid)?.rssAnon ?? null) : null;
      const { type: _, ...sample } = message;
      // Microseconds are noise at this scale and would only bloat the record.
      samples.push({ ...sample, elapsedMs: Math.round(sample.elapsedMs * 100) / 100, anonRss });
      onSample?.(samples.at(-1)!);
      progress.update(`read ${message.iteration}  RSS ${mib(message.rss)} / ${target}`);
      // The quick protocol: every 16 reads (the fit is O(n)), ask whether the full protocol could still cross.
      if (options.stoppingRule && projection === null && message.iteration % 16 === 0) {
        const now = project(samples, options.targetRssMiB, options.maxIterations, options.stoppingRule);
        if (now?.bounded) {
          projection = now;
          void probe.stop();
        }
      }
    } else if (message?.type === 'end') {
      end = { reason: message.reason, iteration: message.iteration, verifiedReads: message.verifiedReads };
    } else if (!message) {
      strayOutput = `${strayOutput}${line}\n`.slice(-2048);
    }
  });

  const { exit, interrupted } = await exitUnlessAborted(probe, signal);
  await stdoutDone;
  sampler?.stop();
  const wallMs = performance.now() - started;

  const verdict = decideVerdict(
    samples,
    sampler?.samples ?? [],
    {
      end,
      exit,
      loopStartMs,
      watchdogKilled,
      interrupted,
      projection,
      errorText: `${strayOutput}${probe.stderrTail()}`,
      wallMs,
    },
    options,
  );
  progress.done(`${verdict.kind}: ${verdict.message}`);
  const checks = [readsVerified(samples, end, options.payloadMiB)];
  return {
    samples,
    outsideSamples: sampler?.samples ?? [],
    baselineAtOutsideMs: loopStartMs,
    checks,
    verdict,
    interrupted,
    endedAt: new Date(),
  };
}
