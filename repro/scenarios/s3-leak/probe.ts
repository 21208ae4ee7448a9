// https://github.com/oven-sh/bun/issues/29083 — S3File.arrayBuffer() keeps RSS until OOM despite Bun.gc(true).
//
// The probe of the s3-leak scenario, run by each Bun build under test (never by Node). It follows the
// original repro.ts: write one PAYLOAD_MIB object, then loop arrayBuffer() → size check → Bun.gc(true)
// → memory sample, until RSS reaches TARGET_RSS_MIB or MAX_ITERATIONS reads are done.
// Output: one JSON object per line on stdout ({"type":"start"|"sample"|"end", …}); the harness parses it.
// Self-contained on purpose: it must run the same under every Bun build, with no dependencies.
export {};

/** The part of Bun's API the probe uses, typed here because the project type-checks under Node. */
interface BunApi {
  S3Client: new (
    options: Record<string, string>,
  ) => {
    file(key: string): {
      write(data: Uint8Array): Promise<number>;
      arrayBuffer(): Promise<ArrayBuffer>;
      delete(): Promise<void>;
    };
  };
  gc(force: boolean): void;
  revision: string;
  version: string;
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`probe: ${name} is not set`);
  return value;
};
const MiB = 1024 * 1024;
const payloadBytes = Math.round(Number(env('PAYLOAD_MIB')) * MiB);
const targetRssBytes = Number(env('TARGET_RSS_MIB')) * MiB;
const maxIterations = Number(env('MAX_ITERATIONS'));
const requestTimeoutMs = Number(env('REQUEST_TIMEOUT_MS'));

/** A store that stops answering must end the run with a reason, not stall it: every request is bounded. */
function bounded<T>(what: string, request: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`probe: S3 ${what} got no answer within ${requestTimeoutMs / 1000} s`)),
      requestTimeoutMs,
    );
  });
  return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
}

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sample = (iteration: number, started: number) => {
  const m = process.memoryUsage();
  emit({
    type: 'sample',
    iteration,
    elapsedMs: performance.now() - started,
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  });
  return m.rss;
};

const client = new Bun.S3Client({
  endpoint: env('S3_ENDPOINT'),
  bucket: env('S3_BUCKET'),
  region: env('S3_REGION'),
  accessKeyId: env('S3_ACCESS_KEY_ID'),
  secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
});
const key = `bun-oom-repro/s3-arraybuffer-${Date.now()}-${process.pid}.bin`;
const file = client.file(key);

// The same bytes as the original repro: i & 0xff.
const payload = new Uint8Array(payloadBytes);
for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
await bounded('write', file.write(payload));

emit({ type: 'start', revision: Bun.revision, version: Bun.version, pid: process.pid, key, payloadBytes });
Bun.gc(true);
const started = performance.now();
sample(0, started); // the baseline

let reason: 'threshold' | 'max-iterations' = 'max-iterations';
// Every read is checked to have returned the whole object (a short read throws below); the count is
// the S3 scenario's condition, reported at the end.
let verifiedReads = 0;
let iteration = 0;
while (iteration < maxIterations) {
  iteration++;
  const bytes = new Uint8Array(await bounded(`read ${iteration}`, file.arrayBuffer()));
  if (bytes.length !== payloadBytes)
    throw new Error(`probe: read ${bytes.length} bytes at iteration ${iteration}, expected ${payloadBytes}`);
  verifiedReads++;
  Bun.gc(true);
  if (sample(iteration, started) >= targetRssBytes) {
    reason = 'threshold';
    break;
  }
}
emit({ type: 'end', reason, iteration, verifiedReads });
await file.delete().catch(() => {}); // tidy for a real store; the embedded one is thrown away anyway
