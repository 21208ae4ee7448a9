// Run under the Bun build being measured (oven-sh/bun#32659). CASEBOOK_ITERATIONS times: fetch a
// long streaming body (8 MiB at 12.5 MiB/s at most), read CASEBOOK_READ_CHUNKS chunks of it, let
// it stream on unread for CASEBOOK_WAIT_MS, then stop it and keep the response and its reader
// referenced, as a proxy does while its client's request unwinds. The probe stops the bodies with AbortController.abort(), the
// report's case; a second copy of itself, started as a child process, stops them with
// reader.cancel(), the report's control. Each waits until the server has no body left open, then
// prints its anonymous resident memory (RssAnon) after a full collection, before and after, and
// what the server says it sent.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

declare const Bun: { gc(force: boolean): void };

const iterations = Number(process.env.CASEBOOK_ITERATIONS);
const readChunks = Number(process.env.CASEBOOK_READ_CHUNKS);
const waitMs = Number(process.env.CASEBOOK_WAIT_MS);
const base = process.env.SERVER_URL!;

const anonBytes = () => Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const sent = async () =>
  (await (await fetch(`${base}/sent`)).json()) as { streams: number; open: number; bytes: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const collect = async () => {
  Bun.gc(true);
  await sleep(10);
  Bun.gc(true);
};

async function run(stop: 'abort' | 'cancel') {
  const before = await sent();
  await collect();
  const baselineAnonBytes = anonBytes();
  const held: unknown[] = [];
  let readBytes = 0;
  for (let n = 0; n < iterations; n++) {
    const ac = new AbortController();
    const res = await fetch(`${base}/stream`, { signal: ac.signal });
    const reader = res.body!.getReader();
    reader.closed.catch(() => {});
    for (let c = 0; c < readChunks; c++) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the body ended after ${readBytes} bytes`);
      readBytes += value.byteLength;
    }
    await sleep(waitMs);
    if (stop === 'abort') ac.abort();
    else await reader.cancel();
    held.push(res, reader);
  }
  // Bodies still open on the server are still arriving: wait for them to end, at most 5 s.
  for (let t = 0; t < 250 && (await sent()).open > before.open; t++) await sleep(20);
  await collect();
  const endAnonBytes = anonBytes();
  const after = await sent();
  return {
    held: held.length / 2,
    baselineAnonBytes,
    endAnonBytes,
    readBytes,
    serverStreams: after.streams - before.streams,
    serverBytes: after.bytes - before.bytes,
    serverOpenAtEnd: after.open - before.open,
    heapUsedBytes: process.memoryUsage().heapUsed,
  };
}

type Phase = Awaited<ReturnType<typeof run>>;
if (process.env.CASEBOOK_PHASE === 'cancel') {
  console.log(JSON.stringify({ ev: 'control', ...(await run('cancel')) }));
} else {
  const abort = await run('abort');
  const out = execFileSync(process.execPath, [process.argv[1]!], {
    env: { ...process.env, CASEBOOK_PHASE: 'cancel' },
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  const { ev: _, ...cancel } = JSON.parse(out.trim().split('\n').at(-1)!) as Phase & { ev: string };
  const prefixed = (prefix: string, r: Phase) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
  console.log(
    JSON.stringify({
      ev: 'result',
      iterations,
      readChunks,
      waitMs,
      ...prefixed('abort', abort),
      ...prefixed('cancel', cancel),
    }),
  );
}
