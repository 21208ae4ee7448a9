// Run under the Bun build being measured (oven-sh/bun#39952). For CASEBOOK_DURATION_MS it sends one
// request after another to a server that answers in CASEBOOK_SERVER_DELAY_MS, each with the numeric
// fetch option `timeout: CASEBOOK_TIMEOUT_MS`, as the report's script does. A request that fails
// before its timeout has elapsed was aborted for no reason: it is counted as spurious, with when it
// started and how long it had run. Requests that fail after their timeout are counted apart.
export {};

const timeout = Number(process.env.CASEBOOK_TIMEOUT_MS);
const serverDelayMs = Number(process.env.CASEBOOK_SERVER_DELAY_MS);
const durationMs = Number(process.env.CASEBOOK_DURATION_MS);
const base = process.env.SERVER_URL!;
const url = `${base}/?delay=${serverDelayMs}`;

const count = async () => ((await (await fetch(`${base}/count`)).json()) as { answered: number }).answered;
const answeredBefore = await count();

let completed = 0;
let wrongBody = 0;
let lateTimeouts = 0;
const spuriousStartMs: number[] = [];
const spuriousAfterMs: number[] = [];
const errorNames = new Set<string>();
const latencies: number[] = [];
const start = performance.now();
while (performance.now() - start < durationMs) {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { timeout } as RequestInit);
    if ((await res.text()) === 'ok') completed++;
    else wrongBody++;
    latencies.push(performance.now() - t0);
  } catch (error) {
    const after = performance.now() - t0;
    errorNames.add((error as Error).name);
    if (after < timeout) {
      spuriousStartMs.push(Math.round(t0 - start));
      spuriousAfterMs.push(Math.round(after * 10) / 10);
    } else lateTimeouts++;
  }
}
const elapsedMs = Math.round(performance.now() - start);
const answered = (await count()) - answeredBefore;
latencies.sort((a, b) => a - b);
const median = latencies.length ? Math.round(latencies[latencies.length >> 1]! * 10) / 10 : null;

console.log(
  JSON.stringify({
    ev: 'result',
    timeoutMs: timeout,
    serverDelayMs,
    elapsedMs,
    requests: completed + wrongBody + lateTimeouts + spuriousStartMs.length,
    completed,
    wrongBody,
    serverAnswered: answered,
    medianLatencyMs: median,
    spurious: spuriousStartMs.length,
    spuriousStartMs,
    spuriousAfterMs,
    lateTimeouts,
    errorNames: [...errorNames],
  }),
);
