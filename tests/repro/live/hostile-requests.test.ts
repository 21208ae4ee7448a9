// What any page open in the reader's browser (a no-cors fetch needs no permission) or any local
// client can send the live server, none of which may end the CLI it runs in. The server is the real
// one, in the real CLI, fed by a replay of the published s3-leak run; a real run under attack is in
// hostile-live-run.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_CONNECTIONS } from '../../../repro/harness/http/guard.ts';
import { LIVE_CSP, MAX_EVENT_STREAMS } from '../../../repro/harness/live/server.ts';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { rawRequest, type RawResponse } from '../../raw-http.ts';
import { startCli, waitFor } from '../harness/run-cli.ts';

const dir = fromRoot('content', 'runs', 's3-leak');
const records = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(dir, f));

let cli: ReturnType<typeof startCli>;
let port: number;

beforeAll(async () => {
  cli = startCli(['s3-leak', ...records.flatMap((r) => ['--replay', r]), '--speed', '10000']);
  await waitFor('the replay to finish', () => /^REPLAY finished/m.test(cli.stdout()) || cli.child.exitCode !== null);
  port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.stdout())?.[1]);
});

afterAll(async () => {
  if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

const raw = (target: string, extraHeaders = '') => rawRequest(port, 'GET', target, { extraHeaders });

function expectLiveHeaders(res: RawResponse) {
  expect(res.headers['content-security-policy']).toBe(LIVE_CSP);
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

/** The CLI is still up and its page answers. */
async function expectStillServing() {
  expect(cli.child.exitCode, cli.stderr()).toBeNull();
  expect((await raw('/')).status).toBe(200);
}

describe('malformed request targets get a 400 and the CLI lives on', () => {
  // /records/%FF was an uncaught URIError that ended the whole CLI (issue 19, item 1).
  test.each(['/records/%FF', '/records/%E0%A4%A', '/%', '/events%FF', '/records/a%00b'])('GET %s', async (target) => {
    const res = await raw(target);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toMatch(/^bad request: /);
    expectLiveHeaders(res);
    await expectStillServing();
  });

  test('an absolute-form target and a host that is not this one', async () => {
    expect((await raw('http://[::1/records/x')).status).toBe(400);
    expect((await rawRequest(port, 'GET', '/', { host: 'rebind.attacker.example' })).status).toBe(421);
    await expectStillServing();
  });
});

describe("Node's own answers carry the page's security headers", () => {
  test('400 for a header line Node cannot parse', async () => {
    const res = await raw('/', 'this is not a header\r\n');
    expect(res.status).toBe(400);
    expectLiveHeaders(res);
  });

  test('431 for headers over Node’s limit', async () => {
    const res = await raw('/', `X-Big: ${'a'.repeat(20_000)}\r\n`);
    expect(res.status).toBe(431);
    expectLiveHeaders(res);
    await expectStillServing();
  });
});

/** Resident memory of a process, in bytes. */
function rssOf(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

/** The kernel's TCP buffers, machine-wide, in bytes: where a stream the client does not read piles up. */
function tcpBuffers(): number {
  return Number(/^TCP:.* mem (\d+)/m.exec(readFileSync('/proc/net/sockstat', 'utf8'))![1]) * 4096;
}

/** What the server costs the machine: its own memory and its sockets' buffers. */
const memory = (pid: number) => rssOf(pid) + tcpBuffers();

/** A client that asks for the event stream, reads the status line, and then reads nothing more. */
function idleStream(): Promise<{ socket: Socket; status: number | 'closed' }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      resolve({ socket, status: Number(chunk.toString('latin1').split(' ')[1]) });
    });
    socket.once('close', () => resolve({ socket, status: 'closed' }));
    socket.on('error', () => {});
    socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
}

test('1000 idle event streams: a few are served, the rest refused, and the server does not grow with them', {
  timeout: 60_000,
}, async () => {
  const before = memory(cli.pid);
  const clients: { socket: Socket; status: number | 'closed' }[] = [];
  for (let i = 0; i < 1000; i += 50) clients.push(...(await Promise.all(Array.from({ length: 50 }, idleStream))));
  const served = clients.filter((c) => c.status === 200).length;
  const refused = clients.filter((c) => c.status === 503).length;
  const dropped = clients.filter((c) => c.status === 'closed').length;
  expect(served).toBe(MAX_EVENT_STREAMS);
  // Beyond the connection cap Node closes a connection before it is answered.
  expect(served + refused).toBeLessThanOrEqual(MAX_CONNECTIONS);
  expect(served + refused + dropped).toBe(1000);
  // A served page is written a slice of the shared log at a time, as it reads. On main every one of
  // these clients was sent its own copy of the whole replayed run (about 4 MB): 350 MB more here,
  // most of it in the kernel's socket buffers; about 40 MB with the cap and the slices.
  const grown = memory(cli.pid) - before;
  console.log(
    `live server: ${(grown / 2 ** 20).toFixed(0)} MiB more (RSS and TCP buffers) with ${served} idle streams of ${clients.length} clients`,
  );
  expect(grown).toBeLessThan(128 * 2 ** 20);
  for (const c of clients) c.socket.destroy();
  await expectStillServing();
  // Once they are gone, a page opened now is served again (the server sees the closes in its own time).
  let status = 0;
  while (status !== 200) {
    status = (await rawRequest(port, 'HEAD', '/events')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 50));
  }
});

test('Ctrl-C ends the CLI as usual after all of it', async () => {
  cli.child.kill('SIGINT');
  expect((await cli.result).code).toBe(0);
});
