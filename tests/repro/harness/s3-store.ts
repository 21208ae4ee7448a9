// S3 stores for tests: the harness's own s3rver (s3rver-child.ts) started here, so that a run can
// use it as an *external* endpoint; and a TCP server that accepts connections and never answers.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { NODE } from './run-cli.ts';

export interface Store {
  port: number;
  close(): Promise<void>;
}

/** s3rver on 127.0.0.1 with bucket `bucket`; its one access key id is S3RVER (the secret is not checked under SigV4). */
export async function startS3rver(dataDir: string, bucket = 'repro'): Promise<Store> {
  const child: ChildProcess = spawn(
    NODE,
    [fromRoot('repro', 'harness', 'services', 's3rver-child.ts'), '0', dataDir, bucket],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => reject(new Error('s3rver exited before it was ready')));
  });
  return {
    port: JSON.parse(line).port,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Accepts TCP connections and stays silent: a store that has stopped answering. */
export async function startSilentServer(): Promise<Store & { connections: () => number }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A proxy to a real store that forwards until `stallAfterBytes` have come back from the store, then
 * goes silent mid-response (and on every later connection): a store that stalls in the middle of a run.
 */
export async function startStallingProxy(
  upstreamPort: number,
  stallAfterBytes: number,
): Promise<Store & { stalled: () => boolean }> {
  const sockets = new Set<net.Socket>();
  let down = 0;
  let stalled = false;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    track(client);
    if (stalled) return;
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    track(upstream);
    client.on('data', (d) => {
      if (!stalled) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (stalled) return;
      client.write(d);
      down += d.length;
      if (down >= stallAfterBytes) stalled = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stalled: () => stalled,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
