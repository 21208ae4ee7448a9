// Exploration driver for the s3-upload probe (not wired into the harness registry): runs the probe
// once per (build, payload size, method, repetition), each in a fresh process so that memory an
// earlier upload left with the allocator cannot hide a later one's growth. Samples the probe from
// outside too (/proc/PID/status, the harness's sampler), enforces a watchdog (wall time and RSS), and
// writes every run as JSON.
//
// Usage (Node 24): node repro/scenarios/s3-upload/explore.ts --bun 1.4.5 --bun 1.3.14 \
//   --sizes 64,256 --reps 3 [--methods s3-write,fetch-presigned] [--out file.json] [--write-options '{"partSize":5242880}']
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBuilds, type Build } from '../../harness/builds.ts';
import { forEachLine, hermeticEnv, spawnTracked, stopAll } from '../../harness/processes.ts';
import { startOutsideSampler } from '../../harness/sampler.ts';
import { openS3, parseS3Options } from '../../harness/services/s3.ts';
import { makeTempDir, removeTempDir } from '../../harness/temp.ts';
import { fromRoot } from '../../harness/paths.ts';
import { parseProbeLine, type ProbeLine, type UploadMethod } from './protocol.ts';

const PROBE = fromRoot('repro', 'scenarios', 's3-upload', 'probe.ts');
const MiB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    bun: { type: 'string', multiple: true, default: [] },
    sizes: { type: 'string', default: '64,256' },
    reps: { type: 'string', default: '3' },
    methods: { type: 'string', default: 's3-write,fetch-presigned' },
    out: { type: 'string' },
    'write-options': { type: 'string', default: '{}' },
    'sample-ms': { type: 'string', default: '20' },
    /** Bytes/s (MB = 10^6) the store accepts, summed over connections, as the issue's sink (50). 0: no limit. */
    'throttle-mbps': { type: 'string', default: '0' },
    /** Kill an upload when no byte has reached the store for this long (needs the proxy, so it is always used then). 0: off. */
    'stall-s': { type: 'string', default: '60' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const reps = Number(values.reps);
const methods = values.methods.split(',') as UploadMethod[];
const sampleMs = Number(values['sample-ms']);
const throttleMBps = Number(values['throttle-mbps']);
const stallMs = Number(values['stall-s']) * 1000;
/** When the proxy last forwarded a byte toward the store (performance.now()). */
let lastForwardedAt = performance.now();
let forwardedBytes = 0;

type Line<T extends ProbeLine['type']> = Extract<ProbeLine, { type: T }>;
export interface Run {
  /** Where the binary came from (npm:@oven/bun-linux-x64@<npm version>): canaries report another version. */
  source: string;
  version: string;
  revision: string;
  line: string;
  payloadMiB: number;
  method: UploadMethod;
  repetition: number;
  writeOptions: string;
  throttleMBps: number;
  /** How the process ended: 'completed', 'watchdog-time', 'watchdog-rss', 'exit' (died on its own). */
  outcome: 'completed' | 'watchdog-time' | 'watchdog-rss' | 'watchdog-stall' | 'exit';
  /** Whether Bun talked to the store through the harness's counting (and maybe throttling) proxy. */
  proxied: boolean;
  /** For watchdog-stall: MiB the store had been sent (all connections) when the stall was declared. */
  forwardedMiBAtStall: number | null;
  exit: { code: number | null; signal: string | null };
  start: Line<'upload-start'> | null;
  end: Line<'upload-end'> | null;
  afterGc: Line<'after-gc'> | null;
  verify: Line<'verify'> | null;
  /** Outside samples (harness clock) between the arrival of upload-start and of upload-end. */
  outside: { samples: number; peakVmRss: number | null; peakRssAnon: number | null };
  /** Rises above the upload-start baseline, MiB: inside peak, outside peak, kernel VmHWM, after GC. */
  rise: {
    peakVmRss: number | null;
    peakRssAnon: number | null;
    peakRssFile: number | null;
    outsidePeakVmRss: number | null;
    outsidePeakRssAnon: number | null;
    vmHwm: number | null;
    afterGcVmRss: number | null;
    afterGcRssAnon: number | null;
  };
  maxInsideMappedPayload: number;
  stderr: string;
}

type Store = Pick<Awaited<ReturnType<typeof openS3>>, 'endpoint' | 'bucket' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

/**
 * A TCP proxy in front of the store that forwards Bun's bytes (toward the store) at `bytesPerSecond`
 * in total, like the issue's sink that "drains at a fixed rate (so the uploader has to apply
 * backpressure)". It reads a connection only as fast as the budget allows, so the kernel's buffers
 * fill and Bun's writes stall; answers flow back untouched.
 */
async function startProxy(upstream: URL, bytesPerSecond: number): Promise<{ endpoint: string; close(): void }> {
  let nextFree = performance.now();
  const take = async (n: number) => {
    const now = performance.now();
    lastForwardedAt = now;
    forwardedBytes += n;
    if (!Number.isFinite(bytesPerSecond)) return;
    nextFree = Math.max(nextFree, now) + (n / bytesPerSecond) * 1000;
    const wait = nextFree - now - 20; // a 20 ms burst allowance
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
  const server = net.createServer((client) => {
    const up = net.connect({ host: upstream.hostname, port: Number(upstream.port), noDelay: true });
    client.setNoDelay(true);
    const fail = () => { client.destroy(); up.destroy(); };
    client.on('error', fail);
    up.on('error', fail);
    up.on('data', (chunk) => client.write(chunk));
    up.on('end', () => client.end());
    void (async () => {
      try {
        for await (const chunk of client as AsyncIterable<Buffer>) {
          await take(chunk.length);
          if (!up.write(chunk)) await once(up, 'drain');
        }
        up.end();
      } catch {
        fail();
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}

async function runOnce(build: Build, s3: Store, workDir: string, payloadMiB: number, method: UploadMethod, repetition: number): Promise<Run> {
  const env = hermeticEnv({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    PAYLOAD_MIB: String(payloadMiB),
    METHODS: method,
    REPETITIONS: '1',
    SAMPLE_INTERVAL_MS: '10',
    REQUEST_TIMEOUT_MS: String(timeLimitMs(payloadMiB)),
    WORK_DIR: workDir,
    S3_WRITE_OPTIONS: values['write-options'],
  });
  const probe = await spawnTracked(build.path, [PROBE], { env, cwd: fromRoot() });
  let outcome: Run['outcome'] = 'completed';
  let windowFrom: number | null = null, windowTo: number | null = null;
  let uploadStartedAt = Infinity;
  const rssLimit = payloadMiB * 4 * MiB + 2048 * MiB;
  let forwardedMiBAtStall: number | null = null;
  const sampler = startOutsideSampler(probe.pid, sampleMs, (sample) => {
    if (sample.vmRss >= rssLimit && outcome === 'completed') {
      outcome = 'watchdog-rss';
      probe.signal('SIGKILL');
    }
    // A stall: an upload is under way and nothing has reached the store for stallMs.
    const uploading = windowFrom !== null && windowTo === null;
    if (throttle && stallMs > 0 && uploading && outcome === 'completed' && performance.now() - Math.max(lastForwardedAt, uploadStartedAt) > stallMs) {
      outcome = 'watchdog-stall';
      forwardedMiBAtStall = round(forwardedBytes / MiB);
      probe.signal('SIGKILL');
    }
  });
  // Generous: the upload's own timeout (in the probe) is the same, plus payload writing and read-back.
  const deadline = setTimeout(() => {
    if (outcome === 'completed') outcome = 'watchdog-time';
    probe.signal('SIGKILL');
  }, timeLimitMs(payloadMiB) + 60_000);
  let start: Run['start'] = null, end: Run['end'] = null, afterGc: Run['afterGc'] = null, verify: Run['verify'] = null;
  let mapped = 0;
  let ended = false;
  const stdoutDone = forEachLine(probe.child.stdout!, (text) => {
    const line = parseProbeLine(text);
    if (!line) return;
    if (line.type === 'upload-start') { start = line; windowFrom = sampler.elapsedMs(); uploadStartedAt = performance.now(); forwardedBytes = 0; }
    else if (line.type === 'upload-end') { end = line; windowTo = sampler.elapsedMs(); }
    else if (line.type === 'after-gc') afterGc = line;
    else if (line.type === 'verify') verify = line;
    else if (line.type === 'sample') mapped = Math.max(mapped, line.mappedPayload);
    else if (line.type === 'end') ended = true;
  });
  const exit = await probe.exited;
  await stdoutDone;
  clearTimeout(deadline);
  sampler.stop();
  if (outcome === 'completed' && !ended) outcome = 'exit';
  const inWindow = sampler.samples.filter((s) => windowFrom !== null && s.elapsedMs >= windowFrom && (windowTo === null || s.elapsedMs <= windowTo));
  const outsidePeakVmRss = inWindow.length ? Math.max(...inWindow.map((s) => s.vmRss)) : null;
  const outsidePeakRssAnon = inWindow.length ? Math.max(...inWindow.map((s) => s.rssAnon)) : null;
  const s = start as Run['start'], e = end as Run['end'], g = afterGc as Run['afterGc'];
  const rise = (value: number | null | undefined, base: number | undefined) => (value == null || base === undefined ? null : round((value - base) / MiB));
  return {
    source: build.runtime.source,
    version: build.runtime.version,
    revision: build.runtime.revision,
    line: build.runtime.line,
    payloadMiB,
    method,
    repetition,
    writeOptions: values['write-options'],
    throttleMBps,
    outcome,
    proxied: throttle !== null,
    forwardedMiBAtStall,
    exit: { code: exit.code, signal: exit.signal },
    start: s,
    end: e,
    afterGc: g,
    verify,
    outside: { samples: inWindow.length, peakVmRss: outsidePeakVmRss, peakRssAnon: outsidePeakRssAnon },
    rise: {
      peakVmRss: rise(e?.peakVmRss, s?.vmRss),
      peakRssAnon: rise(e?.peakRssAnon, s?.rssAnon),
      peakRssFile: rise(e?.peakRssFile, s?.rssFile),
      outsidePeakVmRss: rise(outsidePeakVmRss, s?.vmRss),
      outsidePeakRssAnon: rise(outsidePeakRssAnon, s?.rssAnon),
      vmHwm: s?.peakReset ? rise(e?.vmHwm, s?.vmRss) : null,
      afterGcVmRss: rise(g?.vmRss, s?.vmRss),
      afterGcRssAnon: rise(g?.rssAnon, s?.rssAnon),
    },
    maxInsideMappedPayload: mapped,
    stderr: probe.stderrTail().slice(-1000),
  };
}

/** The upload's time limit: 60 s plus 1 s per MiB (s3rver on a busy 2-core machine writes ~30–60 MiB/s). */
function timeLimitMs(payloadMiB: number): number {
  return 60_000 + payloadMiB * 1000;
}
const round = (x: number) => Math.round(x * 10) / 10;

const builds = await resolveBuilds(values.bun);
const store = await openS3(parseS3Options({}));
const throttle = throttleMBps > 0 || stallMs > 0 ? await startProxy(new URL(store.endpoint), throttleMBps > 0 ? throttleMBps * 1e6 : Infinity) : null;
const s3: Store = throttle ? { ...store, endpoint: throttle.endpoint } : store;
const workDir = await makeTempDir('s3-upload');
const runs: Run[] = [];
const out = values.out ?? path.join('/work/notes/s3-upload', `raw-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await mkdir(path.dirname(out), { recursive: true });
try {
  for (const build of builds) {
    for (const payloadMiB of sizes) {
      for (let repetition = 1; repetition <= reps; repetition++) {
        // Methods interleaved, so a drift in the machine's load hits both alike.
        for (const method of methods) {
          const run = await runOnce(build, s3, workDir, payloadMiB, method, repetition);
          runs.push(run);
          const r = run.rise;
          process.stdout.write(
            `${build.runtime.source.replace(/^npm:.*@/, '').padEnd(25)} ${build.runtime.line.padEnd(4)} ${String(payloadMiB).padStart(5)} MiB ${method.padEnd(15)} #${repetition} ${run.outcome.padEnd(9)} ` +
              `wall ${run.end ? (run.end.wallMs / 1000).toFixed(1) : '-'} s  peak +${r.peakVmRss} (anon +${r.peakRssAnon}, file +${r.peakRssFile}) ` +
              `out +${r.outsidePeakVmRss}/+${r.outsidePeakRssAnon}  hwm +${r.vmHwm}  gc +${r.afterGcVmRss}/+${r.afterGcRssAnon} MiB  ` +
              `intact ${run.verify?.intact ?? '-'} gap ${run.end?.maxSampleGapMs ?? '-'} ms map ${run.maxInsideMappedPayload}` +
              `${run.end?.error ? `  ERROR ${run.end.error}` : ''}${run.outcome !== 'completed' ? `  stderr: ${run.stderr.trim().split('\n').pop()}` : ''}\n`,
          );
          await writeFile(out, `${JSON.stringify({ sizes, reps, methods, runs }, null, 1)}\n`);
        }
      }
    }
  }
} finally {
  await writeFile(out, `${JSON.stringify({ sizes, reps, methods, runs }, null, 1)}\n`);
  throttle?.close();
  await store.stop();
  await removeTempDir(workDir);
  await stopAll();
  process.stdout.write(`wrote ${out}\n`);
  process.exit(0);
}
