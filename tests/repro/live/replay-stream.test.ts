// The live page's event stream, fed by a replay of a committed record: the real CLI, a real HTTP
// client reading text/event-stream, and Ctrl-C at the end.
import { request } from 'node:http';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import type { LiveEvent } from '../../../repro/harness/live/events.ts';
import type { S3LeakRecord, S3UploadRecord } from '../../../repro/core/record/schema.ts';
import type { S3LeakLiveUpdate } from '../../../repro/scenarios/s3-leak/live.ts';
import type { S3UploadLiveUpdate } from '../../../repro/scenarios/s3-upload/live.ts';
import { LIVE_CSP } from '../../../repro/harness/live/server.ts';
import { startCli } from '../harness/run-cli.ts';

function recordsOf(scenario: string): string[] {
  const dir = fromRoot('content', 'runs', scenario);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}
const records = recordsOf('s3-leak');

/** The page's address, from the line the CLI prints. */
async function addressOf(cli: ReturnType<typeof startCli>): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    if (url) return url;
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no address printed: ${cli.stdout()} ${cli.stderr()}`);
}

interface Received {
  id: number;
  event: string;
  data: LiveEvent;
}

/** Reads the stream until the `end` event, parsing it as EventSource does. */
function readStream(url: string): Promise<{ headers: Record<string, unknown>; events: Received[] }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('events', url), { headers: { Accept: 'text/event-stream' } }, (res) => {
      const events: Received[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          );
          if (fields.data === undefined) continue;
          events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
          if (fields.event === 'end') {
            req.destroy();
            resolve({ headers: res.headers, events });
          }
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a replay at 2000× streams the run in order, and its last event carries the compare verdict and the records', {
  timeout: 60_000,
}, async () => {
  const args = ['s3-leak', ...records.flatMap((r) => ['--replay', r]), '--speed', '2000'];
  const cli = startCli(args);
  const url = await addressOf(cli);
  expect(cli.stdout()).toMatch(/^REPLAY \(not a new run\) of /m);
  const { headers, events } = await readStream(url);

  expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(headers['content-security-policy']).toBe(LIVE_CSP);
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i));
  expect(events[0]!.data).toMatchObject({ type: 'hello', mode: 'replay', scenario: 's3-leak', speed: 2000 });
  // Each build: its empty record, then every sample in read order, then the whole record.
  const samples = events.flatMap((e) =>
    e.data.type === 'update' ? [{ index: e.data.index, sample: e.data.payload as S3LeakLiveUpdate }] : [],
  );
  for (const index of [0, 1]) {
    const reads = samples.filter((s) => s.index === index).map((s) => s.sample.iteration);
    expect(reads).toEqual(reads.map((_, i) => i));
  }
  expect(samples.filter((s) => s.index === 0).length).toBe(100);
  expect(samples.filter((s) => s.index === 1).length).toBe(4097);
  const firstRust = events.findIndex((e) => e.data.type === 'update' && e.data.index === 1);
  expect(events.slice(firstRust).some((e) => e.data.type === 'update' && e.data.index === 0)).toBe(false);
  const records0 = events
    .filter((e) => e.data.type === 'record' && e.data.index === 0)
    .map((e) => e.data as Extract<LiveEvent, { type: 'record' }>);
  expect(records0.map((r) => (r.record as S3LeakRecord).samples.length)).toEqual([0, 100]);

  const end = events.at(-1)!.data as Extract<LiveEvent, { type: 'end' }>;
  expect(end.type).toBe('end');
  expect(end.status).toBe('complete');
  // The replayed run is the published one, and a run is never compared with itself (as `compare`).
  expect(end.compare).toMatchObject({ verdict: 'not-comparable', reference: null });
  const itself = 'a run is never compared with itself, and there is no other published s3-leak run to compare with';
  expect(end.compare!.rows.map((r) => r.rule)).toEqual([itself, itself]);
  expect(end.records.map((r) => r.label)).toEqual(['1.3.14 (Zig)', '1.4.5 (Rust)']);

  // The record link serves the file the page names, byte for byte; nothing else is served.
  const served = await fetch(new URL(end.records[0]!.href, url));
  expect(served.status).toBe(200);
  expect(await served.text()).toBe(await (await import('node:fs/promises')).readFile(records[0]!, 'utf8'));
  for (const other of ['records/..%2Fpackage.json', 'package.json', 'client.js?x=1', 'records/'])
    expect((await fetch(new URL(other, url))).status, other).toBe(404);
  expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  // A name other than the address (DNS rebinding) is refused. fetch() cannot set Host; http can.
  const misdirected = await new Promise<number>((resolve, reject) =>
    request(url, { headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode!))
      .on('error', reject)
      .end(),
  );
  expect(misdirected).toBe(421);

  expect(cli.stdout()).toMatch(/^REPLAY finished: compare verdict NOT-COMPARABLE/m);
  cli.child.kill('SIGINT');
  const r = await cli.result;
  expect(r.code).toBe(0);
  expect((await fetch(url).catch((e: Error) => e)) instanceof Error).toBe(true);
});

test('Ctrl-C during a replay stops it: exit 130, the terminal says it was a replay, the port is closed', {
  timeout: 60_000,
}, async () => {
  const cli = startCli(['s3-leak', '--replay', records[1]!, '--speed', '1']);
  const url = await addressOf(cli);
  const first = await fetch(new URL('events', url));
  const reader = first.body!.getReader();
  // The first sample is on its way: the replay is under way.
  let text = '';
  while (!text.includes('event: update')) text += new TextDecoder().decode((await reader.read()).value);
  cli.child.kill('SIGINT');
  // The stream ends with the replay, its last event saying it was stopped.
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    text += new TextDecoder().decode(chunk.value);
  const last = JSON.parse(/data: (.*)\n\n$/.exec(text)![1]!) as LiveEvent;
  expect(last).toMatchObject({ type: 'end', status: 'interrupted', compare: null });
  const r = await cli.result;
  expect(r.code).toBe(130);
  expect(r.stderr.trim()).toBe('repro: SIGINT: stopping the REPLAY (nothing was running, nothing is written)');
  expect((await fetch(url).catch((e: Error) => e)) instanceof Error).toBe(true);
});

test('an s3-upload replay sends each build’s record, then each upload in the order run, then the whole record; the end has the verdict', {
  timeout: 60_000,
}, async () => {
  const files = recordsOf('s3-upload');
  const written = await Promise.all(
    files.map(async (f) => JSON.parse(await (await import('node:fs/promises')).readFile(f, 'utf8')) as S3UploadRecord),
  );
  const cli = startCli(['s3-upload', ...files.flatMap((f) => ['--replay', f]), '--speed', '5000']);
  const url = await addressOf(cli);
  const { events } = await readStream(url);
  expect(events[0]!.data).toMatchObject({ type: 'hello', mode: 'replay', scenario: 's3-upload' });
  const byBuild = written.map((_, index) =>
    events.filter((e) => e.data.type !== 'hello' && e.data.type !== 'end' && e.data.index === index).map((e) => e.data),
  );
  for (const [index, own] of byBuild.entries()) {
    const { uploads } = written[index]!;
    expect(uploads.length).toBeGreaterThan(0);
    // Its record with no upload yet, each upload as recorded, the record as written.
    expect(own[0]).toMatchObject({ type: 'record', record: { status: 'partial', uploads: [] } });
    const sent = own.slice(1, -1).map((e) => (e.type === 'update' ? (e.payload as S3UploadLiveUpdate) : null));
    expect(sent).toEqual(uploads);
    expect(own.at(-1)).toEqual({ type: 'record', index, record: written[index] });
  }
  // One build after the other, as the run took them.
  const firstOfSecond = events.findIndex((e) => e.data.type === 'update' && e.data.index === 1);
  expect(events.slice(firstOfSecond).some((e) => e.data.type === 'update' && e.data.index === 0)).toBe(false);
  const end = events.at(-1)!.data as Extract<LiveEvent, { type: 'end' }>;
  expect(end).toMatchObject({
    type: 'end',
    status: 'complete',
    compare: { verdict: 'not-comparable', reference: null },
  });
  expect(end.records.map((r) => r.label)).toEqual(written.map((r) => r.runtime.label));
  cli.child.kill('SIGINT');
  expect((await cli.result).code).toBe(0);
});
