// A TCP proxy on 127.0.0.1 between Bun and PostgreSQL that can break the connections existing at
// one moment while every later connection passes normally. It forwards bytes by hand (not
// stream.pipe) so that a fault can change, per connection, what happens to the next chunk.
import net from 'node:net';
import { once } from 'node:events';
import { proxyFaults, type ProxyFaultName } from './proxy-faults.ts';

/** What the proxy does with bytes on one connection. */
type ConnectionMode = 'forward' | 'blackhole' | 'lazy-rst' | 'closed';

export interface ProxiedConnection {
  id: number;
  /** The socket toward Bun (the client). */
  client: net.Socket;
  /** The socket toward the server. */
  upstream: net.Socket;
  mode: ConnectionMode;
  /** Bun's local port, which names the flow in `ss` output. */
  clientPort: number;
  /** What a fault sent toward Bun, if anything: the proxy reports it once the socket confirms it. */
  sent: 'rst' | 'fin' | null;
}

export interface ProxyEvent {
  event: 'accept' | 'fault' | 'rst-sent' | 'fin-sent' | 'blackhole-drop' | 'lazy-rst-fire' | 'close';
  detail: Record<string, string | number | boolean | null | number[]>;
}

export interface FaultProxy extends AsyncDisposable {
  host: '127.0.0.1';
  port: number;
  /** Connections still open on the client side. */
  connections(): ProxiedConnection[];
  /** Applies a fault to every open, still-forwarding connection; returns how many it touched. */
  apply(fault: ProxyFaultName): number;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  upstreamHost: string;
  upstreamPort: number;
  onEvent?: (event: ProxyEvent) => void;
  /**
   * TCP_NODELAY on both sides of every connection (default true), as Bun and PostgreSQL set it on
   * their own sockets. Without it, small writes through the proxy wait for delayed ACKs (about
   * 40 ms), and in most attempts every handshake completes before the cold-start trial can freeze
   * the worker; tests turn it off to show that the trial's check notices.
   */
  noDelay?: boolean;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const { upstreamHost, upstreamPort } = options;
  const emit = options.onEvent ?? (() => {});
  const noDelay = options.noDelay ?? true;
  const open = new Map<number, ProxiedConnection>();
  let nextId = 1;

  const server = net.createServer({ allowHalfOpen: false }, (client) => {
    const upstream = net.connect({ host: upstreamHost, port: upstreamPort, noDelay });
    client.setNoDelay(noDelay);
    const conn: ProxiedConnection = {
      id: nextId++,
      client,
      upstream,
      mode: 'forward',
      clientPort: client.remotePort ?? 0,
      sent: null,
    };
    open.set(conn.id, conn);
    emit({ event: 'accept', detail: { id: conn.id, clientPort: conn.clientPort } });
    // Errors are expected here (resets are the point); they end the connection, nothing more.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => {
      if (conn.mode === 'forward') client.destroy();
    });

    client.on('data', (chunk: Buffer) => {
      switch (conn.mode) {
        case 'forward':
          forward(chunk, client, upstream);
          return;
        case 'blackhole':
          emit({ event: 'blackhole-drop', detail: { id: conn.id, bytes: chunk.length, from: 'client' } });
          return;
        case 'lazy-rst':
          emit({ event: 'lazy-rst-fire', detail: { id: conn.id, bytes: chunk.length } });
          conn.mode = 'closed';
          client.resetAndDestroy();
          return;
        case 'closed':
          client.destroy();
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (conn.mode === 'forward') forward(chunk, upstream, client);
      else if (conn.mode === 'blackhole') {
        emit({ event: 'blackhole-drop', detail: { id: conn.id, bytes: chunk.length, from: 'server' } });
      }
    });
    // An orderly close from either side passes through while forwarding; under a fault the
    // fault alone decides what Bun sees.
    client.on('end', () => {
      if (conn.mode === 'forward') upstream.end();
      else if (conn.mode !== 'blackhole') client.destroy();
    });
    upstream.on('end', () => {
      if (conn.mode === 'forward') client.end();
    });
    client.on('close', () => {
      open.delete(conn.id);
      upstream.destroy();
      // A reset socket is closed with SO_LINGER 0: the kernel sent the RST as the handle closed.
      if (conn.sent === 'rst') emit({ event: 'rst-sent', detail: { id: conn.id } });
      emit({ event: 'close', detail: { id: conn.id, mode: conn.mode } });
    });
    // The FIN went out once the write side finished: the evidence the fin trial's check reads.
    client.on('finish', () => {
      if (conn.sent === 'fin') emit({ event: 'fin-sent', detail: { id: conn.id } });
    });
  });

  server.listen({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      for (const conn of open.values()) {
        conn.client.destroy();
        conn.upstream.destroy();
      }
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closed;
  };

  return {
    host: '127.0.0.1',
    port,
    connections: () => [...open.values()],
    apply(fault) {
      const targets = [...open.values()].filter((c) => c.mode === 'forward');
      for (const conn of targets) proxyFaults[fault].apply(conn);
      emit({ event: 'fault', detail: { fault, affected: targets.length, ids: targets.map((c) => c.id) } });
      return targets.length;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Writes with backpressure: a slow reader pauses the other side instead of buffering without bound. */
function forward(chunk: Buffer, from: net.Socket, to: net.Socket) {
  if (to.destroyed) return;
  if (!to.write(chunk)) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}
