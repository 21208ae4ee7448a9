// The proxy's fault actions on real sockets: an echo server upstream, plain net clients in front.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFaultProxy, type FaultProxy, type ProxyEvent } from '../../../repro/harness/services/fault-proxy.ts';

/** How long "nothing happens" is watched for. A window on behaviour, not a timing assertion. */
const QUIET_MS = 300;

interface Upstream {
  server: net.Server;
  port: number;
  sockets: net.Socket[];
  closed: number;
}

async function startEchoServer(): Promise<Upstream> {
  const up: Upstream = { server: net.createServer(), port: 0, sockets: [], closed: 0 };
  up.server.on('connection', (s) => {
    up.sockets.push(s);
    s.on('data', (d) => s.write(d));
    s.on('error', () => {});
    s.on('close', () => up.closed++);
  });
  up.server.listen({ host: '127.0.0.1', port: 0 });
  await once(up.server, 'listening');
  up.port = (up.server.address() as net.AddressInfo).port;
  return up;
}

interface Client {
  socket: net.Socket;
  received: string;
  ended: boolean;
  error: NodeJS.ErrnoException | null;
  closed: Promise<unknown>;
}

async function connect(port: number): Promise<Client> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const c: Client = {
    socket,
    received: '',
    ended: false,
    error: null,
    closed: new Promise((r) => socket.once('close', r)),
  };
  // (events.once would reject on the 'error' that precedes 'close' after a reset)
  socket.on('data', (d) => (c.received += d.toString()));
  socket.on('end', () => (c.ended = true));
  socket.on('error', (e) => (c.error = e));
  await once(socket, 'connect');
  return c;
}

async function roundTrip(c: Client, text: string) {
  const before = c.received.length;
  c.socket.write(text);
  while (c.received.length < before + text.length) await once(c.socket, 'data');
  return c.received.slice(before);
}

async function until(check: () => boolean) {
  while (!check()) await sleep(10);
}

let upstream: Upstream;
let proxy: FaultProxy;
let events: ProxyEvent[];
const clients: Client[] = [];

beforeEach(async () => {
  upstream = await startEchoServer();
  events = [];
  proxy = await startFaultProxy({
    upstreamHost: '127.0.0.1',
    upstreamPort: upstream.port,
    onEvent: (e) => events.push(e),
  });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await proxy.close();
  for (const s of upstream.sockets) s.destroy();
  await new Promise((r) => upstream.server.close(r));
});

async function client() {
  const c = await connect(proxy.port);
  clients.push(c);
  await roundTrip(c, 'hello');
  return c;
}

describe('fault proxy', () => {
  it('forwards both ways while no fault is applied', async () => {
    const c = await client();
    expect(await roundTrip(c, 'ping')).toBe('ping');
    expect(proxy.connections()).toHaveLength(1);
  });

  it('rst: Bun gets a reset at once and the server side is closed', async () => {
    const c = await client();
    expect(proxy.apply('rst')).toBe(1);
    await c.closed;
    expect(c.error?.code).toBe('ECONNRESET');
    await until(() => upstream.closed === 1);
    // What the rst trial's check reads: the fault, then the reset confirmed on that connection.
    const id = events.find((e) => e.event === 'accept')!.detail.id;
    expect(events.find((e) => e.event === 'fault')!.detail).toEqual({ fault: 'rst', affected: 1, ids: [id] });
    await until(() => events.some((e) => e.event === 'rst-sent'));
    expect(events.filter((e) => e.event === 'rst-sent').map((e) => e.detail.id)).toEqual([id]);
    expect(events.some((e) => e.event === 'fin-sent')).toBe(false);
  });

  it('fin: Bun gets an orderly end, no error, and the server side is closed', async () => {
    const c = await client();
    proxy.apply('fin');
    await until(() => c.ended);
    expect(c.error).toBeNull();
    await until(() => upstream.closed === 1);
    // What the fin trial's check reads: the FIN confirmed on that connection, and no reset.
    await until(() => events.some((e) => e.event === 'fin-sent'));
    expect(events.filter((e) => e.event === 'fin-sent').map((e) => e.detail.id)).toEqual([
      events.find((e) => e.event === 'accept')!.detail.id,
    ]);
    expect(events.some((e) => e.event === 'rst-sent')).toBe(false);
  });

  it('lazy-rst: the server side closes now, Bun hears nothing until it sends, then gets a reset', async () => {
    const c = await client();
    proxy.apply('lazy-rst');
    await until(() => upstream.closed === 1);
    await sleep(QUIET_MS);
    expect(c.ended).toBe(false);
    expect(c.error).toBeNull();
    expect(c.socket.destroyed).toBe(false);

    c.socket.write('query');
    await c.closed;
    expect(c.error?.code).toBe('ECONNRESET');
    // Fired once, by Bun's first packet after the fault, and not before it.
    expect(events.filter((e) => e.event === 'lazy-rst-fire').map((e) => e.detail.bytes)).toEqual([5]);
  });

  it('a lazy-rst connection sends nothing toward Bun until Bun sends', async () => {
    const c = await client();
    proxy.apply('lazy-rst');
    await until(() => upstream.closed === 1);
    await sleep(QUIET_MS);
    expect(events.some((e) => e.event === 'lazy-rst-fire' || e.event === 'rst-sent' || e.event === 'close')).toBe(
      false,
    );
    expect(c.received).toBe('hello');
  });

  it('blackhole: nothing is forwarded either way and nothing is ever closed', async () => {
    const c = await client();
    const [serverSide] = upstream.sockets;
    let serverGot = '';
    serverSide!.on('data', (d) => (serverGot += d.toString()));
    proxy.apply('blackhole');

    c.socket.write('lost');
    serverSide!.write('also lost');
    await sleep(QUIET_MS);
    expect(c.received).toBe('hello');
    expect(serverGot).toBe('');
    expect(c.ended || c.socket.destroyed || c.error !== null).toBe(false);
    expect(upstream.closed).toBe(0);
    const drops = events.filter((e) => e.event === 'blackhole-drop').map((e) => e.detail.from);
    expect(drops).toEqual(expect.arrayContaining(['client', 'server']));
  });

  it('a connection opened after a fault passes normally', async () => {
    const stale = await client();
    proxy.apply('blackhole');
    const fresh = await client();
    expect(await roundTrip(fresh, 'new')).toBe('new');
    expect(stale.received).toBe('hello');
    expect(proxy.apply('rst')).toBe(1); // only the fresh one was still forwarding
  });

  it('close() ends every connection and frees the port', async () => {
    const c = await client();
    const port = proxy.port;
    await proxy.close();
    await c.closed;
    const probe = net.connect({ host: '127.0.0.1', port });
    const [err] = (await once(probe, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });
});
