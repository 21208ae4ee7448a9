// https://github.com/oven-sh/bun/issues/42722 — S3 uploads buffer the entire payload in memory (OOM on
// large files); fetch() with the same BunFile streams. Fixed upstream by oven-sh/bun#42731.
//
// The probe of the s3-upload scenario, run by each Bun build under test (never by Node). It writes one
// file of PAYLOAD_MIB random bytes, then uploads it REPETITIONS times with each method in METHODS:
//   s3-write        Bun.write(s3.file(key), Bun.file(path))           the reported path
//   fetch-presigned fetch(s3.presign(key, PUT), { body: Bun.file(path) }) the control
// For every upload it samples its own memory (/proc/self/status: VmRSS, RssAnon, RssFile) every
// SAMPLE_INTERVAL_MS, resets the kernel's peak counter (VmHWM) first where it can, and afterwards
// reports the wall time, the peak, the memory after Bun.gc(true), and whether the stored object is
// intact (its size and SHA-256, read back as a stream so the check itself buffers nothing).
// Output: one JSON object per line on stdout, as protocol.ts describes; the harness parses it.
// Self-contained on purpose: it must run the same under every Bun build, with no dependencies.
//
// Memory is read from /proc, not only process.memoryUsage(): the file was just written, so it sits in
// the page cache, which is not in RSS unless the process maps it. If Bun mmapped the file for the
// upload, RssFile would rise without any copy of the payload; a buffered payload shows in RssAnon.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

interface S3FileApi {
  write(data: unknown, options?: Record<string, unknown>): Promise<number>;
  presign(options: Record<string, unknown>): string;
  stat(): Promise<{ size: number }>;
  delete(): Promise<void>;
}
/** The part of Bun's API the probe uses, typed here because the project type-checks under Node. */
interface BunApi {
  S3Client: new (options: Record<string, string>) => { file(key: string): S3FileApi };
  file(path: string): { size: number };
  write(destination: unknown, data: unknown, options?: Record<string, unknown>): Promise<number>;
  CryptoHasher: new (algorithm: string) => { update(data: Uint8Array): void; digest(encoding: 'hex'): string };
  gc(force: boolean): void;
  revision: string;
  version: string;
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`probe: ${name} is not set`);
  return value;
};
const MiB = 1024 * 1024;
const payloadBytes = Math.round(Number(env('PAYLOAD_MIB')) * MiB);
const methods = env('METHODS', 's3-write,fetch-presigned').split(',');
const repetitions = Number(env('REPETITIONS', '1'));
const sampleIntervalMs = Number(env('SAMPLE_INTERVAL_MS', '10'));
const requestTimeoutMs = Number(env('REQUEST_TIMEOUT_MS', '120000'));
const workDir = env('WORK_DIR');
/** Optional S3 options for the s3-write path (partSize, queueSize), as JSON; default: Bun's own. */
const writeOptions = JSON.parse(env('S3_WRITE_OPTIONS', '{}')) as Record<string, unknown>;

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

interface Memory {
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  vmHwm: number;
}
function memory(): Memory {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return {
    vmRss: kib('VmRSS'),
    rssAnon: kib('RssAnon'),
    rssFile: kib('RssFile'),
    rssShmem: kib('RssShmem'),
    vmHwm: kib('VmHWM'),
  };
}
/** Resets VmHWM to the current RSS (Linux ≥ 4.0, own process); false where the kernel refuses. */
function resetPeak(): boolean {
  try {
    const fd = openSync('/proc/self/clear_refs', 'w');
    try {
      writeSync(fd, '5');
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}
/** Any mapping of the payload file in this process (an mmapped upload body would show here). */
function mappedPayload(file: string): number {
  try {
    return readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((l) => l.endsWith(file)).length;
  } catch {
    return 0;
  }
}

/** A store that stops answering must end the upload with a reason, not stall it. */
function bounded<T>(what: string, request: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`probe: ${what} got no answer within ${requestTimeoutMs / 1000} s`)),
      requestTimeoutMs,
    );
  });
  return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
}

const client = new Bun.S3Client({
  endpoint: env('S3_ENDPOINT'),
  bucket: env('S3_BUCKET'),
  region: env('S3_REGION'),
  accessKeyId: env('S3_ACCESS_KEY_ID'),
  secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
});

// The payload: random bytes written 1 MiB at a time, so no payload-sized buffer is ever allocated
// (the baseline must not hold an allocation the upload could reuse). Hashed on the way out.
const source = path.join(workDir, `payload-${process.pid}.bin`);
const sourceSha256 = writePayload();
function writePayload(): string {
  const hasher = new Bun.CryptoHasher('sha256');
  const block = new Uint8Array(MiB);
  const fd = openSync(source, 'w');
  try {
    for (let written = 0; written < payloadBytes; written += block.length) {
      const piece = block.subarray(0, Math.min(block.length, payloadBytes - written));
      for (let i = 0; i < piece.length; i += 65536) crypto.getRandomValues(piece.subarray(i, i + 65536));
      hasher.update(piece);
      writeSync(fd, piece);
    }
  } finally {
    closeSync(fd);
  }
  return hasher.digest('hex');
}

emit({
  type: 'start',
  revision: Bun.revision,
  version: Bun.version,
  pid: process.pid,
  payloadBytes,
  sha256: sourceSha256,
  methods,
  repetitions,
});

async function upload(method: string, key: string): Promise<number | null> {
  const file = client.file(key);
  if (method === 's3-write')
    return bounded('Bun.write(s3file, Bun.file())', Bun.write(file, Bun.file(source), writeOptions));
  if (method === 'fetch-presigned') {
    const url = file.presign({ method: 'PUT', expiresIn: 3600 });
    const response = await bounded(
      'fetch(presigned PUT)',
      fetch(url, { method: 'PUT', body: Bun.file(source) as unknown as BodyInit }),
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`probe: presigned PUT answered ${response.status}: ${text.slice(0, 200)}`);
    return null;
  }
  throw new Error(`probe: unknown method ${method}`);
}

/** Size and SHA-256 of the stored object, streamed through a presigned GET (nothing payload-sized held). */
async function readBack(key: string): Promise<{ size: number; sha256: string }> {
  const url = client.file(key).presign({ method: 'GET', expiresIn: 3600 });
  const response = await bounded('read-back GET', fetch(url));
  if (!response.ok || !response.body) throw new Error(`probe: read-back GET answered ${response.status}`);
  const hasher = new Bun.CryptoHasher('sha256');
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    hasher.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hasher.digest('hex') };
}

for (const method of methods) {
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    const key = `bun-upload-repro/${method}-${repetition}-${process.pid}.bin`;
    Bun.gc(true);
    const peakReset = resetPeak();
    const baseline = memory();
    emit({ type: 'upload-start', method, repetition, key, peakReset, ...baseline });
    const started = performance.now();
    let samples = 0;
    let mapped = 0;
    let peak = { ...baseline };
    let maxGapMs = 0;
    let last = started;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      const m = memory();
      samples++;
      peak = {
        vmRss: Math.max(peak.vmRss, m.vmRss),
        rssAnon: Math.max(peak.rssAnon, m.rssAnon),
        rssFile: Math.max(peak.rssFile, m.rssFile),
        rssShmem: Math.max(peak.rssShmem, m.rssShmem),
        vmHwm: m.vmHwm,
      };
      // Every sample goes out too, so the harness can line them up with its outside samples.
      // /proc/self/maps is long: read it every tenth sample only.
      if (samples % 10 === 1) mapped = mappedPayload(source);
      emit({
        type: 'sample',
        method,
        repetition,
        elapsedMs: Math.round((now - started) * 100) / 100,
        vmRss: m.vmRss,
        rssAnon: m.rssAnon,
        rssFile: m.rssFile,
        mappedPayload: mapped,
      });
    }, sampleIntervalMs);
    let returned: number | null = null;
    let failure: string | null = null;
    try {
      returned = await upload(method, key);
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    clearInterval(timer);
    const wallMs = performance.now() - started;
    const after = memory();
    emit({
      type: 'upload-end',
      method,
      repetition,
      wallMs: Math.round(wallMs * 100) / 100,
      ok: failure === null,
      error: failure,
      returnedBytes: returned,
      samples,
      maxSampleGapMs: Math.round(maxGapMs * 100) / 100,
      peakVmRss: Math.max(peak.vmRss, after.vmRss),
      peakRssAnon: Math.max(peak.rssAnon, after.rssAnon),
      peakRssFile: Math.max(peak.rssFile, after.rssFile),
      vmHwm: after.vmHwm,
      ...prefix('end', after),
    });
    Bun.gc(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    Bun.gc(true);
    emit({ type: 'after-gc', method, repetition, ...memory() });
    if (failure === null) {
      try {
        const stored = await readBack(key);
        emit({
          type: 'verify',
          method,
          repetition,
          size: stored.size,
          sha256: stored.sha256,
          intact: stored.size === payloadBytes && stored.sha256 === sourceSha256,
        });
      } catch (error) {
        emit({
          type: 'verify',
          method,
          repetition,
          size: null,
          sha256: null,
          intact: false,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      await client
        .file(key)
        .delete()
        .catch(() => {});
    }
  }
}
unlinkSync(source);
emit({ type: 'end' });

function prefix(name: string, m: Memory): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [`${name}${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
}
