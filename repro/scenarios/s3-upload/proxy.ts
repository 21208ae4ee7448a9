// A TCP proxy in front of the S3 store that counts the bytes Bun sends it: the stall watchdog's
// evidence that an upload still makes progress (a blocked event loop does not stop the bytes; a
// stalled upload does). Answers flow back untouched. From the research driver (it could also throttle).
import { once } from 'node:events';
import net from 'node:net';

export interface CountingProxy {
  /** The endpoint the probe is given instead of the store's. */
  endpoint: string;
  /** Bytes forwarded toward the store since the last reset. */
  forwardedBytes(): number;
  /** performance.now() of the last byte forwarded toward the store. */
  lastForwardedAt(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: URL): Promise<CountingProxy> {
  let forwarded = 0;
  let lastAt = performance.now();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect({ host: upstream.hostname, port: Number(upstream.port || 80), noDelay: true });
    client.setNoDelay(true);
    sockets.add(client).add(up);
    const fail = () => {
      client.destroy();
      up.destroy();
    };
    client.on('error', fail).on('close', () => sockets.delete(client));
    up.on('error', fail).on('close', () => sockets.delete(up));
    up.on('data', (chunk: Buffer) => client.write(chunk));
    up.on('end', () => client.end());
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      lastAt = performance.now();
      if (!up.write(chunk)) {
        client.pause();
        up.once('drain', () => client.resume());
      }
    });
    client.on('end', () => up.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwardedBytes: () => forwarded,
    lastForwardedAt: () => lastAt,
    reset: () => {
      forwarded = 0;
      lastAt = performance.now();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
