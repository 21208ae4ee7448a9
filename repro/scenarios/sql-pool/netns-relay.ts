// Runs inside the kernel-blackhole network namespace (under Node): listens on that namespace's
// 127.0.0.1 and relays each connection to PostgreSQL's Unix socket, which a path on the filesystem
// makes reachable across namespaces. It only relays; the blackhole itself is iptables on the
// namespace's loopback, so retransmission and keepalive are the kernel's own.
//
// Usage: node netns-relay.ts <unix-socket-path>. Prints {"port":N}, then {"accept":P} / {"close":P}
// for each connection, P being Bun's local port (which names the flow for iptables).
import net from 'node:net';

const socketPath = process.argv[2];
if (!socketPath) {
  console.error('usage: netns-relay.ts <unix-socket-path>');
  process.exit(2);
}
// The line protocol: RelayLine in protocol.ts.
const say = (fields: { port: number } | { accept: number } | { close: number }) =>
  process.stdout.write(`${JSON.stringify(fields)}\n`);

// TCP_NODELAY toward Bun, as Bun and PostgreSQL set on their own sockets: without it small writes
// wait for delayed ACKs and shift every trial's timing by about 40 ms. (The Unix socket has no Nagle.)
const server = net.createServer({ noDelay: true }, (client) => {
  const port = client.remotePort ?? 0;
  const upstream = net.connect({ path: socketPath });
  say({ accept: port });
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => {
    upstream.destroy();
    say({ close: port });
  });
});
server.listen({ host: '127.0.0.1', port: 0 }, () => say({ port: (server.address() as net.AddressInfo).port }));
